// PortForwarding ↔ one single-backend Load_Balancer row per rule: one VIP per forwarded port (publicIp:port →
// privateIp:port at the same offset), tagged with the rule id and role 'pf', attached to the tier's Logical_Switch and
// the VPC's Logical_Router like an Lb rule (attachment in `attachmentOps`, so it can move to a gateway router in one
// place). OVN's NAT rows cannot translate ports, a load balancer with one backend can. Revoke is Lb's revoke (both
// delete the Load_Balancer rows tagged with the rule id).
import {
  AdapterError,
  PORT_FORWARDING_SPEC_VERSION,
  type PortForwardingRef,
  type PortForwardingSpec,
} from '@netplane/adapter-sdk';
import {
  type Atom,
  map,
  namedUuid,
  type Operation,
  op,
  type Row,
  set,
  toRecord,
  toUuids,
  uuid,
  where,
} from '@netplane/ovsdb';
import { conflict } from './errors';
import { noRowNamed, noRowTagged, taggedWith, withGuardRetry } from './guards';
import { protocolOf, revokeLbRule } from './lb';
import { EXT, isOurs, names, OWNER } from './names';
import { extOf, isGuardFailure, type NbDatabase, type SelectedRow } from './nb';

export const PF_ROLE = 'pf';
export const pfName = (ruleId: string) => `netplane-pf-${ruleId}`;

/** The rule's VIPs: `publicIp:port` → `privateIp:port` for each port of the range. */
export function vipsOf(rule: PortForwardingSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i <= rule.publicPortEnd - rule.publicPortStart; i++)
    out[`${rule.publicIp}:${rule.publicPortStart + i}`] = `${rule.privateIp}:${rule.privatePortStart + i}`;
  return out;
}

function check(rule: PortForwardingSpec): void {
  if (rule.version !== PORT_FORWARDING_SPEC_VERSION)
    throw new AdapterError(
      'INVALID_REQUEST',
      `PortForwardingSpec version ${String(rule.version)} is not supported`,
    );
  const ok = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65_535;
  if (
    ![rule.publicPortStart, rule.publicPortEnd, rule.privatePortStart, rule.privatePortEnd].every(ok) ||
    rule.publicPortStart > rule.publicPortEnd ||
    rule.publicPortEnd - rule.publicPortStart !== rule.privatePortEnd - rule.privatePortStart
  )
    throw new AdapterError(
      'INVALID_REQUEST',
      'The port ranges must be within 1-65535, ordered and equally long',
    );
}

export function portForwardingRow(rule: PortForwardingSpec): Row {
  return {
    name: pfName(rule.ruleId),
    vips: map(vipsOf(rule)),
    protocol: rule.protocol,
    external_ids: map({
      [EXT.owner]: OWNER,
      [EXT.vpcId]: rule.vpcId,
      [EXT.networkId]: rule.networkId,
      [EXT.nicId]: rule.nicId,
      [EXT.ruleId]: rule.ruleId,
      [EXT.role]: PF_ROLE,
    }),
  };
}

const LB_COLUMNS = ['_uuid', 'name', 'vips', 'protocol', 'external_ids'];
const HOLDER = ['_uuid', 'name', 'external_ids', 'load_balancer'];

const sameRow = (have: SelectedRow, want: Row) => {
  const sorted = (v: Row[string] | undefined) => JSON.stringify(Object.entries(toRecord(v)).sort());
  return (
    have.name === want.name &&
    sorted(have.vips) === sorted(want.vips) &&
    protocolOf(have) === want.protocol &&
    sorted(have.external_ids) === sorted(want.external_ids)
  );
};

/**
 * Where a rule's Load_Balancer hangs: the tier's switch (traffic from inside the tier) and the VPC's router (traffic
 * through it). The waits make sure nobody attached another load balancer since we read them; the mutates attach
 * `ref`. The one place to change when VIPs move to a gateway router.
 */
export function attachmentOps(ls: SelectedRow, router: SelectedRow, ref: Atom): Operation[] {
  return (
    [
      ['Logical_Switch', ls],
      ['Logical_Router', router],
    ] as const
  ).flatMap(([table, holder]) => [
    op.wait(
      table,
      [where.eq('_uuid', holder._uuid)],
      ['load_balancer'],
      '==',
      [{ load_balancer: holder.load_balancer ?? set([]) }],
      0,
    ),
    op.mutate(table, [where.eq('_uuid', holder._uuid)], [['load_balancer', 'insert', set([ref])]]),
  ]);
}

