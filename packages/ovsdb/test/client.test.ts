// Integration: the client against a real ovsdb-server (OVN Northbound schema) over unix and TCP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  map,
  namedUuid,
  OvsdbAbortError,
  OvsdbClient,
  OvsdbConnectionError,
  OvsdbError,
  op,
  set,
  toRecord,
  uuid,
  where,
} from '../src';
import { findFreePort, type OvsdbServerHandle, startOvsdbServer } from '../src/testing';
import { waitFor } from './poll';

const NB = 'OVN_Northbound';
let server: OvsdbServerHandle;
let client: OvsdbClient;

beforeAll(async () => {
  server = await startOvsdbServer();
  client = await OvsdbClient.connect({ endpoint: server.tcpEndpoint });
});
afterAll(async () => {
  await client?.close();
  await server?.dispose();
});

describe('OvsdbClient against ovsdb-server', () => {
  it('lists databases and reads the schema over TCP and over the unix socket', async () => {
    expect(await client.listDbs()).toContain(NB);
    const schema = await client.getSchema(NB);
    expect(schema.name).toBe(NB);
    expect(schema.version).toMatch(/^\d+\.\d+\.\d+$/);
    const overUnix = await OvsdbClient.connect({ endpoint: server.unixEndpoint });
    try {
      expect(await overUnix.listDbs()).toContain(NB);
    } finally {
      await overUnix.close();
    }
  });

  it('inserts a switch and a port referenced by named-uuid in one transaction, as ovn-nbctl sees it', async () => {
    const [sw, port] = await client.transact(NB, [
      op.insert('Logical_Switch', { name: 'ls-a', ports: set([namedUuid('p')]) }),
      op.insert(
        'Logical_Switch_Port',
        {
          name: 'lsp-a',
          addresses: set(['02:00:00:00:00:01 10.0.0.5']),
          external_ids: map({ owner: 'test' }),
        },
        'p',
      ),
      op.comment('client test'),
    ]);
    expect(sw?.uuid?.[0]).toBe('uuid');
    expect(port?.uuid?.[0]).toBe('uuid');
    const csv = await server.nbctl([
      '--format=csv',
      '--columns=name,addresses',
      'list',
      'Logical_Switch_Port',
    ]);
    expect(csv).toContain('lsp-a,"[""02:00:00:00:00:01 10.0.0.5""]"');
    expect(await server.nbctl(['lsp-list', 'ls-a'])).toContain('lsp-a');
  });

  it('mutates, updates, selects and deletes rows', async () => {
    await client.transact(NB, [
      op.mutate('Logical_Switch', [where.eq('name', 'ls-a')], [['external_ids', 'insert', map({ k: 'v' })]]),
      op.update('Logical_Switch', [where.eq('name', 'ls-a')], { other_config: map({ mcast_snoop: 'true' }) }),
    ]);
    const rows = await client.select(NB, 'Logical_Switch', [where.eq('name', 'ls-a')]);
    expect(toRecord(rows[0]?.external_ids)).toEqual({ k: 'v' });
    const [del] = await client.transact(NB, [op.delete('Logical_Switch', [where.eq('name', 'nope')])]);
    expect(del?.count).toBe(0);
  });

  it('throws OvsdbError with the failing operation index when an operation fails', async () => {
    const ops = [
      op.select('Logical_Switch', [where.eq('name', 'ls-a')]),
      op.wait('Logical_Switch', [where.eq('name', 'ls-a')], ['name'], '==', [{ name: 'other' }], 0),
    ];
    const err = await client.transact(NB, ops).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbError);
    expect((err as OvsdbError).error).toBe('timed out');
    expect((err as OvsdbError).operationIndex).toBe(1);
    expect((err as OvsdbError).operation).toEqual(ops[1]);
  });

  it('throws OvsdbError with details when the commit violates a unique index', async () => {
    const err = await client
      .transact(NB, [
        op.insert('Logical_Switch_Port', { name: 'lsp-a' }, 'dup'),
        op.mutate(
          'Logical_Switch',
          [where.eq('name', 'ls-a')],
          [['ports', 'insert', set([namedUuid('dup')])]],
        ),
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbError);
    expect((err as OvsdbError).error).toBe('constraint violation');
    expect((err as OvsdbError).details).toContain('lsp-a');
  });

  it('throws a referential integrity violation when a row points at a missing row', async () => {
    const err = await client
      .transact(NB, [
        op.insert('Logical_Switch', {
          name: 'ls-bad',
          ports: set([uuid('5a4b0000-0000-4000-8000-000000000000')]),
        }),
      ])
      .catch((e: unknown) => e);
    expect((err as OvsdbError).error).toBe('referential integrity violation');
  });

  it('rejects an already aborted request at once without sending it', async () => {
    const ac = new AbortController();
    ac.abort(new Error('gave up'));
    await expect(client.listDbs({ signal: ac.signal })).rejects.toBeInstanceOf(OvsdbAbortError);
  });

  it('rejects an in-flight request when its signal aborts and ignores the late reply', async () => {
    // A wait op whose condition never holds keeps the reply back until its timeout, on the server's clock: the abort
    // (once the request is on the wire) comes first, and the reply that follows is the late one.
    const ac = new AbortController();
    const lateBefore = client.lateRepliesIgnored;
    const pending = client.transact(
      NB,
      [op.wait('Logical_Switch', [where.eq('name', 'ls-a')], ['name'], '==', [{ name: 'never' }], 1000)],
      { signal: ac.signal },
    );
    await new Promise((r) => setImmediate(r)); // the request is on the wire
    ac.abort(new Error('deadline'));
    // Rejected by the abort, not by the server's "timed out" answer, which has not come yet (it is counted below).
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', message: 'deadline' });
    // Requests sent before and after the late reply arrives still get their own answers.
    expect(await client.listDbs()).toContain(NB);
    await waitFor(
      () => client.lateRepliesIgnored,
      (n) => n === lateBefore + 1,
      15_000,
    );
    const rows = await client.select(NB, 'Logical_Switch', [where.eq('name', 'ls-a')]);
    expect(rows).toHaveLength(1);
  });

  it('rejects pending requests on close and refuses new ones', async () => {
    const c = await OvsdbClient.connect({ endpoint: server.unixEndpoint });
    const pending = c
      .transact(NB, [
        op.wait('Logical_Switch', [where.eq('name', 'ls-a')], ['name'], '==', [{ name: 'x' }], 5000),
      ])
      .catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r)); // the request is on the wire
    await c.close();
    expect(await pending).toMatchObject({ name: 'OvsdbConnectionError', code: 'ECONNABORTED' });
    await expect(c.listDbs()).rejects.toMatchObject({ code: 'ECONNABORTED' });
  });

  it('fails with ECONNREFUSED on a port nobody listens on', async () => {
    const port = await findFreePort();
    const c = new OvsdbClient({ endpoint: `tcp:127.0.0.1:${port}` });
    const err = await c.listDbs().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(OvsdbConnectionError);
    expect((err as OvsdbConnectionError).code).toBe('ECONNREFUSED');
  });
});
