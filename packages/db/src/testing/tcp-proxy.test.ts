// The blip proxy: forwards, cuts every live connection, resets or holds new ones while cut, and forwards again after.
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createConnection as createMysqlConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MYSQL_SERVER_URL, testDialects } from '../testing';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/** Connects, sends `text` and resolves with the first chunk echoed back. */
async function echoThrough(port: number, text: string): Promise<{ socket: Socket; reply: string }> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  socket.write(text);
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  return { socket, reply: String(chunk) };
}

/** Resolves when the socket closed (by either side), with whether an error came first. */
const closed = (socket: Socket) =>
  new Promise<boolean>((resolve) => {
    let failed = false;
    socket.on('error', () => {
      failed = true;
    });
    socket.once('close', () => resolve(failed));
  });

describe('tcp proxy', () => {
  let echo: Server;
  let proxy: TcpProxy;

  beforeAll(async () => {
    echo = createServer((s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    proxy = await startTcpProxy({ port: (echo.address() as { port: number }).port });
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('forwards bytes both ways and counts the connection', async () => {
    const { socket, reply } = await echoThrough(proxy.port, 'hello');
    expect(reply).toBe('hello');
    expect(proxy.liveConnections).toBe(1);
    socket.destroy();
  });

  it('cut destroys every live connection and resets new ones; restore forwards again', async () => {
    const a = await echoThrough(proxy.port, 'a');
    const b = await echoThrough(proxy.port, 'b');
    const aClosed = closed(a.socket);
    const bClosed = closed(b.socket);
    proxy.cut();
    expect(proxy.isCut).toBe(true);
    await Promise.all([aClosed, bClosed]);
    expect(proxy.liveConnections).toBe(0);

    const refused = createConnection({ host: '127.0.0.1', port: proxy.port });
    let got = '';
    refused.on('data', (d) => {
      got += String(d);
    });
    refused.write('lost');
    await closed(refused);
    expect(got).toBe('');

    proxy.restore();
    expect(proxy.isCut).toBe(false);
    const c = await echoThrough(proxy.port, 'back');
    expect(c.reply).toBe('back');
    c.socket.destroy();
  });

  it('a hold cut answers nothing until restore, then forwards the held connection', async () => {
    proxy.cut('hold');
    const socket = createConnection({ host: '127.0.0.1', port: proxy.port });
    await once(socket, 'connect');
    let got = '';
    socket.on('data', (d) => {
      got += String(d);
    });
    socket.write('held');
    // Nothing can arrive while held; wait until the proxy has accepted it, then give it a moment to prove silence.
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toBe('');
    proxy.restore();
    socket.write('!');
    const deadline = Date.now() + 10_000;
    while (got !== 'held!' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got).toBe('held!');
    socket.destroy();
  });

  it('urlThrough keeps credentials and database and points at the proxy', () => {
    expect(proxy.urlThrough('mysql://root:secret@db.example:3306/np_x?ssl=0')).toBe(
      `mysql://root:secret@127.0.0.1:${proxy.port}/np_x?ssl=0`,
    );
  });
});

describe.skipIf(!testDialects().includes('mysql'))('tcp proxy in front of MariaDB', () => {
  it('a MariaDB connection through the proxy fails with a connection error on cut and a new one works after restore', async () => {
    const target = new URL(MYSQL_SERVER_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
    try {
      const url = proxy.urlThrough(MYSQL_SERVER_URL);
      const first = await createMysqlConnection(url);
      first.on('error', () => {});
      expect((await first.query('SELECT 1 AS one'))[0]).toEqual([{ one: 1 }]);
      proxy.cut();
      const err = (await first.query('SELECT 1').catch((e: unknown) => e)) as { code?: string };
      expect(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE']).toContain(err.code);
      const refused = (await createMysqlConnection(url).catch((e: unknown) => e)) as { code?: string };
      expect(refused).toBeInstanceOf(Error);
      proxy.restore();
      const again = await createMysqlConnection(url);
      expect((await again.query('SELECT 2 AS two'))[0]).toEqual([{ two: 2 }]);
      await again.end();
      first.destroy();
    } finally {
      await proxy.close();
    }
  });
});
