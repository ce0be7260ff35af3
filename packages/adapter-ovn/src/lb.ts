// Lb ↔ a Load_Balancer row attached to the tier's Logical_Switch and the VPC's Logical_Router: apply, revoke.
import { AdapterError, type LbRuleRef, type LbRuleSpec } from '@netplane/adapter-sdk';
import {
  type Atom,
  map,
  namedUuid,
  type Operation,
  op,
  optional,
  type Row,
  set,
  toAtoms,
  toRecord,
  toUuids,
  uuid,
  where,
} from '@netplane/ovsdb';
import { conflict } from './errors';
import { noRowNamed, noRowTagged, taggedWith, withGuardRetry } from './guards';
import { EXT, isOurs, names, OWNER } from './names';
import { extOf, isGuardFailure, type NbDatabase, type SelectedRow } from './nb';

/**
 * OVN spreads a VIP's connections by hashing each flow (dp_hash over the 5-tuple by default, or over the row's
 * selection_fields). Hashing only the client address is source affinity; there is no round robin and no
 * least-connections, so 'source' is the only algorithm the manifest offers.
 */
const SELECTION_FIELDS: Record<string, readonly string[]> = { source: ['ip_src'] };
export const OVN_LB_ALGORITHMS = Object.keys(SELECTION_FIELDS);

export const vipOf = (rule: { publicIp: string; publicPort: number }) =>
  `${rule.publicIp}:${rule.publicPort}`;

/** Backends as OVN writes them: `ip:port` joined by ',', sorted so the same members give the same row. */
export const backendsOf = (rule: LbRuleSpec) =>
  [...new Set(rule.members.map((m) => `${m.ip}:${rule.privatePort}`))].sort().join(',');

export function loadBalancerRow(rule: LbRuleSpec): Row {
  const fields = SELECTION_FIELDS[rule.algorithm];
  if (!fields) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `OVN load balancers hash flows; algorithm ${rule.algorithm} is not supported (supported: ${OVN_LB_ALGORITHMS.join(', ')})`,
    );
  }
  return {
    name: names.loadBalancer(rule.ruleId),
    vips: map({ [vipOf(rule)]: backendsOf(rule) }),
    protocol: rule.protocol,
    selection_fields: set(fields),
    external_ids: map({
      [EXT.owner]: OWNER,
      [EXT.vpcId]: rule.vpcId,
      [EXT.networkId]: rule.networkId,
      [EXT.ruleId]: rule.ruleId,
      [EXT.name]: rule.name,
      [EXT.role]: 'lb',
      'netplane:algorithm': rule.algorithm,
    }),
  };
}

const LB_COLUMNS = ['_uuid', 'name', 'vips', 'protocol', 'selection_fields', 'external_ids'];
/** An empty protocol is tcp to OVN. */
export const protocolOf = (row: Row) => String(optional(row.protocol) ?? 'tcp');

function sameRow(have: SelectedRow, want: Row): boolean {
  // A one-element set comes back from the server as the bare atom: compare atoms, not encodings.
  const key = (v: Row[string] | undefined) => JSON.stringify(toAtoms(v).map(String).sort());
  const vips = (v: Row[string] | undefined) => JSON.stringify(Object.entries(toRecord(v)).sort());
  return (
    have.name === want.name &&
    vips(have.vips) === vips(want.vips) &&
    protocolOf(have) === want.protocol &&
    key(have.selection_fields) === key(want.selection_fields) &&
    JSON.stringify(Object.entries(extOf(have)).sort()) ===
      JSON.stringify(Object.entries(toRecord(want.external_ids)).sort())
  );
}

