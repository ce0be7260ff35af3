// The standalone simulator: a node:http JSON server on 127.0.0.1 exposing the controller calls and the control surface,
// so several Netplane processes can share one simulated controller.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdapterError, type BatchItemResult, toAdapterError } from '@netplane/adapter-sdk';
import { ZodError } from 'zod';
import { SIM_COMMANDS, type SimCommand } from '../core/commands';
import { SimulatorHub } from '../core/hub';
import {
  faultSpecSchema,
  foreignPlantSchema,
  simResourceQuerySchema,
  simulatorProfilePatchSchema,
  tamperSpecSchema,
} from '../core/types';
import { SIMULATOR_VERSION } from '../manifest';
import { batchToWire, httpStatusOf, toWire } from './wire';

export type SimulatorServer = { url: string; port: number; hub: SimulatorHub; close(): Promise<void> };
export type SimulatorServerOptions = { port?: number; host?: string; hub?: SimulatorHub };

const MAX_BODY = 16 * 1024 * 1024;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpProblem(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'Body is not JSON');
  }
}

async function handleCall(
  hub: SimulatorHub,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const cmd = (await readJson(req)) as SimCommand;
  if (typeof cmd !== 'object' || cmd === null || !SIM_COMMANDS.includes(cmd.op)) {
    throw new HttpProblem(400, `Unknown op; expected one of ${SIM_COMMANDS.join(', ')}`);
  }
  // A caller that gives up (abort, timeout, process killed) closes the connection: the call stops too.
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort(new Error('the client closed the connection'));
  });
  try {
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v.slice(0, 200) : undefined;
    };
    const caller = header('x-netplane-caller');
    const idempotencyKey = header('idempotency-key');
    const result = await hub.controller(id).execute(cmd, ac.signal, {
      ...(caller !== undefined && { caller }),
      ...(idempotencyKey !== undefined && { idempotencyKey }),
    });
    send(res, 200, {
      result: cmd.op === 'prepareNics' ? batchToWire(result as BatchItemResult[]) : (result ?? null),
    });
  } catch (e) {
    const err = toAdapterError(e);
    if (ac.signal.aborted) return;
    if (err.category === 'UNREACHABLE' && err.vendorCode === 'ECONNRESET') {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> =
      err.retryAfterMs === undefined
        ? {}
        : { 'retry-after': String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))) };
    send(res, httpStatusOf(err), { error: toWire(err) }, headers);
  }
}

/** A listing's query string: every parameter a string, the limit a number. */
function queryOf(url: URL): Record<string, unknown> {
  const q: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (typeof q.limit === 'string') q.limit = Number(q.limit);
  return q;
}

async function route(hub: SimulatorHub, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/healthz')
    return send(res, 200, { ok: true, version: SIMULATOR_VERSION });
  if (method === 'GET' && url.pathname === '/v1/controllers') return send(res, 200, { ids: hub.ids() });
  if (parts[0] !== 'v1' || parts[1] !== 'controllers' || parts[2] === undefined)
    throw new HttpProblem(404, 'No such route');
  const id = parts[2];
  const action = `${method} ${parts.slice(3).join('/')}`;
  switch (action) {
    case 'POST call':
      return handleCall(hub, id, req, res);
    case 'GET state': {
      const state = await hub.getState(id);
      return state ? send(res, 200, state) : send(res, 404, { message: `No simulated controller ${id}` });
    }
    case 'GET summary': {
      const summary = await hub.getSummary(id);
      return summary ? send(res, 200, summary) : send(res, 404, { message: `No simulated controller ${id}` });
    }
    case 'GET resources':
      return send(res, 200, await hub.listResources(id, simResourceQuerySchema.parse(queryOf(url))));
    case 'GET calls': {
      const since = Number(url.searchParams.get('since') ?? 0);
      return send(res, 200, { calls: hub.calls(id, Number.isFinite(since) ? since : 0) });
    }
    case 'PATCH profile':
      return send(res, 200, await hub.setProfile(id, simulatorProfilePatchSchema.parse(await readJson(req))));
    case 'POST faults':
      return send(res, 201, await hub.injectFault(id, faultSpecSchema.parse(await readJson(req))));
    case 'DELETE faults':
      await hub.clearFaults(id);
      return send(res, 204);
    case 'POST stats/reset':
      await hub.resetStats(id);
      return send(res, 204);
    case 'POST tamper':
      hub.tamper(id, tamperSpecSchema.parse(await readJson(req)));
      return send(res, 204);
    case 'POST foreign':
      hub.plantForeign(id, foreignPlantSchema.parse(await readJson(req)));
      return send(res, 204);
    case 'POST foreign/remove':
      hub.removeForeign(id, foreignPlantSchema.parse(await readJson(req)));
      return send(res, 204);
    default:
      throw new HttpProblem(404, 'No such route');
  }
}

export async function startSimulatorServer(opts: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  const hub = opts.hub ?? new SimulatorHub(SIMULATOR_VERSION);
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    route(hub, req, res).catch((e: unknown) => {
      if (e instanceof HttpProblem) return send(res, e.status, { message: e.message });
      if (e instanceof ZodError) return send(res, 400, { message: 'Invalid body', issues: e.issues });
      if (e instanceof AdapterError) return send(res, httpStatusOf(e), { error: toWire(e) });
      send(res, 500, { message: e instanceof Error ? e.message : String(e) });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    hub,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
