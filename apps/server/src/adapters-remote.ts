// The CLI's side of a running server: `netplane adapters reload <id>` and the runtime column of `adapters list` ask
// the server over its REST API (/api/v1) with an API token (NETPLANE_TOKEN, `npt_…`), because the adapter processes
// live in that server, not in the CLI. The URL: --url, else NETPLANE_URL, else this node's HOST:PORT.
import type { Env } from './env';

export type RemoteOptions = { url: string; token: string | undefined };

/** Reads `--url <u>` (or `--url=<u>`) from the arguments, then NETPLANE_URL, then HOST:PORT of the environment. */
export function remoteOptions(
  args: readonly string[],
  env: Pick<Env, 'host' | 'port'>,
  source: Record<string, string | undefined> = process.env,
): RemoteOptions {
  const i = args.indexOf('--url');
  const inline = args.find((a) => a.startsWith('--url='))?.slice('--url='.length);
  const given = inline ?? (i >= 0 ? args[i + 1] : undefined) ?? source.NETPLANE_URL;
  // A server listening on every address is reached on loopback from its own machine.
  const host = env.host === '0.0.0.0' || env.host === '::' ? '127.0.0.1' : env.host;
  const url = (given ?? `http://${host.includes(':') ? `[${host}]` : host}:${env.port}`).replace(/\/+$/, '');
  return { url, token: source.NETPLANE_TOKEN || undefined };
}

/** A failure to reach or use the server, in one line that never repeats the token. */
export class RemoteError extends Error {}

type RestError = { code?: string; message?: string };

export async function restCall<T>(
  o: RemoteOptions,
  method: 'GET' | 'POST',
  path: string,
  timeoutMs = 120_000,
): Promise<T> {
  if (!o.token)
    throw new RemoteError(
      'NETPLANE_TOKEN is not set: create an API token (console: API tokens; an admin’s to reload) and export it',
    );
  let res: Response;
  try {
    res = await fetch(`${o.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${o.token}`,
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: '{}' } : {}),
      // A reload waits for the new process's handshake and the old one's in-flight calls: generous.
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
    throw new RemoteError(`cannot reach the server at ${o.url} (${cause}); set --url or NETPLANE_URL`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RemoteError(
      `the server at ${o.url} answered HTTP ${res.status} with no JSON (is it Netplane?)`,
    );
  }
  if (!res.ok) {
    const err = body as RestError;
    throw new RemoteError(`${err.message ?? `HTTP ${res.status}`} (${err.code ?? res.status})`);
  }
  return body as T;
}

type ReloadAnswer =
  | { ok: true; id: string; previousVersion: string; version: string }
  | { ok: false; id: string; reason: string; version: string | null };

/** `netplane adapters reload <id>`: one line, exit 0 when the new version serves, 1 when refused or unreachable. */
export async function adaptersReload(id: string | undefined, o: RemoteOptions): Promise<number> {
  if (!id || id.startsWith('--')) {
    process.stderr.write('usage: netplane adapters reload <id> [--url http://host:port]\n');
    return 2;
  }
  try {
    const r = await restCall<ReloadAnswer>(o, 'POST', `/adapters/${encodeURIComponent(id)}/reload`);
    if (r.ok) {
      process.stdout.write(`Reloaded ${r.id} ${r.previousVersion} → ${r.version}\n`);
      return 0;
    }
    process.stdout.write(
      `Reload of ${r.id} refused: ${r.reason}; ${r.version ? `${r.version} keeps running` : 'the old version keeps running'}\n`,
    );
    return 1;
  } catch (e) {
    if (!(e instanceof RemoteError)) throw e;
    process.stderr.write(`Reload of ${id} failed: ${e.message}\n`);
    return 1;
  }
}
