// Test support: a TCP proxy in front of a server (MariaDB) that a test can cut and restore, to simulate a database
// blip (network partition, failover) without ever stopping the shared server itself.
import { createConnection, createServer, type Socket } from 'node:net';

/**
 * How a cut treats connection attempts: `reset` accepts and destroys them at once (the client sees ECONNRESET or a
 * lost connection, like a restarting server); `hold` accepts and sends nothing until restore (a black hole: the
 * client's connect timeout fires, like a partition), then forwards them.
 */
export type CutMode = 'reset' | 'hold';

export type TcpProxy = {
  /** The local port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** Client connections currently forwarded. */
  readonly liveConnections: number;
  /** Connections accepted since start (forwarded, reset or held). */
  readonly acceptedConnections: number;
  readonly isCut: boolean;
  /** Destroys every live connection (both sides) and treats new ones by `mode` until restore(). */
  cut(mode?: CutMode): void;
  /** Forwards again; connections held by a `hold` cut are forwarded now. */
  restore(): void;
  /** The URL with its host and port replaced by the proxy's (credentials, database and query kept). */
  urlThrough(url: string): string;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const host = target.host ?? '127.0.0.1';
  const live = new Set<Socket>();
  const held = new Set<Socket>();
  let mode: CutMode | undefined;
  let accepted = 0;

  const forward = (client: Socket) => {
    const upstream = createConnection({ host, port: target.port });
    live.add(client);
    live.add(upstream);
    const drop = () => {
      live.delete(client);
      live.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    // Either side failing or closing closes both, as a real broken path would look to the client.
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const server = createServer((client) => {
    accepted += 1;
    client.setNoDelay(true);
    if (mode === 'reset') {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    if (mode === 'hold') {
      held.add(client);
      client.on('error', () => held.delete(client)).on('close', () => held.delete(client));
      return;
    }
    forward(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  const port = address.port;

  return {
    port,
    get liveConnections() {
      return live.size / 2;
    },
    get acceptedConnections() {
      return accepted;
    },
    get isCut() {
      return mode !== undefined;
    },
    cut(how: CutMode = 'reset') {
      mode = how;
      // A reset (RST) rather than a FIN: the client learns at once, as when the path or the server goes away.
      for (const s of live) s.resetAndDestroy();
      live.clear();
    },
    restore() {
      mode = undefined;
      for (const client of held) {
        client.removeAllListeners('error').removeAllListeners('close');
        if (!client.destroyed) forward(client);
      }
      held.clear();
    },
    urlThrough(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async close() {
      for (const s of [...live, ...held]) s.destroy();
      live.clear();
      held.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
