// StaticNat ↔ a dnat_and_snat NAT row on the VPC's Logical_Router: apply (create, adopt, update), revoke.
import type { StaticNatRef, StaticNatSpec } from '@netplane/adapter-sdk';
import { AdapterError } from '@netplane/adapter-sdk';
import { map, namedUuid, type Operation, op, type Row, set, toUuids, where } from '@netplane/ovsdb';
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

/** Rows other than this rule's that use `column == value`: the guard that nobody added one since we read. */
const noOtherNat = (ruleId: string, conditions: ReturnType<typeof where.eq>[]) =>
  op.wait(
    'NAT',
    [...conditions, where.excludes('external_ids', map({ [EXT.ruleId]: ruleId }))],
    ['_uuid'],
    '==',
    [],
    0,
  );

/** Which router holds each NAT row (a NAT row belongs to exactly one router: it is not a root table). */
async function routersOf(db: NbDatabase, nats: SelectedRow[], signal: AbortSignal) {
  if (nats.length === 0) return new Map<string, string>();
  const rows = await db.selectMany(
    nats.map((n) => op.select('Logical_Router', [where.includes('nat', n._uuid)], ['name'])),
    signal,
  );
  return new Map(nats.map((n, i) => [n._uuid[1], String(rows[i]?.[0]?.name ?? '?')]));
}

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
  return withGuardRetry(async () => {
    const [routers = [], mine = [], sameExternal = [], sameLogical = []] = await db.selectMany(
      [
        op.select('Logical_Router', [where.eq('name', routerName)], ['_uuid', 'name', 'external_ids', 'nat']),
        op.select('NAT', [taggedWith(EXT.ruleId, rule.ruleId)], NAT_COLUMNS),
        op.select('NAT', [where.eq('external_ip', rule.publicIp)], NAT_COLUMNS),
        op.select(
          'NAT',
          [where.eq('type', 'dnat_and_snat'), where.eq('logical_ip', rule.privateIp)],
          NAT_COLUMNS,
        ),
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
    // One public IP is one address on the provider network: a NAT of it on any router, ours or not, is a clash,
    // and OVN keeps one dnat_and_snat per logical IP (ovn-nbctl lr-nat-add refuses a second one too).
    const others = [...sameExternal, ...sameLogical].filter((r) => !isThisRule(r));
    if (others.length > 0) {
      const holders = await routersOf(db, others, signal);
      const o = others[0] as SelectedRow;
      const what = `${String(o.type)} ${String(o.external_ip)} -> ${String(o.logical_ip)}`;
      const on = holders.get(o._uuid[1]) ?? '?';
      throw conflict(
        'NAT',
        `${what} on router ${on}`,
        extOf(o)[EXT.owner],
        `uses ${o.external_ip === rule.publicIp ? `public IP ${rule.publicIp}` : `private IP ${rule.privateIp}`}`,
      );
    }

    const guards: Operation[] = [
      rowStillNamed('Logical_Router', router._uuid, routerName),
      noOtherNat(rule.ruleId, [where.eq('external_ip', rule.publicIp)]),
      noOtherNat(rule.ruleId, [where.eq('type', 'dnat_and_snat'), where.eq('logical_ip', rule.privateIp)]),
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
