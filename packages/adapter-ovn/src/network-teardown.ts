// Tier ↔ Logical_Switch teardown: shutdown detaches the NIC ports, destroy removes every row of the tier.
import type { NetworkRef } from '@netplane/adapter-sdk';
import { type Operation, op, set, where } from '@netplane/ovsdb';
import { taggedWith } from './guards';
import { EXT, names } from './names';
import type { NbDatabase } from './nb';
import { nicPortsOf } from './network';

/** Detaches every NIC port of the tier (they are garbage-collected); the switch and its router port stay. */
export async function shutdownNetwork(db: NbDatabase, ref: NetworkRef, signal: AbortSignal): Promise<void> {
  const nicPorts = await nicPortsOf(db, ref.networkId, signal);
  if (nicPorts.length === 0) return;
  await db.transact(
    [
      op.mutate(
        'Logical_Switch',
        [where.eq('name', names.switch(ref.networkId))],
        [['ports', 'delete', set(nicPorts)]],
      ),
      op.mutate(
        'Port_Group',
        [where.eq('name', names.portGroup(ref.networkId))],
        [['ports', 'delete', set(nicPorts)]],
      ),
      op.comment(`netplane: shutdown network ${ref.networkId}`),
    ],
    signal,
  );
}

/** Removes every row of the tier in one transaction; a tier already gone is a success. */
export async function destroyNetwork(db: NbDatabase, ref: NetworkRef, signal: AbortSignal): Promise<void> {
  const tagged = taggedWith(EXT.networkId, ref.networkId);
  const [lrps = [], nats = []] = await db.selectMany(
    [op.select('Logical_Router_Port', [tagged], ['_uuid']), op.select('NAT', [tagged], ['_uuid'])],
    signal,
  );
  const routerRefs = [...lrps, ...nats].map((r) => r._uuid);
  const ops: Operation[] = [
    op.delete('Logical_Switch', [where.eq('name', names.switch(ref.networkId)), tagged]),
    op.delete('DHCP_Options', [tagged]),
    op.delete('Port_Group', [where.eq('name', names.portGroup(ref.networkId)), tagged]),
    // the tier's Lb rules: a root table, so deleted by name; weak references from the router go with them
    op.delete('Load_Balancer', [tagged]),
  ];
  for (const r of routerRefs) {
    const column = lrps.some((l) => l._uuid[1] === r[1]) ? 'ports' : 'nat';
    ops.push(op.mutate('Logical_Router', [where.includes(column, r)], [[column, 'delete', set([r])]]));
  }
  await db.transact([...ops, op.comment(`netplane: destroy network ${ref.networkId}`)], signal);
}
