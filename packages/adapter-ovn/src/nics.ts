// NIC ↔ Logical_Switch_Port: batch prepare in one transaction (per-NIC outcomes), release, adopt on retry.
import { AdapterError, type BatchItemResult, type NicRef, type NicSpec } from '@netplane/adapter-sdk';
import {
  type Atom,
  map,
  namedUuid,
  type Operation,
  OvsdbError,
  op,
  type Row,
  set,
  toAtoms,
  toUuids,
  where,
} from '@netplane/ovsdb';
import { conflict } from './errors';
import { rowStillNamed, taggedWith, withGuardRetry } from './guards';
import { EXT, isOurs, MAX_BATCH, names, OWNER } from './names';
import { extOf, isGuardFailure, type NbDatabase, type SelectedRow } from './nb';

type Tier = { ls?: SelectedRow; dhcp?: SelectedRow; pg?: SelectedRow };

const addressOf = (nic: NicSpec) => `${nic.mac} ${nic.ip}`;

/** The Logical_Switch_Port row of a NIC (exported for the benchmark's raw baseline, so both write the same rows). */
export function nicPortRow(nic: NicSpec, dhcp: SelectedRow | undefined): Row {
  return {
    name: names.nicPort(nic.nicId),
    addresses: set([addressOf(nic)]),
    port_security: set([addressOf(nic)]),
    dhcpv4_options: set(dhcp ? [dhcp._uuid] : []),
    external_ids: map({
      [EXT.owner]: OWNER,
      [EXT.vpcId]: nic.vpcId,
      [EXT.networkId]: nic.networkId,
      [EXT.nicId]: nic.nicId,
      [EXT.vmName]: nic.vmName,
    }),
  };
}

/** Decides one NIC from what the database holds: adopt, conflict, or create. */
function decide(nic: NicSpec, existing: SelectedRow[], tier: Tier): BatchItemResult | 'create' {
  const name = names.nicPort(nic.nicId);
  const fail = (error: AdapterError): BatchItemResult => ({ nicId: nic.nicId, ok: false, error });
  const port = existing[0];
  if (port) {
    const ext = extOf(port);
    if (!isOurs(ext) || ext[EXT.nicId] !== nic.nicId) {
      return fail(conflict('Logical_Switch_Port', name, ext[EXT.owner], 'exists without our ids'));
    }
    const addresses = toAtoms(port.addresses).map(String);
    if (!addresses.includes(addressOf(nic)) || ext[EXT.networkId] !== nic.networkId) {
      return fail(
        conflict('Logical_Switch_Port', name, OWNER, `exists with other addresses (${addresses.join(', ')})`),
      );
    }
    return { nicId: nic.nicId, ok: true, result: { nicId: nic.nicId, adopted: true } };
  }
  if (!tier.ls) {
    return fail(
      new AdapterError('INVALID_REQUEST', `Network ${nic.networkId} is not implemented on this controller`),
    );
  }
  return 'create';
}

/**
 * What an adopted port lacks against what prepare would have made (port security, DHCP reference, port-group
 * membership, changed or removed by hand): the writes that put it back. Adopting is the repair of a NIC's drift.
 */
function repairPort(nic: NicSpec, port: SelectedRow, tier: Tier): Operation[] {
  const ops: Operation[] = [];
  const row = [where.eq('_uuid', port._uuid)];
  const fix: Row = {};
  const security = toAtoms(port.port_security).map(String);
  if (security.length !== 1 || security[0] !== addressOf(nic)) fix.port_security = set([addressOf(nic)]);
  const dhcp = toUuids(port.dhcpv4_options);
  if (tier.dhcp && (dhcp.length !== 1 || dhcp[0] !== tier.dhcp._uuid[1]))
    fix.dhcpv4_options = tier.dhcp._uuid;
  if (Object.keys(fix).length > 0) ops.push(op.update('Logical_Switch_Port', row, fix));
  if (tier.pg && !toUuids(tier.pg.ports).includes(port._uuid[1])) {
    ops.push(
      op.mutate('Port_Group', [where.eq('_uuid', tier.pg._uuid)], [['ports', 'insert', set([port._uuid])]]),
    );
  }
  // The port must still be ours when the repair lands, or the update would touch nothing and claim success.
  if (ops.length > 0) ops.unshift(rowStillNamed('Logical_Switch_Port', port._uuid, names.nicPort(nic.nicId)));
  return ops;
}

export async function prepareNics(
  db: NbDatabase,
  nics: readonly NicSpec[],
  signal: AbortSignal,
): Promise<BatchItemResult[]> {
  if (nics.length === 0) return [];
  if (nics.length > MAX_BATCH) {
    throw new AdapterError('INVALID_REQUEST', `A batch holds at most ${MAX_BATCH} NICs, got ${nics.length}`);
  }
  // Fast path: read each tier's ports with one select (one table scan per tier, not one per NIC).
  try {
    return await prepareOnce(db, nics, 'by-network', signal);
  } catch (e) {
    if (!isNameClash(e) && !isGuardFailure(e)) throw e;
  }
  // One of our names is taken by a row the tier read did not see (a hand-made port, a concurrent caller, a port
  // of this NIC on another tier): look every NIC up by name, which decides each one (adopt or conflict).
  return withGuardRetry(
    () => prepareOnce(db, nics, 'by-name', signal),
    (e) => isNameClash(e) || isGuardFailure(e),
  );
}

const isNameClash = (e: unknown) => e instanceof OvsdbError && e.error === 'constraint violation';
const PORT_COLUMNS = ['_uuid', 'name', 'addresses', 'port_security', 'dhcpv4_options', 'external_ids'];

