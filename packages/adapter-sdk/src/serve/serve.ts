// The adapter side of the wire protocol (docs/adapter-protocol.md): serves any in-process AdapterModule (or factory)
// over stdio as JSON-RPC 2.0, one message per line. `import { serveAdapter } from '@netplane/adapter-sdk/serve'`.
import type { Readable, Writable } from 'node:stream';
import { toAdapterError } from '../adapter-error';
import type { AdapterFactory, AdapterLogger, AdapterModule, NetworkElement } from '../element';
import { ADAPTER_SDK_VERSION } from '../version';
import {
  encodeAdapterError,
  lineSplitter,
  OPTIONAL_METHODS,
  PROTOCOL_VERSION,
  parseMessage,
  REQUIRED_METHODS,
  RPC,
  type RpcErrorObject,
  type RpcId,
  type RpcRequest,
} from './wire';

export type ServeIo = { input: Readable; output: Writable };

type Open = { element: NetworkElement; unwatch?: () => void };
type InFlight = { ac: AbortController; deadlineMs: number; deadlineAt: number };

/** How often the host's deadlines of the calls in flight are checked. */
const SWEEP_MS = 1_000;

class RpcFailure extends Error {
  constructor(readonly rpc: RpcErrorObject) {
    super(rpc.message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

/** JSON of a result: undefined is null, and a prepareNics item's AdapterError goes as its wire fields + message. */
function wireResult(method: string, value: unknown): unknown {
  if (method === 'prepareNics' && Array.isArray(value))
    return value.map((item) =>
      isObject(item) && item.ok === false ? { ...item, error: wireError(item.error) } : item,
    );
  return value === undefined ? null : value;
}

function wireError(e: unknown): Record<string, unknown> {
  const err = toAdapterError(e);
  return { message: err.message, ...encodeAdapterError(err) };
}

/**
 * Serves the module until input closes, then resolves (with process stdio the process then exits 0). console.log
 * and friends are sent to stderr while it serves process stdio: stdout carries protocol messages only.
 */
export async function serveAdapter(
  adapter: AdapterModule | AdapterFactory,
  io: ServeIo = { input: process.stdin, output: process.stdout },
): Promise<void> {
  const usesProcess = io.output === process.stdout;
  if (usesProcess) {
    const toStderr = (...a: unknown[]) => process.stderr.write(`${a.map(String).join(' ')}\n`);
    console.log = toStderr;
    console.info = toStderr;
    console.debug = toStderr;
  }
  let module: AdapterModule | undefined;
  const elements = new Map<string, Open>();
  const inflight = new Map<RpcId, InFlight>();
  // The host's deadlines, checked once a second while calls run: a timer per call cost more than the rest of the
  // loop's bookkeeping, and the host cancels at its deadline anyway ($/cancelRequest), so this is the backstop.
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () => {
    const now = Date.now();
    for (const f of inflight.values())
      if (f.deadlineAt <= now) f.ac.abort(new Error(`the host's deadline of ${f.deadlineMs} ms passed`));
    if (inflight.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  // Lines written in one tick go out in one write: under many concurrent calls that is one syscall, not one each.
  let queued: string[] = [];
  const flush = () => {
    const out = queued.join('');
    queued = [];
    io.output.write(out);
  };
  const queue = (line: string): void => {
    if (queued.push(line) === 1) queueMicrotask(flush);
  };
  const send = (msg: object): void => queue(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
  // An answer, the message of every call: its JSON written around the result's, without a copy of the message.
  const answer = (id: RpcId, result: unknown): void =>
    queue(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${JSON.stringify(result ?? null)}}\n`);
  const notify = (method: string, params: unknown) => send({ method, params });
  const elementLogger = (element: string | undefined): AdapterLogger => {
    const at =
      (level: string) =>
      (fields: object, msg?: string): void => {
        notify('log', { level, msg: msg ?? '', fields, ...(element && { element }) });
      };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  };

  const opened = (params: Record<string, unknown>): Open => {
    const open = typeof params.element === 'string' ? elements.get(params.element) : undefined;
    if (!open)
      throw new RpcFailure({
        code: RPC.UNKNOWN_ELEMENT,
        message: `unknown element ${String(params.element)}`,
      });
    return open;
  };

  async function initialize(params: Record<string, unknown>): Promise<unknown> {
    const offered = Array.isArray(params.protocolVersions) ? params.protocolVersions : [];
    if (!offered.includes(PROTOCOL_VERSION))
      throw new RpcFailure({
        code: RPC.UNSUPPORTED_PROTOCOL,
        message: `this adapter speaks protocol ${PROTOCOL_VERSION}, the host offers ${offered.join(', ') || 'none'}`,
        data: { supported: [PROTOCOL_VERSION] },
      });
    if (!module) {
      const host = isObject(params.host) ? params.host : {};
      const sdkVersion = typeof host.sdkVersion === 'string' ? host.sdkVersion : ADAPTER_SDK_VERSION;
      try {
        module = typeof adapter === 'function' ? await adapter({ sdkVersion }) : adapter;
      } catch (e) {
        throw new RpcFailure({ code: RPC.INTERNAL, message: `its factory threw: ${firstLine(e)}` });
      }
    }
    if (!isObject(module) || !isObject(module.manifest) || typeof module.createElement !== 'function')
      throw new RpcFailure({
        code: RPC.INTERNAL,
        message: 'the factory did not return { manifest, createElement }',
      });
    return {
      protocolVersion: PROTOCOL_VERSION,
      manifest: module.manifest,
      sdkRange: `^${ADAPTER_SDK_VERSION}`,
    };
  }

  function openElement(params: Record<string, unknown>): unknown {
    const id = params.element;
    if (typeof id !== 'string' || !isObject(params.connection))
      throw new RpcFailure({
        code: RPC.INVALID_PARAMS,
        message: 'element.open needs element and connection',
      });
    let element: NetworkElement;
    try {
      element = (module as AdapterModule).createElement(params.connection as never, {
        logger: elementLogger(id),
      });
    } catch (e) {
      throw new RpcFailure({ code: RPC.ADAPTER_ERROR, message: firstLine(e), data: wireError(e) });
    }
    elements.set(id, { element });
    const methods = OPTIONAL_METHODS.filter((m) => typeof element[m] === 'function');
    return { methods, watch: typeof element.watch === 'function' };
  }

  async function call(method: string, params: Record<string, unknown>, id: RpcId): Promise<unknown> {
    const { element } = opened(params);
    const fn = (element as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function')
      throw new RpcFailure({ code: RPC.METHOD_NOT_FOUND, message: `the element has no ${method}` });
    const args = Array.isArray(params.args) ? params.args : [];
    const ac = new AbortController();
    const deadlineMs =
      typeof params.deadlineMs === 'number' && params.deadlineMs > 0 ? params.deadlineMs : Infinity;
    inflight.set(id, { ac, deadlineMs, deadlineAt: Date.now() + deadlineMs });
    sweeper ??= setInterval(sweep, SWEEP_MS);
    const signal = ac.signal;
    const idempotencyKey = typeof params.idempotencyKey === 'string' ? params.idempotencyKey : String(id);
    try {
      const value = await (fn as (...a: unknown[]) => Promise<unknown>).call(element, ...args, {
        signal,
        idempotencyKey,
      });
      return wireResult(method, value);
    } catch (e) {
      throw new RpcFailure({
        code: RPC.ADAPTER_ERROR,
        message: toAdapterError(e).message,
        data: wireError(e),
      });
    } finally {
      inflight.delete(id);
    }
  }

  async function closeAll(): Promise<void> {
    const all = [...elements.values()];
    elements.clear();
    await Promise.allSettled(
      all.map((o) => {
        o.unwatch?.();
        return o.element.close();
      }),
    );
  }

  async function dispatch(req: RpcRequest): Promise<unknown> {
    const params = isObject(req.params) ? req.params : {};
    if (req.method === 'initialize') return initialize(params);
    if (!module)
      throw new RpcFailure({ code: RPC.NOT_INITIALIZED, message: `${req.method} before initialize` });
    switch (req.method) {
      case 'health':
        return { ok: true };
      case 'shutdown':
        await closeAll();
        return null;
      case 'element.open':
        return openElement(params);
      case 'element.close': {
        const open = opened(params);
        elements.delete(params.element as string);
        open.unwatch?.();
        await open.element.close();
        return null;
      }
      case 'element.watch': {
        const open = opened(params);
        if (!open.element.watch)
          throw new RpcFailure({ code: RPC.METHOD_NOT_FOUND, message: 'the element cannot watch' });
        open.unwatch?.();
        const element = params.element;
        open.unwatch = open.element.watch((change) =>
          notify('element.changed', { element, vpcIds: change.vpcIds }),
        );
        return null;
      }
      case 'element.unwatch': {
        const open = opened(params);
        open.unwatch?.();
        delete open.unwatch;
        return null;
      }
    }
    const method = req.method.startsWith('element.') ? req.method.slice('element.'.length) : '';
    if (
      (REQUIRED_METHODS as readonly string[]).includes(method) ||
      (OPTIONAL_METHODS as readonly string[]).includes(method)
    )
      return call(method, params, req.id);
    throw new RpcFailure({ code: RPC.METHOD_NOT_FOUND, message: `unknown method ${req.method}` });
  }

  function onLine(line: string): void {
    const msg = parseMessage(line);
    if (!msg) {
      send({ id: null, error: { code: RPC.PARSE_ERROR, message: 'not a JSON-RPC 2.0 message' } });
      return;
    }
    if (!('method' in msg)) return; // the host sends no responses to us
    if (!('id' in msg) || msg.id === undefined) {
      if (msg.method === '$/cancelRequest' && isObject(msg.params)) {
        const id = msg.params.id as RpcId;
        inflight.get(id)?.ac.abort(new Error('the host cancelled the call'));
      }
      return;
    }
    const req = msg as RpcRequest;
    dispatch(req).then(
      (result) => answer(req.id, result),
      (e: unknown) => {
        const error = e instanceof RpcFailure ? e.rpc : { code: RPC.INTERNAL, message: firstLine(e) };
        send({ id: req.id, error });
      },
    );
  }

  await new Promise<void>((resolve) => {
    const split = lineSplitter(onLine, () => {
      send({ id: null, error: { code: RPC.PARSE_ERROR, message: 'line longer than 16 MiB' } });
      io.input.destroy();
    });
    io.input.on('data', (chunk: Buffer | string) =>
      split(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    io.input.once('end', resolve);
    io.input.once('close', resolve);
    io.input.once('error', () => resolve());
  });
  clearInterval(sweeper);
  for (const f of inflight.values()) f.ac.abort(new Error('the host closed the connection'));
  await closeAll();
  if (usesProcess) process.exit(0);
}
