// observe() of the Network ACL list each tier holds: one resource per port group that records a list (kind acl, id
// `<networkId>/list`), with the list's id, name and rules digest as recorded by applyNetworkAcl, and an issue for
// every list row that is missing, changed or extra against what the recorded spec makes (listAclRules, the same
// builder applyNetworkAcl writes with). A tier no list was ever applied to has none: its fixed rows are default_deny.
import { aclListResourceId, aclRulesDigest, type ObservedResource } from '@netplane/adapter-sdk';
import { type CachedRow, toRecord, toUuids } from '@netplane/ovsdb';
import { ACL_LIST_KEY, ACL_SPEC_KEY, type AclSpecRecord, LIST_RULE_PREFIX, listAclRules } from './acl-list';
import { EXT } from './names';

const str = (v: unknown) => (v === undefined ? '' : String(v));

/** The record applyNetworkAcl left on the port group, or undefined when it is absent or not one. */
function readRecord(text: string | undefined): AclSpecRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as AclSpecRecord;
    return typeof r.cidr === 'string' && Array.isArray(r.rules) ? r : undefined;
  } catch {
    return undefined;
  }
}

const rowText = (r: Readonly<Record<string, unknown>>) =>
  `${str(r.direction)} ${str(r.priority)} '${str(r.match)}' ${str(r.action)}`;

/**
 * `groups`: our port groups in scope; `acls`: every ACL row by uuid; `tierOf`: the tier's label by network id
 * ("tier web"), for the issues.
 */
export function observeAclLists(
  groups: readonly CachedRow[],
  acls: ReadonlyMap<string, CachedRow>,
  tierOf: (networkId: string) => string,
): ObservedResource[] {
  const out: ObservedResource[] = [];
  for (const pg of groups) {
    const ext = toRecord(pg.external_ids);
    const listId = ext[ACL_LIST_KEY];
    const networkId = ext[EXT.networkId];
    if (listId === undefined || networkId === undefined) continue;
    const record = readRecord(ext[ACL_SPEC_KEY]);
    const tier = tierOf(networkId);
    const list = `ACL list ${record?.listName ?? listId}`;
    const issues: string[] = [];
    const held = toUuids(pg.acls)
      .flatMap((u) => acls.get(u) ?? [])
      .filter((a) => (toRecord(a.external_ids)[EXT.rule] ?? '').startsWith(LIST_RULE_PREFIX));
    const byRule = new Map(held.map((a) => [toRecord(a.external_ids)[EXT.rule] ?? '', a]));
    if (!record) {
      // Applied before the record existed, or the record was edited: the rows cannot be checked until re-applied.
      issues.push(`${list} of ${tier} has no readable record of its rules on port group ${str(pg.name)}`);
    } else {
      const want = listAclRules({ networkId, cidr: record.cidr, rules: record.rules });
      for (const w of want) {
        const have = byRule.get(w.rule);
        byRule.delete(w.rule);
        if (!have) issues.push(`ACL ${w.rule} (${rowText(w)}) of ${list} on ${tier} is missing`);
        else if (rowText(have) !== rowText(w))
          issues.push(`ACL ${w.rule} of ${list} on ${tier} is ${rowText(have)}, expected ${rowText(w)}`);
      }
      for (const [rule, a] of byRule) issues.push(`ACL ${rule} (${rowText(a)}) on ${tier} is not in ${list}`);
    }
    out.push({
      kind: 'acl',
      id: aclListResourceId(networkId),
      name: record?.listName ?? listId,
      attributes: {
        networkId,
        aclList: listId,
        aclListName: record?.listName ?? '',
        ...(record ? { aclRules: aclRulesDigest(record.rules) } : {}),
      },
      ...(issues.length > 0 ? { issues } : {}),
    });
  }
  return out;
}
