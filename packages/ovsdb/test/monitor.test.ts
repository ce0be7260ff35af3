// Integration: monitor_cond_since/monitor_cond cache, kept current and rebuilt after server restarts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Monitor, OvsdbClient, OvsdbConnectionError, op, toRecord, where } from '../src';
import { type OvsdbServerHandle, startOvsdbServer } from '../src/testing';
import { waitFor } from './poll';

const NB = 'OVN_Northbound';
const run = promisify(execFile);
let server: OvsdbServerHandle;

beforeAll(async () => {
  server = await startOvsdbServer();
});
afterAll(async () => {
  await server?.dispose();
});

const switchNames = (m: Monitor) => [...m.cache.rows('Logical_Switch')].map((r) => String(r.name)).sort();

describe('Monitor', () => {
  it('fills the cache with the initial rows and follows inserts, modifies and deletes made by ovn-nbctl', async () => {
    await server.nbctl(['ls-add', 'm-initial']);
    const client = await OvsdbClient.connect({ endpoint: server.unixEndpoint });
    try {
      const m = await client.monitor(NB, { Logical_Switch: { columns: ['name', 'external_ids', 'ports'] } });
      expect(switchNames(m)).toContain('m-initial');
      // ovsdb-server 2.12+ accepts monitor_cond_since, and then notifies with update3
      expect(m.method).toBe('monitor_cond_since');
      await server.nbctl(['ls-add', 'm-new']);
      await waitFor(
        () => switchNames(m),
        (n) => n.includes('m-new'),
      );
      await server.nbctl(['set', 'Logical_Switch', 'm-new', 'external_ids:a=1', 'external_ids:b=2']);
      await server.nbctl(['remove', 'Logical_Switch', 'm-new', 'external_ids', 'a']);
      const ext = () =>
        toRecord([...m.cache.rows('Logical_Switch')].find((r) => r.name === 'm-new')?.external_ids);
      await waitFor(ext, (e) => e.b === '2' && e.a === undefined);
      await server.nbctl(['lsp-add', 'm-new', 'm-port']);
      const ports = () => [...m.cache.rows('Logical_Switch')].find((r) => r.name === 'm-new')?.ports;
      await waitFor(ports, (p) => Array.isArray(p) && p[0] === 'set' && (p[1] as unknown[]).length === 1);
      await server.nbctl(['ls-del', 'm-new']);
      await waitFor(
        () => switchNames(m),
        (n) => !n.includes('m-new'),
      );
    } finally {
      await client.close();
    }
  });

  it("with select initial: false sends none of the existing rows, only the changes after it (RFC 7047's select)", async () => {
    await server.nbctl(['ls-add', 's-before']);
    const client = await OvsdbClient.connect({ endpoint: server.unixEndpoint });
    try {
      const select = { initial: false, insert: true, delete: true, modify: true };
      const m = await client.monitor(NB, { Logical_Switch: { columns: ['name'], select } });
      const changes: string[] = [];
      m.onChange((cs) =>
        changes.push(...cs.map((c) => `${c.kind} ${String(m.cache.get(c.table, c.uuid)?.name)}`)),
      );
      expect(switchNames(m)).toEqual([]);
      await server.nbctl(['ls-add', 's-after']);
      await waitFor(
        () => changes,
        (c) => c.includes('insert s-after'),
      );
      expect(switchNames(m)).toEqual(['s-after']);
    } finally {
      await client.close();
    }
  });

  it('reconnects after the server is killed and rebuilds the cache, dropping rows deleted while it was down', async () => {
    await server.nbctl(['ls-add', 'r-doomed']);
    const client = await OvsdbClient.connect({
      endpoint: server.tcpEndpoint,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    try {
      const m = await client.monitor(NB, { Logical_Switch: { columns: ['name'] } });
      expect(switchNames(m)).toContain('r-doomed');
      const syncs = m.fullSyncs;
      const inFlight = client
        .transact(NB, [
          op.wait('Logical_Switch', [where.eq('name', 'r-doomed')], ['name'], '==', [{ name: 'x' }], 5000),
        ])
        .catch((e: unknown) => e);
      await server.kill9();
      expect(await inFlight).toBeInstanceOf(OvsdbConnectionError);
      // Change the database file while no server runs, then bring the server back.
      const del = JSON.stringify([
        NB,
        { op: 'delete', table: 'Logical_Switch', where: [['name', '==', 'r-doomed']] },
      ]);
      await run('ovsdb-tool', ['transact', server.dbPath, del]);
      await server.start();
      await waitFor(
        () => switchNames(m),
        (n) => !n.includes('r-doomed'),
      );
      expect(client.connectCount).toBeGreaterThanOrEqual(2);
      expect(m.fullSyncs).toBeGreaterThan(syncs);
      await server.nbctl(['ls-add', 'r-after']);
      await waitFor(
        () => switchNames(m),
        (n) => n.includes('r-after'),
      );
    } finally {
      await client.close();
    }
  });

  it('serves requests again after a graceful restart without the caller reconnecting', async () => {
    const client = await OvsdbClient.connect({ endpoint: server.unixEndpoint });
    try {
      await server.restart();
      expect(await client.listDbs()).toContain(NB);
    } finally {
      await client.close();
    }
  });

  it('stops following changes once cancelled', async () => {
    const client = await OvsdbClient.connect({ endpoint: server.unixEndpoint });
    try {
      const m = await client.monitor(NB, { Logical_Switch: { columns: ['name'] } });
      await m.stop();
      await server.nbctl(['ls-add', 'after-cancel']);
      await client.transact(NB, [op.comment('barrier')]);
      expect(switchNames(m)).not.toContain('after-cancel');
    } finally {
      await client.close();
    }
  });
});
