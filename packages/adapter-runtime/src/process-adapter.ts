// startProcessAdapter: runs an adapter as a supervised child process speaking the wire protocol
// (docs/adapter-protocol.md) and hands the server an AdapterModule whose elements are proxies over it. A crash fails
// only the calls in flight on it (ADAPTER_CRASHED); the process is restarted with backoff, handshaken again, and its
// elements re-opened and re-subscribed; reload() swaps in a new process without failing a call.
import type {
  AdapterEnv,
  AdapterLogger,
  AdapterModule,
  AdapterReloadResult,
  AdapterRuntimeInfo,
  ControllerConnection,
  NetworkElement,
} from '@netplane/adapter-sdk';
import type { Handshake } from './handshake';
import { firstLine, Supervisor } from './supervisor';

export type ProcessAdapterOptions = {
  command: string;
  args?: readonly string[];
  cwd: string;
  logger: AdapterLogger;
  hostVersion?: string;
  handshakeTimeoutMs?: number;
  callTimeoutMs?: number;
  restart?: { baseMs?: number; maxMs?: number };
  /** Liveness ping period (default 10 s); three missed answers restart the process. */
  healthIntervalMs?: number;
  /** The server's own check of a handshake (full manifest validation, SDK range): a one-line problem or undefined. */
  validate?: (h: Handshake) => string | undefined;
};

export type ProcessAdapter = {
  module: AdapterModule;
  info(): AdapterRuntimeInfo;
  reload(): Promise<AdapterReloadResult>;
  stop(): Promise<void>;
  /** createElement, resolved once element.open answered: its optional methods are then exactly the adapter's. */
  openElement(connection: ControllerConnection, env: AdapterEnv): Promise<NetworkElement>;
  /** The pid serving new calls (null while none runs). */
  pid(): number | null;
  /** The SDK range the serving version's handshake declared (null when it declared none). */
  sdkRange(): string | null;
};

/** Why an adapter process did not start: `message` is one line naming the adapter and command, `reason` the bare why. */
export class ProcessAdapterStartError extends Error {
  override readonly name = 'ProcessAdapterStartError';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

export async function startProcessAdapter(o: ProcessAdapterOptions): Promise<ProcessAdapter> {
  const sup = new Supervisor(o);
  try {
    const { peer, hs } = await sup.spawn();
    await sup.adopt(peer, hs);
  } catch (e) {
    await sup.stop();
    const reason = firstLine(e);
    throw new ProcessAdapterStartError(`adapter ${sup.adapterId()} (${sup.command}): ${reason}`, reason);
  }
  const module: AdapterModule = {
    get manifest() {
      return sup.manifest;
    },
    createElement: (connection, env) => sup.createElement(connection, env).element,
  };
  return {
    module,
    info: () => sup.info(),
    reload: () => sup.reload(),
    stop: () => sup.stop(),
    pid: () => (sup.current?.alive ? sup.current.pid : null),
    sdkRange: () => sup.sdkRange,
    async openElement(connection, env) {
      const el = sup.createElement(connection, env);
      const peer = await sup.ready(AbortSignal.timeout(sup.callTimeoutMs));
      await el.attach(peer);
      return el.element;
    },
  };
}
