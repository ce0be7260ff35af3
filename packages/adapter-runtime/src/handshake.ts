// The handshake with a freshly started adapter process: initialize with our protocol versions, then the answer's
// manifest checked like an in-process one (basic shape here, the server's full check and SDK range through `validate`).
import { ADAPTER_SDK_VERSION, type AdapterManifest } from '@netplane/adapter-sdk';
import { PROTOCOL_VERSION, RPC } from '@netplane/adapter-sdk/serve';
import { type Peer, RpcError } from './peer';

export const HOST_PROTOCOL_VERSIONS = [PROTOCOL_VERSION] as const;

export type Handshake = { manifest: AdapterManifest; protocolVersion: number; sdkRange: string | null };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The one line a manifest fails on, or undefined. The server adds its own full check (validate). */
export function manifestProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'the handshake carries no manifest';
  if (typeof m.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(m.id))
    return 'manifest.id is missing or malformed';
  if (typeof m.version !== 'string' || m.version === '') return 'manifest.version is missing';
  if (!Array.isArray(m.isolationMethods)) return 'manifest.isolationMethods is missing';
  if (!isObject(m.services)) return 'manifest.services is missing';
  for (const s of ['credentialSchema', 'configSchema'])
    if (!isObject(m[s]) || (m[s] as Record<string, unknown>).type !== 'object')
      return `manifest.${s} must be a JSON Schema with type "object"`;
  if (!isObject(m.limits)) return 'manifest.limits is missing';
  return undefined;
}

function timeout(ms: number): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no handshake within ${ms / 1000} s`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/** Rejects with an Error of one line: what the handshake failed on. Does not stop the process. */
export async function handshake(
  peer: Peer,
  opts: { hostVersion: string; timeoutMs: number; validate?: (h: Handshake) => string | undefined },
): Promise<Handshake> {
  const deadline = timeout(opts.timeoutMs);
  const exited = peer.ended.then((exit) => {
    const why = peer.lastError ? `: ${peer.lastError}` : '';
    throw new Error(`${exit.reason} before its handshake${why}`);
  });
  let result: unknown;
  try {
    result = await Promise.race([
      peer.request('initialize', {
        protocolVersions: HOST_PROTOCOL_VERSIONS,
        host: { name: 'netplane', version: opts.hostVersion, sdkVersion: ADAPTER_SDK_VERSION },
      }),
      deadline.promise,
      exited,
    ]);
  } catch (e) {
    if (e instanceof RpcError && e.rpc.code === RPC.UNSUPPORTED_PROTOCOL) {
      const data = isObject(e.rpc.data) ? e.rpc.data : {};
      const supported = Array.isArray(data.supported) ? data.supported.join(', ') : 'unknown';
      throw new Error(
        `no common protocol version: this server speaks ${HOST_PROTOCOL_VERSIONS.join(', ')}, the adapter ${supported}`,
      );
    }
    if (e instanceof RpcError) throw new Error(`initialize failed: ${e.message.split('\n')[0]}`);
    if (!peer.alive) await exited; // the process died under the request: say how, with its last stderr line
    throw e;
  } finally {
    deadline.clear();
    exited.catch(() => {});
  }
  if (!isObject(result)) throw new Error('initialize answered no result object');
  if (!(HOST_PROTOCOL_VERSIONS as readonly unknown[]).includes(result.protocolVersion))
    throw new Error(`the adapter chose protocol version ${String(result.protocolVersion)}, not one offered`);
  const problem = manifestProblem(result.manifest);
  if (problem) throw new Error(problem);
  const answer: Handshake = {
    manifest: result.manifest as AdapterManifest,
    protocolVersion: result.protocolVersion as number,
    sdkRange: typeof result.sdkRange === 'string' ? result.sdkRange : null,
  };
  const more = opts.validate?.(answer);
  if (more) throw new Error(more);
  return answer;
}
