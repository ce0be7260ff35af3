// The two baselines of the OVN benchmark, each on its own fresh Northbound database: the same NIC ports as one raw
// OVSDB transaction (the rows prepareNics writes, no reads, no checks), and an ovn-nbctl process per port.

import { names, nicPortRow } from '@netplane/adapter-ovn';
import type { NicSpec } from '@netplane/adapter-sdk';
import { namedUuid, type Operation, op, rawTransact, set, where } from '@netplane/ovsdb';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';

/** A fresh database holding only the tiers' switches (the raw rows and nbctl both add ports to existing switches). */
async function withSwitches<T>(
  networkIds: readonly string[],
  fn: (server: OvsdbServerHandle) => Promise<T>,
): Promise<T> {
  const server = await startOvsdbServer();
  try {
    await server.nbctl(networkIds.flatMap((id, i) => [...(i > 0 ? ['--'] : []), 'ls-add', names.switch(id)]));
    return await fn(server);
  } finally {
    await server.dispose();
  }
}

/** rawPrepareOps for every tier at once: named uuids are made unique per tier so it is ONE transaction. */
export function rawOpsForAllTiers(nics: readonly NicSpec[]): Operation[] {
  const byTier = new Map<string, NicSpec[]>();
  for (const nic of nics) {
    const list = byTier.get(nic.networkId) ?? [];
    list.push(nic);
    byTier.set(nic.networkId, list);
  }
  const ops: Operation[] = [];
  let t = 0;
  for (const [networkId, tierNics] of byTier) {
    const ref = (i: number) => `t${t}p${i}`;
    tierNics.forEach((nic, i) => {
      ops.push(op.insert('Logical_Switch_Port', nicPortRow(nic, undefined), ref(i)));
    });
    const refs = set(tierNics.map((_, i) => namedUuid(ref(i))));
    ops.push(
      op.mutate('Logical_Switch', [where.eq('name', names.switch(networkId))], [['ports', 'insert', refs]]),
    );
    t += 1;
  }
  return ops;
}

/** One transaction inserting every port; the time excludes connecting. Returns the ports ovn-nbctl then lists. */
export async function measureRawTransaction(
  nics: readonly NicSpec[],
): Promise<{ ms: number; ports: number }> {
  const networkIds = [...new Set(nics.map((n) => n.networkId))];
  return withSwitches(networkIds, async (server) => {
    const r = await rawTransact(server.unixEndpoint, 'OVN_Northbound', rawOpsForAllTiers(nics));
    return { ms: r.elapsedMs, ports: await countPorts(server) };
  });
}

/**
 * One `ovn-nbctl` process per port (lsp-add, addresses and port security in one invocation, as a provisioning
 * script would do it) for the first `measured` NICs, spread over the tiers; the caller scales to the full count.
 * external_ids are left out, which only makes this baseline cheaper.
 */
export async function measureNbctlLoop(
  nics: readonly NicSpec[],
  measured: number,
): Promise<{ ms: number; ports: number }> {
  const networkIds = [...new Set(nics.map((n) => n.networkId))];
  const sample = spreadSample(nics, measured);
  return withSwitches(networkIds, async (server) => {
    const t0 = performance.now();
    for (const nic of sample) {
      const port = names.nicPort(nic.nicId);
      const address = `${nic.mac} ${nic.ip}`;
      await server.nbctl([
        ...['lsp-add', names.switch(nic.networkId), port],
        ...['--', 'lsp-set-addresses', port, address],
        ...['--', 'lsp-set-port-security', port, address],
      ]);
    }
    const ms = performance.now() - t0;
    return { ms, ports: await countPorts(server) };
  });
}

/** Every k-th NIC, so the sample covers all tiers the way the full run does. */
function spreadSample<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)] as T);
}

export async function countPorts(server: OvsdbServerHandle): Promise<number> {
  const out = await server.nbctl([
    '--format=csv',
    '--no-headings',
    '--columns=name',
    'list',
    'Logical_Switch_Port',
  ]);
  return out.split('\n').filter((l) => l.trim() !== '').length;
}
