// NetworkACL lists ↔ ACL rows on the tier's Port_Group (applyNetworkAcl). The tier's three fixed rows that
// implementNetwork makes stay as they are and are the list's implicit part: `egress` (from-lport 1001 allow-related:
// egress no rule matches is allowed), `intra-tier` (to-lport 1001) and `default-deny` (to-lport 1000 drop: ingress no
// rule matches is dropped). Each rule of the list is one more row above them:
//   priority = 20000 - number (rule 1 → 19999, rule 9999 → 10001): lower number, higher priority;
//   Ingress → to-lport `outport == @pg && ip4 && ip4.src == {cidrs} && ip4.src != <tier cidr>`;
//   Egress → from-lport `inport == @pg && ip4 && ip4.dst == {cidrs} && ip4.dst != {<tier cidr>, 255.255.255.255}`
//   (the tier's own traffic is never filtered, and neither is its limited broadcast, which never leaves the tier:
//   a DHCPDISCOVER goes to 255.255.255.255, and an Egress deny-all must not cut a NIC off its DHCP), plus `tcp && tcp.dst >= a && tcp.dst <= b`, `udp…`, `icmp4 &&
//   icmp4.type == t && icmp4.code == c` or nothing for all; allow → allow-related (stateful), deny → drop.
// So default_deny (1: Ingress deny all) adds a drop that the fixed rows already imply, and default_allow (1 Ingress
// allow all, 2 Egress allow all) lets everything in. Rows are named by their number (`acl:<number>`) and tagged with
// the rule id; applying replaces the tier's rule rows with the spec's in one transaction, guarded on the port
// group's ACL set so that two applies never interleave. The port group records the list it holds
// (`netplane:acl_list`) and the spec's rules (`netplane:acl_spec`, JSON): observe() rebuilds the rows from that record
// with listAclRules and reports every row missing, changed or extra (observe-acl.ts).
import {
  AdapterError,
  NETWORK_ACL_SPEC_VERSION,
  type NetworkAclRuleSpec,
  type NetworkAclSpec,
} from '@netplane/adapter-sdk';
import {
  type Mutation,
  map,
  namedUuid,
  type Operation,
  op,
  set,
  toUuids,
  uuid,
  where,
} from '@netplane/ovsdb';
import { withGuardRetry } from './guards';
import { EXT, isOurs, names, OWNER } from './names';
import { extOf, isGuardFailure, type NbDatabase } from './nb';
import type { AclRule } from './network-rows';

/** Rows of a list rule carry `netplane:rule` = `acl:<number>`, the fixed rows their own names. */
export const LIST_RULE_PREFIX = 'acl:';
/** Port_Group external ids: the list the tier holds, and the record of its spec that observe() checks rows against. */
export const ACL_LIST_KEY = 'netplane:acl_list';
export const ACL_SPEC_KEY = 'netplane:acl_spec';

/** What the port group records of the applied spec: enough to rebuild its rows (listAclRules) and name the list. */
export type AclSpecRecord = Pick<NetworkAclSpec, 'listName' | 'cidr' | 'rules'>;
export const aclSpecRecord = (spec: NetworkAclSpec): string =>
  JSON.stringify({ listName: spec.listName, cidr: spec.cidr, rules: spec.rules } satisfies AclSpecRecord);
export const aclPriority = (number: number): number => 20000 - number;
const LIMITED_BROADCAST = '255.255.255.255';

function protocolMatch(r: NetworkAclRuleSpec): string {
  switch (r.protocol) {
    case 'tcp':
    case 'udp': {
      if (r.portStart === null || r.portEnd === null) return ` && ${r.protocol}`;
      const f = `${r.protocol}.dst`;
      return r.portStart === r.portEnd
        ? ` && ${f} == ${r.portStart}`
        : ` && ${f} >= ${r.portStart} && ${f} <= ${r.portEnd}`;
    }
    case 'icmp': {
      const type = r.icmpType !== null && r.icmpType !== -1 ? ` && icmp4.type == ${r.icmpType}` : '';
      const code = r.icmpCode !== null && r.icmpCode !== -1 ? ` && icmp4.code == ${r.icmpCode}` : '';
      return ` && icmp4${type}${code}`;
    }
    case 'all':
      return '';
  }
}

/** The ACL rows of one list on a tier, in number order. */
export function listAclRules(spec: Pick<NetworkAclSpec, 'networkId' | 'cidr' | 'rules'>): (AclRule & {
  ruleId: string;
})[] {
  const pg = `@${names.portGroup(spec.networkId)}`;
  return [...spec.rules]
    .sort((a, b) => a.number - b.number)
    .map((r) => {
      const ingress = r.trafficType === 'Ingress';
      const field = ingress ? 'ip4.src' : 'ip4.dst';
      // 0.0.0.0/0 is every address: no clause (OVN would accept it, but it says nothing).
      const cidrs = r.cidrs.filter((c) => c !== '0.0.0.0/0');
      const remote =
        cidrs.length === r.cidrs.length
          ? ` && ${field} == ${cidrs.length === 1 ? cidrs[0] : `{${cidrs.join(', ')}}`}`
          : '';
      const port = ingress ? `outport == ${pg}` : `inport == ${pg}`;
      const own = ingress ? spec.cidr : `{${spec.cidr}, ${LIMITED_BROADCAST}}`;
      return {
        rule: `${LIST_RULE_PREFIX}${r.number}`,
        ruleId: r.ruleId,
        direction: ingress ? 'to-lport' : 'from-lport',
        priority: aclPriority(r.number),
        match: `${port} && ip4${remote} && ${field} != ${own}${protocolMatch(r)}`,
        action: r.action === 'allow' ? 'allow-related' : 'drop',
      };
    });
}