/** A holder (router or switch) must be ours with our id; else the rule would hang off someone else's row. */
function requireOurs(table: string, holder: SelectedRow | undefined, key: string, id: string, what: string) {
  if (!holder) throw new AdapterError('INVALID_REQUEST', `${what} is not implemented on this controller`);
  const ext = extOf(holder);
  if (!isOurs(ext) || ext[key] !== id)
    throw conflict(table, String(holder.name), ext[EXT.owner], 'exists without our ids');
  return holder;
}

export async function applyPortForwarding(
  db: NbDatabase,
  rule: PortForwardingSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  check(rule);
  const row = portForwardingRow(rule);
  const lbName = pfName(rule.ruleId);
  return withGuardRetry(async () => {
    const [routers = [], switches = [], named = [], mine = [], nats = []] = await db.selectMany(
      [
        op.select('Logical_Router', [where.eq('name', names.router(rule.vpcId))], [...HOLDER, 'nat']),
        op.select('Logical_Switch', [where.eq('name', names.switch(rule.networkId))], HOLDER),
        op.select('Load_Balancer', [where.eq('name', lbName)], LB_COLUMNS),
        op.select('Load_Balancer', [taggedWith(EXT.ruleId, rule.ruleId)], LB_COLUMNS),
        op.select(
          'NAT',
          [where.eq('external_ip', rule.publicIp), where.eq('type', 'dnat_and_snat')],
          ['_uuid'],
        ),
      ],
      signal,
    );
    const router = requireOurs('Logical_Router', routers[0], EXT.vpcId, rule.vpcId, `VPC ${rule.vpcId}`);
    const ls = requireOurs(
      'Logical_Switch',
      switches[0],
      EXT.networkId,
      rule.networkId,
      `Network ${rule.networkId}`,
    );
    for (const r of named) {
      const ext = extOf(r);
      if (!isOurs(ext) || ext[EXT.ruleId] !== rule.ruleId)
        throw conflict('Load_Balancer', lbName, ext[EXT.owner], 'exists without our ids');
    }
    // A static NAT of the address on this router takes every port of it.
    const onRouter = new Set(toUuids(router.nat));
    if (nats.some((n) => onRouter.has(n._uuid[1])))
      throw conflict(
        'NAT',
        rule.publicIp,
        undefined,
        `already NATs ${rule.publicIp} on router ${String(router.name)}`,
      );
    // Any other load balancer on the switch or router answering one of our VIPs with the same protocol.
    const mineIds = new Set(mine.map((r) => r._uuid[1]));
    const others = [...new Set([...toUuids(ls.load_balancer), ...toUuids(router.load_balancer)])].filter(
      (u) => !mineIds.has(u),
    );
    if (others.length > 0) {
      const reads = others.map((u) => op.select('Load_Balancer', [where.eq('_uuid', uuid(u))], LB_COLUMNS));
      const wanted = Object.keys(vipsOf(rule));
      for (const r of (await db.selectMany(reads, signal)).flat()) {
        if (protocolOf(r) !== rule.protocol) continue;
        const taken = wanted.find((vip) => vip in toRecord(r.vips));
        if (taken)
          throw conflict(
            'Load_Balancer',
            String(r.name) || r._uuid[1],
            extOf(r)[EXT.owner],
            `already serves VIP ${taken}/${rule.protocol}`,
          );
      }
    }
    const existing = mine[0];
    const ops: Operation[] = [];
    let ref: Atom = namedUuid('pf');
    if (existing) {
      ref = existing._uuid;
      const attached =
        toUuids(ls.load_balancer).includes(existing._uuid[1]) &&
        toUuids(router.load_balancer).includes(existing._uuid[1]);
      if (mine.length === 1 && attached && sameRow(existing, row)) return { adopted: true };
      ops.push(
        op.update('Load_Balancer', [where.eq('_uuid', existing._uuid)], row),
        ...mine.slice(1).map((r) => op.delete('Load_Balancer', [where.eq('_uuid', r._uuid)])),
      );
    } else {
      ops.push(
        noRowNamed('Load_Balancer', lbName),
        noRowTagged('Load_Balancer', EXT.ruleId, rule.ruleId),
        op.insert('Load_Balancer', row, 'pf'),
      );
    }
    ops.push(
      ...attachmentOps(ls, router, ref),
      op.comment(`netplane: ${existing ? 'update' : 'apply'} port forwarding ${rule.ruleId}`),
    );
    await db.transact(ops, signal);
    return { adopted: existing !== undefined };
  }, isGuardFailure);
}

export const revokePortForwarding = (db: NbDatabase, ref: PortForwardingRef, signal: AbortSignal) =>
  revokeLbRule(db, ref, signal);