export async function applyLbRule(
  db: NbDatabase,
  rule: LbRuleSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  const row = loadBalancerRow(rule);
  const routerName = names.router(rule.vpcId);
  const lsName = names.switch(rule.networkId);
  const lbName = names.loadBalancer(rule.ruleId);
  const HOLDER = ['_uuid', 'name', 'external_ids', 'load_balancer'];
  return withGuardRetry(async () => {
    const [routers = [], switches = [], named = [], mine = []] = await db.selectMany(
      [
        op.select('Logical_Router', [where.eq('name', routerName)], HOLDER),
        op.select('Logical_Switch', [where.eq('name', lsName)], HOLDER),
        op.select('Load_Balancer', [where.eq('name', lbName)], LB_COLUMNS),
        op.select('Load_Balancer', [taggedWith(EXT.ruleId, rule.ruleId)], LB_COLUMNS),
      ],
      signal,
    );
    const router = routers[0];
    const ls = switches[0];
    if (!router) {
      throw new AdapterError('INVALID_REQUEST', `VPC ${rule.vpcId} is not implemented on this controller`);
    }
    if (!ls) {
      throw new AdapterError(
        'INVALID_REQUEST',
        `Network ${rule.networkId} is not implemented on this controller`,
      );
    }
    for (const [table, holder, id, key] of [
      ['Logical_Router', router, rule.vpcId, EXT.vpcId],
      ['Logical_Switch', ls, rule.networkId, EXT.networkId],
    ] as const) {
      const ext = extOf(holder);
      if (!isOurs(ext) || ext[key] !== id) {
        throw conflict(table, String(holder.name), ext[EXT.owner], 'exists without our ids');
      }
    }
    for (const r of named) {
      const ext = extOf(r);
      if (!isOurs(ext) || ext[EXT.ruleId] !== rule.ruleId) {
        throw conflict('Load_Balancer', lbName, ext[EXT.owner], 'exists without our ids');
      }
    }

    // Every load balancer already on the switch or the router that is not this rule's, with the same VIP and
    // protocol: OVN would answer the VIP from two rows.
    const attached = [...new Set([...toUuids(ls.load_balancer), ...toUuids(router.load_balancer)])];
    const mineIds = new Set(mine.map((r) => r._uuid[1]));
    const others = attached.filter((u) => !mineIds.has(u));
    if (others.length > 0) {
      const reads = others.map((u) => op.select('Load_Balancer', [where.eq('_uuid', uuid(u))], LB_COLUMNS));
      const rows = (await db.selectMany(reads, signal)).flat();
      const vip = vipOf(rule);
      const clash = rows.find((r) => vip in toRecord(r.vips) && protocolOf(r) === rule.protocol);
      if (clash) {
        const on = toUuids(ls.load_balancer).includes(clash._uuid[1])
          ? `switch ${lsName}`
          : `router ${routerName}`;
        throw conflict(
          'Load_Balancer',
          String(clash.name) || clash._uuid[1],
          extOf(clash)[EXT.owner],
          `already serves VIP ${vip}/${rule.protocol} on ${on}`,
        );
      }
    }

    // Nobody attached another load balancer to the switch or the router since we read them.
    const ops: Operation[] = [
      op.wait(
        'Logical_Switch',
        [where.eq('_uuid', ls._uuid)],
        ['load_balancer'],
        '==',
        [{ load_balancer: ls.load_balancer ?? set([]) }],
        0,
      ),
      op.wait(
        'Logical_Router',
        [where.eq('_uuid', router._uuid)],
        ['load_balancer'],
        '==',
        [{ load_balancer: router.load_balancer ?? set([]) }],
        0,
      ),
    ];
    const existing = mine[0];
    let ref: Atom = namedUuid('lb');
    if (existing) {
      ref = existing._uuid;
      const onSwitch = toUuids(ls.load_balancer).includes(existing._uuid[1]);
      const onRouter = toUuids(router.load_balancer).includes(existing._uuid[1]);
      if (mine.length === 1 && onSwitch && onRouter && sameRow(existing, row)) return { adopted: true };
      ops.push(
        op.wait(
          'Load_Balancer',
          [where.eq('_uuid', existing._uuid)],
          ['name'],
          '==',
          [{ name: existing.name ?? '' }],
          0,
        ),
        op.update('Load_Balancer', [where.eq('_uuid', existing._uuid)], row),
        // A second row of this rule (two racing applies before our guards existed) goes; weak references follow.
        ...mine.slice(1).map((r) => op.delete('Load_Balancer', [where.eq('_uuid', r._uuid)])),
      );
    } else {
      ops.push(
        noRowNamed('Load_Balancer', lbName),
        noRowTagged('Load_Balancer', EXT.ruleId, rule.ruleId),
        op.insert('Load_Balancer', row, 'lb'),
      );
    }
    ops.push(
      op.mutate('Logical_Switch', [where.eq('_uuid', ls._uuid)], [['load_balancer', 'insert', set([ref])]]),
      op.mutate(
        'Logical_Router',
        [where.eq('_uuid', router._uuid)],
        [['load_balancer', 'insert', set([ref])]],
      ),
      op.comment(`netplane: ${existing ? 'update' : 'apply'} LB rule ${rule.ruleId} ${vipOf(rule)}`),
    );
    await db.transact(ops, signal);
    return { adopted: existing !== undefined };
  }, isGuardFailure);
}

/**
 * Load_Balancer is a root table: its row lives until deleted, whoever references it. Detach it from every switch
 * and router, then delete it, in one transaction. A rule the database does not hold is already revoked.
 */
export async function revokeLbRule(db: NbDatabase, rule: LbRuleRef, signal: AbortSignal): Promise<void> {
  const [mine = []] = await db.selectMany(
    [op.select('Load_Balancer', [taggedWith(EXT.ruleId, rule.ruleId)], ['_uuid'])],
    signal,
  );
  if (mine.length === 0) return;
  const ops: Operation[] = [];
  for (const r of mine) {
    for (const table of ['Logical_Switch', 'Logical_Router']) {
      ops.push(
        op.mutate(
          table,
          [where.includes('load_balancer', r._uuid)],
          [['load_balancer', 'delete', set([r._uuid])]],
        ),
      );
    }
    ops.push(op.delete('Load_Balancer', [where.eq('_uuid', r._uuid)]));
  }
  await db.transact([...ops, op.comment(`netplane: revoke LB rule ${rule.ruleId}`)], signal);
}