const key = (r: { rule: string; direction: unknown; priority: unknown; match: unknown; action: unknown }) =>
  `${r.rule}|${String(r.direction)}|${String(r.priority)}|${String(r.match)}|${String(r.action)}`;

export async function applyNetworkAcl(
  db: NbDatabase,
  spec: NetworkAclSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  if (spec.version !== NETWORK_ACL_SPEC_VERSION) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `NetworkAclSpec version ${String(spec.version)} is not supported`,
    );
  }
  const pgName = names.portGroup(spec.networkId);
  const want = listAclRules(spec);
  return withGuardRetry(async () => {
    const [pgs = []] = await db.selectMany(
      [op.select('Port_Group', [where.eq('name', pgName)], ['_uuid', 'acls', 'external_ids'])],
      signal,
    );
    const pg = pgs[0];
    if (!pg || !isOurs(extOf(pg)) || extOf(pg)[EXT.networkId] !== spec.networkId) {
      throw new AdapterError(
        'INVALID_REQUEST',
        `Network ${spec.networkId} has no port group ${pgName} of ours; implement it with NetworkACL first`,
      );
    }
    const refs = toUuids(pg.acls);
    const rows =
      refs.length === 0
        ? []
        : (
            await db.selectMany(
              refs.map((u) =>
                op.select(
                  'ACL',
                  [where.eq('_uuid', uuid(u))],
                  ['_uuid', 'external_ids', 'direction', 'priority', 'match', 'action'],
                ),
              ),
              signal,
            )
          ).flat();
    const listRows = rows.filter((r) => (extOf(r)[EXT.rule] ?? '').startsWith(LIST_RULE_PREFIX));
    const have = listRows
      .map((r) =>
        key({
          rule: extOf(r)[EXT.rule] ?? '',
          direction: r.direction,
          priority: r.priority,
          match: r.match,
          action: r.action,
        }),
      )
      .sort();
    const wanted = want.map(key).sort();
    const record = aclSpecRecord(spec);
    const sameList = extOf(pg)[ACL_LIST_KEY] === spec.listId && extOf(pg)[ACL_SPEC_KEY] === record;
    if (sameList && JSON.stringify(have) === JSON.stringify(wanted)) return { adopted: true };
    const ops: Operation[] = [
      // Nobody changed the group's ACLs since we read them (another apply, implement's repair, a hand edit).
      op.wait(
        'Port_Group',
        [where.eq('_uuid', pg._uuid)],
        ['acls'],
        '==',
        [{ acls: set(refs.map((u) => uuid(u))) }],
        0,
      ),
    ];
    if (listRows.length > 0) {
      // ACL rows are not root rows: taken out of the group, they are deleted.
      ops.push(
        op.mutate(
          'Port_Group',
          [where.eq('_uuid', pg._uuid)],
          [['acls', 'delete', set(listRows.map((r) => r._uuid))]],
        ),
      );
    }
    want.forEach((r, i) => {
      ops.push(
        op.insert(
          'ACL',
          {
            name: r.rule,
            direction: r.direction,
            priority: r.priority,
            match: r.match,
            action: r.action,
            external_ids: map({
              [EXT.owner]: OWNER,
              [EXT.vpcId]: spec.vpcId,
              [EXT.networkId]: spec.networkId,
              [EXT.rule]: r.rule,
              [EXT.ruleId]: r.ruleId,
              [ACL_LIST_KEY]: spec.listId,
            }),
          },
          `rule${i}`,
        ),
      );
    });
    const added = set(want.map((_, i) => namedUuid(`rule${i}`)));
    const mutations: Mutation[] = [];
    if (want.length > 0) mutations.push(['acls', 'insert', added]);
    // A map insert keeps an existing key's value: the old list's id and record go first.
    const recorded = [ACL_LIST_KEY, ACL_SPEC_KEY].filter((k) => extOf(pg)[k] !== undefined);
    if (recorded.length > 0)
      ops.push(
        op.mutate('Port_Group', [where.eq('_uuid', pg._uuid)], [['external_ids', 'delete', set(recorded)]]),
      );
    mutations.push(['external_ids', 'insert', map({ [ACL_LIST_KEY]: spec.listId, [ACL_SPEC_KEY]: record })]);
    ops.push(op.mutate('Port_Group', [where.eq('_uuid', pg._uuid)], mutations));
    await db.transact(ops, signal);
    return { adopted: false };
  }, isGuardFailure);
}
