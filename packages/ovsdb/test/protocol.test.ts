// JSON-RPC behaviour a real ovsdb-server cannot be made to show on demand (odd chunking, reply order, an old server
// without monitor_cond_since), driven by a scripted peer on a loopback socket.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonStreamSplitter, OvsdbClient } from '../src';
import { waitFor } from './poll';

type Msg = { id?: unknown; method?: string; params?: unknown[]; result?: unknown; error?: unknown };
type Peer = { port: number; received: Msg[]; send(raw: string): void; close(): Promise<void> };

const SCHEMA = {
  name: 'T',
  version: '1.2.3',
  tables: {
    S: { columns: { name: { type: 'string' }, tags: { type: { key: 'string', min: 0, max: 'unlimited' } } } },
  },
};

/** A loopback peer; `onMessage` answers each client message by writing raw text (possibly split or merged). */
async function startPeer(onMessage: (m: Msg, peer: Peer) => void): Promise<Peer> {
  let socket: net.Socket | undefined;
  const server = net.createServer((s) => {
    socket = s;
    const splitter = new JsonStreamSplitter();
    s.on('data', (d) => {
      for (const t of splitter.push(d)) {
        const m = JSON.parse(t) as Msg;
        peer.received.push(m);
        onMessage(m, peer);
      }
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as net.AddressInfo;
  const peer: Peer = {
    port: address.port,
    received: [],
    send: (raw) => socket?.write(raw),
    close: () =>
      new Promise((r) => {
        socket?.destroy();
        server.close(() => r());
      }),
  };
  return peer;
}

let peer: Peer | undefined;
let client: OvsdbClient | undefined;
afterEach(async () => {
  await client?.close();
  await peer?.close();
});

describe('JSON-RPC session', () => {
  it('matches replies to requests by id when they arrive out of order, split and merged across chunks', async () => {
    const held: Msg[] = [];
    peer = await startPeer((m, p) => {
      held.push(m);
      if (held.length < 3) return;
      // Reply in reverse order: the last two replies in one write, the first one split inside a string.
      const replies = held
        .reverse()
        .map((h) => JSON.stringify({ id: h.id, error: null, result: [`db-{"${h.id}"}`] }));
      p.send(replies[0] + (replies[1] as string));
      const third = replies[2] as string;
      p.send(third.slice(0, 12));
      setTimeout(() => p.send(third.slice(12)), 10);
    });
    client = await OvsdbClient.connect({ endpoint: `tcp:127.0.0.1:${peer.port}`, probeIntervalMs: 0 });
    const results = await Promise.all([client.listDbs(), client.listDbs(), client.listDbs()]);
    const ids = held.map((h) => h.id).reverse();
    expect(results).toEqual(ids.map((id) => [`db-{"${id}"}`]));
  });

  it('answers a server echo with the same id and params, and refuses unknown server methods', async () => {
    peer = await startPeer(() => {});
    client = await OvsdbClient.connect({ endpoint: `tcp:127.0.0.1:${peer.port}`, probeIntervalMs: 0 });
    peer.send('{"id":"echo","method":"echo","params":["x",1]}{"id":7,"method":"lock","params":[]}');
    await waitFor(
      () => peer?.received.length ?? 0,
      (n) => n >= 2,
    );
    expect(peer.received[0]).toEqual({ id: 'echo', result: ['x', 1], error: null });
    expect(peer.received[1]).toMatchObject({ id: 7, result: null, error: { error: 'unknown method' } });
    expect(client.echoesAnswered).toBe(1);
  });

  it('falls back to monitor_cond (update2) on a server without monitor_cond_since', async () => {
    peer = await startPeer((m, p) => {
      const reply = (result: unknown, error: unknown = null) =>
        p.send(JSON.stringify({ id: m.id, result, error }));
      if (m.method === 'get_schema') reply(SCHEMA);
      else if (m.method === 'monitor_cond_since') reply(null, { error: 'unknown method' });
      else if (m.method === 'monitor_cond') {
        reply({ S: { u1: { initial: { name: 'a', tags: 'x' } } } });
        const id = m.params?.[1];
        p.send(
          JSON.stringify({
            id: null,
            method: 'update2',
            params: [id, { S: { u1: { modify: { tags: ['set', ['x', 'y']] } } } }],
          }),
        );
      }
    });
    client = await OvsdbClient.connect({ endpoint: `tcp:127.0.0.1:${peer.port}`, probeIntervalMs: 0 });
    const m = await client.monitor('T', { S: {} });
    expect(m.method).toBe('monitor_cond');
    await waitFor(
      () => m.cache.get('S', 'u1')?.tags,
      (t) => JSON.stringify(t) === '["set",["y"]]',
    );
    expect(peer.received.map((r) => r.method)).toEqual(['get_schema', 'monitor_cond_since', 'monitor_cond']);
  });

  // The server's reply and its first update arriving in ONE chunk (as TCP merges them under load): the update must
  // apply after the reply's fill, not be wiped by it. Failed one CI run in the form of the test above.
  it.each(['monitor_cond', 'monitor_cond_since'] as const)(
    'keeps an update that arrives in the same chunk as the %s reply',
    async (method) => {
      peer = await startPeer((m, p) => {
        const line = (result: unknown, error: unknown = null) => JSON.stringify({ id: m.id, result, error });
        if (m.method === 'get_schema') p.send(line(SCHEMA));
        else if (m.method === 'monitor_cond_since' && method === 'monitor_cond')
          p.send(line(null, { error: 'unknown method' }));
        else if (m.method === method) {
          const initial = { S: { u1: { initial: { name: 'a', tags: 'x' } } } };
          const reply = method === 'monitor_cond' ? line(initial) : line([false, 'txn-1', initial]);
          const id = m.params?.[1];
          const modify = { S: { u1: { modify: { tags: ['set', ['x', 'y']] } } } };
          const update =
            method === 'monitor_cond'
              ? { id: null, method: 'update2', params: [id, modify] }
              : { id: null, method: 'update3', params: [id, 'txn-2', modify] };
          p.send(reply + JSON.stringify(update));
        }
      });
      client = await OvsdbClient.connect({ endpoint: `tcp:127.0.0.1:${peer.port}`, probeIntervalMs: 0 });
      const m = await client.monitor('T', { S: {} });
      expect(m.method).toBe(method);
      await waitFor(
        () => m.cache.get('S', 'u1')?.tags,
        (t) => JSON.stringify(t) === '["set",["y"]]',
      );
    },
  );

  it('drops the session on bytes that are not JSON, failing pending requests', async () => {
    peer = await startPeer((_m, p) => p.send('{"id":1,"result":[]} garbage'));
    client = await OvsdbClient.connect({ endpoint: `tcp:127.0.0.1:${peer.port}`, probeIntervalMs: 0 });
    await expect(Promise.all([client.listDbs(), client.listDbs()])).rejects.toMatchObject({ code: 'EPROTO' });
  });
});