async function prepareOnce(
  db: NbDatabase,
  nics: readonly NicSpec[],
  lookup: 'by-network' | 'by-name',
  signal: AbortSignal,
): Promise<BatchItemResult[]> {
  const networkIds = [...new Set(nics.map((n) => n.networkId))];
  const perTier = lookup === 'by-network' ? 4 : 3;
  const reads: Operation[] = [];
  for (const id of networkIds) {
    const tagged = taggedWith(EXT.networkId, id);
    reads.push(
      op.select('Logical_Switch', [where.eq('name', names.switch(id)), tagged], ['_uuid']),
      op.select('DHCP_Options', [tagged], ['_uuid']),
      op.select('Port_Group', [where.eq('name', names.portGroup(id)), tagged], ['_uuid', 'ports']),
    );
    if (lookup === 'by-network') reads.push(op.select('Logical_Switch_Port', [tagged], PORT_COLUMNS));
  }
  if (lookup === 'by-name') {
    for (const nic of nics) {
      reads.push(
        op.select('Logical_Switch_Port', [where.eq('name', names.nicPort(nic.nicId))], PORT_COLUMNS),
      );
    }
  }
  const rows = await db.selectMany(reads, signal);
  const tiers = new Map<string, Tier>();
  const portsByNic = new Map<string, SelectedRow[]>();
  networkIds.forEach((id, i) => {
    const tier: Tier = {};
    const [ls, dhcp, pg] = [rows[i * perTier]?.[0], rows[i * perTier + 1]?.[0], rows[i * perTier + 2]?.[0]];
    if (ls) tier.ls = ls;
    if (dhcp) tier.dhcp = dhcp;
    if (pg) tier.pg = pg;
    tiers.set(id, tier);
    if (lookup === 'by-network') {
      for (const port of rows[i * perTier + 3] ?? []) {
        const nicId = extOf(port)[EXT.nicId];
        if (nicId !== undefined) portsByNic.set(nicId, [port]);
      }
    }
  });
  const existing = (nic: NicSpec, i: number): SelectedRow[] =>
    lookup === 'by-network'
      ? (portsByNic.get(nic.nicId) ?? [])
      : (rows[networkIds.length * perTier + i] ?? []);

  const results = new Map<string, BatchItemResult>();
  const toCreate = new Map<string, NicSpec>();
  const repairs: Operation[] = [];
  nics.forEach((nic, i) => {
    if (results.has(nic.nicId) || toCreate.has(nic.nicId)) return;
    const port = existing(nic, i)[0];
    const tier = tiers.get(nic.networkId) ?? {};
    const d = decide(nic, existing(nic, i), tier);
    if (d === 'create') toCreate.set(nic.nicId, nic);
    else results.set(nic.nicId, d);
    if (d !== 'create' && d.ok && port) repairs.push(...repairPort(nic, port, tier));
  });

  if (toCreate.size > 0 || repairs.length > 0) {
    const writes: Operation[] = [...repairs];
    const byNetwork = new Map<string, Atom[]>();
    let i = 0;
    for (const nic of toCreate.values()) {
      const ref = `nic${i++}`;
      writes.push(op.insert('Logical_Switch_Port', nicPortRow(nic, tiers.get(nic.networkId)?.dhcp), ref));
      byNetwork.set(nic.networkId, [...(byNetwork.get(nic.networkId) ?? []), namedUuid(ref)]);
    }
    // Ports join their switch in the same transaction: an unreferenced port row would be garbage-collected.
    for (const [networkId, refs] of byNetwork) {
      const tier = tiers.get(networkId) as Tier;
      const ls = (tier.ls as SelectedRow)._uuid;
      writes.push(
        rowStillNamed('Logical_Switch', ls, names.switch(networkId)),
        op.mutate('Logical_Switch', [where.eq('_uuid', ls)], [['ports', 'insert', set(refs)]]),
      );
      if (tier.pg)
        writes.push(
          op.mutate('Port_Group', [where.eq('_uuid', tier.pg._uuid)], [['ports', 'insert', set(refs)]]),
        );
    }
    const repaired = repairs.length > 0 ? ` (repairing adopted ports)` : '';
    writes.push(op.comment(`netplane: prepare ${toCreate.size} NIC(s)${repaired}`));
    await db.transact(writes, signal);
    for (const nic of toCreate.values()) {
      results.set(nic.nicId, { nicId: nic.nicId, ok: true, result: { nicId: nic.nicId, adopted: false } });
    }
  }
  return nics.map((n) => results.get(n.nicId) as BatchItemResult);
}

/** Detaches the port from its switch and port group in one transaction; an unknown NIC is already released. */
export async function releaseNic(db: NbDatabase, nic: NicRef, signal: AbortSignal): Promise<void> {
  const name = names.nicPort(nic.nicId);
  const [ports = []] = await db.selectMany(
    [op.select('Logical_Switch_Port', [where.eq('name', name)], ['_uuid', 'external_ids'])],
    signal,
  );
  const port = ports[0];
  // A port with our name but not our ids is not ours to remove.
  if (!port || !isOurs(extOf(port)) || extOf(port)[EXT.nicId] !== nic.nicId) return;
  await db.transact(
    [
      op.mutate(
        'Logical_Switch',
        [where.includes('ports', port._uuid)],
        [['ports', 'delete', set([port._uuid])]],
      ),
      op.mutate(
        'Port_Group',
        [where.includes('ports', port._uuid)],
        [['ports', 'delete', set([port._uuid])]],
      ),
      op.comment(`netplane: release NIC ${nic.nicId}`),
    ],
    signal,
  );
}
