// OVSDB endpoints ("tcp:host:port", "unix:/path", "ssl:host:port") and opening a socket to one.
import net from 'node:net';
import tls from 'node:tls';
import { OvsdbAbortError, OvsdbConnectionError } from './errors';

export type Endpoint =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'ssl'; host: string; port: number }
  | { kind: 'unix'; path: string };

/** PEM strings for "ssl:" endpoints; the client certificate is optional when the server does not ask for one. */
export type TlsOptions = { key?: string; cert?: string; ca?: string; servername?: string };

export function parseEndpoint(endpoint: string): Endpoint {
  const colon = endpoint.indexOf(':');
  const scheme = endpoint.slice(0, colon);
  const rest = endpoint.slice(colon + 1);
  if (colon > 0 && scheme === 'unix') {
    // ovsdb-server resolves relative paths against its rundir, which we cannot know: require an absolute path.
    if (!rest.startsWith('/')) throw new TypeError(`endpoint "${endpoint}": expected unix:/ABSOLUTE/PATH`);
    return { kind: 'unix', path: rest };
  }
  if (colon > 0 && (scheme === 'tcp' || scheme === 'ssl')) {
    // host may be an IPv6 literal in brackets: tcp:[::1]:6641
    const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(rest);
    const port = m ? Number(m[2]) : Number.NaN;
    if (!m || port < 1 || port > 65535)
      throw new TypeError(`endpoint "${endpoint}": expected ${scheme}:HOST:PORT`);
    const host = (m[1] as string).replace(/^\[(.*)\]$/, '$1');
    return { kind: scheme, host, port };
  }
  throw new TypeError(`endpoint "${endpoint}": expected tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH`);
}

export function formatEndpoint(e: Endpoint): string {
  return e.kind === 'unix'
    ? `unix:${e.path}`
    : `${e.kind}:${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

/** Opens a connected socket (TLS handshake done for ssl:), or rejects with OvsdbConnectionError/OvsdbAbortError. */
export function openSocket(
  endpoint: Endpoint,
  options: { tls?: TlsOptions; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<net.Socket> {
  const { signal, timeoutMs = 10_000 } = options;
  if (signal?.aborted) return Promise.reject(new OvsdbAbortError(signal.reason));
  return new Promise((resolve, reject) => {
    let socket: net.Socket;
    let readyEvent = 'connect';
    switch (endpoint.kind) {
      case 'unix':
        socket = net.connect({ path: endpoint.path });
        break;
      case 'tcp':
        socket = net.connect({ host: endpoint.host, port: endpoint.port });
        break;
      case 'ssl':
        socket = tls.connect({
          host: endpoint.host,
          port: endpoint.port,
          servername: options.tls?.servername ?? (net.isIP(endpoint.host) ? undefined : endpoint.host),
          ...(options.tls?.key ? { key: options.tls.key } : {}),
          ...(options.tls?.cert ? { cert: options.tls.cert } : {}),
          ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
        });
        readyEvent = 'secureConnect';
        break;
    }
    const where = formatEndpoint(endpoint);
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off(readyEvent, onReady);
    };
    const onReady = () => {
      cleanup();
      socket.setNoDelay(true);
      resolve(socket);
    };
    const onError = (err: NodeJS.ErrnoException) => {
      cleanup();
      socket.destroy();
      const code = err.code ?? 'ECONNREFUSED';
      reject(new OvsdbConnectionError(`cannot connect to ${where}: ${err.message}`, code, { cause: err }));
    };
    const onAbort = () => {
      cleanup();
      socket.destroy();
      reject(new OvsdbAbortError(signal?.reason));
    };
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(
        new OvsdbConnectionError(`cannot connect to ${where}: timed out after ${timeoutMs} ms`, 'ETIMEDOUT'),
      );
    }, timeoutMs);
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
