// StaticNat ↔ a dnat_and_snat NAT row on the VPC's Logical_Router: apply (create, adopt, update), revoke.
import type { StaticNatRef, StaticNatSpec } from '@netplane/adapter-sdk';
import { AdapterError } from '@netplane/adapter-sdk';
import {
  type Condition,
  map,
  namedUuid,
  type Operation,
  op,
  type Row,
  set,
  toUuids,
  where,
} from '@netplane/ovsdb';
import { conflict } from './errors';
import { noRowTagged, rowStillNamed, taggedWith, withGuardRetry } from './guards';
import { EXT, isOurs, names, OWNER } from './names';
import { extOf, isGuardFailure, type NbDatabase, type SelectedRow } from './nb';

const NAT_COLUMNS = ['_uuid', 'type', 'external_ip', 'logical_ip', 'external_ids'];

export function staticNatRow(rule: StaticNatSpec): Row {
  return {
    type: 'dnat_and_snat',
    external_ip: rule.publicIp,
    logical_ip: rule.privateIp,
    external_ids: map({
      [EXT.owner]: OWNER,
      [EXT.vpcId]: rule.vpcId,
      [EXT.networkId]: rule.networkId,
      [EXT.nicId]: rule.nicId,
      [EXT.ruleId]: rule.ruleId,
      [EXT.role]: 'static-nat',
    }),
  };
}

/**
 * The NAT rows other than this rule's that match `conditions` are still exactly `seen` (those on other routers, which
 * are no clash): the guard that nobody added one since we read.
 */
const sameOtherNats = (ruleId: string, conditions: Condition[], seen: SelectedRow[]) =>
  op.wait(
    'NAT',
    [...conditions, where.excludes('external_ids', map({ [EXT.ruleId]: ruleId }))],
    ['_uuid'],
    '==',
    seen.map((r) => ({ _uuid: r._uuid })),
    0,
  );

/** Removes NAT rows from whichever router holds them (which deletes them). */
const detach = (rows: SelectedRow[]): Operation[] =>
  rows.map((r) =>
    op.mutate('Logical_Router', [where.includes('nat', r._uuid)], [['nat', 'delete', set([r._uuid])]]),
  );

export async function applyStaticNat(
  db: NbDatabase,
  rule: StaticNatSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  const routerName = names.router(rule.vpcId);
  const byLogicalIp = [where.eq('type', 'dnat_and_snat'), where.eq('logical_ip', rule.privateIp)];
  return withGuardRetry(async () => {
    const [routers = [], mine = [], sameExternal = [], sameLogical = []] = await db.selectMany(
      [
        op.select('Logical_Router', [where.eq('name', routerName)], ['_uuid', 'name', 'external_ids', 'nat']),
        op.select('NAT', [taggedWith(EXT.ruleId, rule.ruleId)], NAT_COLUMNS),
        op.select('NAT', [where.eq('external_ip', rule.publicIp)], NAT_COLUMNS),
        op.select('NAT', byLogicalIp, NAT_COLUMNS),
      ],
      signal,
    );
    const router = routers[0];
    if (!router) {
      throw new AdapterError('INVALID_REQUEST', `VPC ${rule.vpcId} is not implemented on this controller`);
    }
    const rext = extOf(router);
    if (!isOurs(rext) || rext[EXT.vpcId] !== rule.vpcId) {
      throw conflict('Logical_Router', routerName, rext[EXT.owner], 'exists without our ids');
    }
    const isThisRule = (r: SelectedRow) => isOurs(extOf(r)) && extOf(r)[EXT.ruleId] === rule.ruleId;
    // On this VPC's router, a NAT of the public IP that is not this rule's, or another dnat_and_snat of the private
    // IP (OVN keeps one per logical IP; ovn-nbctl lr-nat-add refuses a second one too), is a clash. Other routers are
    // other VPCs: their private IPs are theirs, and public IPs are kept unique in the zone by the API.
    const onRouter = new Set(toUuids(router.nat));
    const otherExternal = sameExternal.filter((r) => !isThisRule(r));
    const otherLogical = sameLogical.filter((r) => !isThisRule(r));
    const clash = [...otherExternal, ...otherLogical].find((r) => onRouter.has(r._uuid[1]));
    if (clash) {
      const what = `${String(clash.type)} ${String(clash.external_ip)} -> ${String(clash.logical_ip)}`;
      throw conflict(
        'NAT',
        `${what} on router ${routerName}`,
        extOf(clash)[EXT.owner],
        `uses ${clash.external_ip === rule.publicIp ? `public IP ${rule.publicIp}` : `private IP ${rule.privateIp}`}`,
      );
    }

    const guards: Operation[] = [
      rowStillNamed('Logical_Router', router._uuid, routerName),
      sameOtherNats(rule.ruleId, [where.eq('external_ip', rule.publicIp)], otherExternal),
      sameOtherNats(rule.ruleId, byLogicalIp, otherLogical),
    ];
    const row = staticNatRow(rule);
    const existing = mine[0];
    if (existing) {
      const attached = toUuids(router.nat).includes(existing._uuid[1]);
      const same =
        mine.length === 1 &&
        attached &&
        existing.type === row.type &&
        existing.external_ip === row.external_ip &&
        existing.logical_ip === row.logical_ip;
      if (same) return { adopted: true };
      // Converge: one row of this rule, with the spec's addresses, on this VPC's router.
      const ops: Operation[] = [
        ...guards,
        op.wait(
          'NAT',
          [where.eq('_uuid', existing._uuid)],
          ['type'],
          '==',
          [{ type: existing.type ?? '' }],
          0,
        ),
        op.update('NAT', [where.eq('_uuid', existing._uuid)], row),
        ...detach(mine.filter((r) => r !== existing)),
      ];
      if (!attached) {
        ops.push(
          ...detach([existing]),
          op.mutate(
            'Logical_Router',
            [where.eq('_uuid', router._uuid)],
            [['nat', 'insert', set([existing._uuid])]],
          ),
        );
      }
      await db.transact([...ops, op.comment(`netplane: update static NAT ${rule.ruleId}`)], signal);
      return { adopted: true };
    }
    await db.transact(
      [
        ...guards,
        noRowTagged('NAT', EXT.ruleId, rule.ruleId),
        op.insert('NAT', row, 'nat'),
        // A NAT row is not a root row: it lives only while the router's nat set references it.
        op.mutate(
          'Logical_Router',
          [where.eq('_uuid', router._uuid)],
          [['nat', 'insert', set([namedUuid('nat')])]],
        ),
        op.comment(`netplane: static NAT ${rule.ruleId} ${rule.publicIp} -> ${rule.privateIp}`),
      ],
      signal,
    );
    return { adopted: false };
  }, isGuardFailure);
}

/** Dropping the row from its router's nat set deletes it; a rule the database does not hold is already revoked. */
export async function revokeStaticNat(
  db: NbDatabase,
  rule: StaticNatRef,
  signal: AbortSignal,
): Promise<void> {
  const [mine = []] = await db.selectMany(
    [op.select('NAT', [taggedWith(EXT.ruleId, rule.ruleId)], ['_uuid'])],
    signal,
  );
  if (mine.length === 0) return;
  await db.transact([...detach(mine), op.comment(`netplane: revoke static NAT ${rule.ruleId}`)], signal);
}
