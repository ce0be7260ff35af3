// ACL list drift: the list each tier should hold on its NetworkACL controller (the assigned list's rules, as
// applyNetworkAcl would send them) against the list the controller reports (observed kind acl, id
// `<networkId>/list`, with the rules digest; adapter-sdk acl-digest.ts), and the repair that applies it again.
// Issues the adapter reports on the list it holds (a row deleted or changed by hand) are drift through diff() like
// every issue; this module adds what only the engine knows: which list, with which rules, the tier should hold.
import {
  aclListResourceId,
  aclRulesDigest,
  type NetworkAclSpec,
  type ObservedResource,
} from '@netplane/adapter-sdk';
import { networkAclsRepo as acls, jobsRepo, type networksRepo } from '@netplane/db';
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import type { ElementHandle } from '../elements';
import { aclSpecOf, supportsAclLists } from './acl-job';
import type { EngineCore } from './core';
import type { Drift } from './drift';

/** What one tier should hold: the spec applyNetworkAcl would be given now, and its digest. */
export type WantedAcl = { tierName: string; spec: NetworkAclSpec; digest: string };

/**
 * The lists the tiers served by `handle` for NetworkACL should hold. Left out: tiers whose element cannot apply
 * lists, and tiers whose list is being applied or failed (a list not Active, a networkAcl.apply job on the tier):
 * in flight or already diagnosed, as rules in Add or Error are.
 */
export async function wantedAcls(
  core: EngineCore,
  handle: ElementHandle,
  tiers: readonly networksRepo.NetworkRow[],
): Promise<WantedAcl[]> {
  if (tiers.length === 0 || !supportsAclLists(core, handle)) return [];
  const db = core.deps.db.db;
  const out: WantedAcl[] = [];
  // Tiers of a VPC mostly share one or two lists: each list and its rules are read once per reconcile.
  const lists = new Map<string, acls.AclListRow | undefined>();
  const specs = new Map<string, NetworkAclSpec>();
  for (const tier of tiers) {
    const listId = await acls.aclListIdOfTier(db, tier.id);
    if (!lists.has(listId)) lists.set(listId, await acls.getAclList(db, listId));
    const list = lists.get(listId);
    if (list?.state !== 'Active') continue;
    if ((await jobsRepo.activeJobsOn(db, tier.id)).some((j) => j.kind === 'networkAcl.apply')) continue;
    const shared = specs.get(listId) ?? (await aclSpecOf(db, tier, list));
    specs.set(listId, shared);
    const spec = { ...shared, vpcId: tier.vpcId, networkId: tier.id, cidr: tier.cidr };
    out.push({ tierName: tier.name, spec, digest: aclRulesDigest(spec.rules) });
  }
  return out;
}

const countOf = (digest: string) => digest.split(':')[0] ?? '?';

/**
 * One drift per tier whose controller holds no list, another list, or the list with other rules. A tier that never
 * had a list applied holds its fixed rows, which are default_deny: no drift when that is its list.
 */
export function aclDrift(
  controllerId: string,
  wanted: readonly WantedAcl[],
  observed: readonly ObservedResource[],
  listNames: ReadonlyMap<string, string>,
): Drift[] {
  const held = new Map(observed.filter((o) => o.kind === 'acl').map((o) => [o.id, o]));
  const out: Drift[] = [];
  for (const w of wanted) {
    const id = aclListResourceId(w.spec.networkId);
    const o = held.get(id);
    const base = { resource: 'acl' as const, id, controllerId, networkId: w.spec.networkId };
    const list = `ACL list ${w.spec.listName}`;
    const tier = `tier ${w.tierName}`;
    if (!o) {
      if (w.spec.listId === DEFAULT_DENY_ACL_ID) continue;
      out.push({
        ...base,
        kind: 'missing',
        message: `${tier} should hold ${list}; the controller holds no list (only the tier's fixed default-deny rows)`,
      });
      continue;
    }
    const heldList = o.attributes.aclList ?? '';
    if (heldList !== w.spec.listId) {
      const name = listNames.get(heldList) ?? (o.attributes.aclListName || heldList);
      out.push({
        ...base,
        kind: 'different',
        differences: { aclList: { want: w.spec.listId, have: heldList } },
        message: `${tier} should hold ${list}; the controller holds ACL list ${name}`,
      });
      continue;
    }
    const rules = o.attributes.aclRules;
    // No digest: the adapter could not read what it holds and says so as an issue on the resource.
    if (rules !== undefined && rules !== w.digest) {
      out.push({
        ...base,
        kind: 'different',
        differences: { aclRules: { want: w.digest, have: rules } },
        message: `${list} on ${tier} has other rules on the controller (${countOf(rules)} held, ${countOf(w.digest)} wanted)`,
      });
    }
  }
  return out;
}

/** Is this drift about the list a tier holds (so its repair is applyNetworkAcl, not a re-implement)? */
export const isAclListDrift = (d: Drift): boolean =>
  d.resource === 'acl' && d.networkId != null && d.id === aclListResourceId(d.networkId);

/** The names of the lists the controller says its tiers hold (ours, by id), for the messages. */
export async function heldListNames(
  core: EngineCore,
  observed: readonly ObservedResource[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const o of observed) {
    const id = o.kind === 'acl' ? o.attributes.aclList : undefined;
    if (id === undefined || names.has(id)) continue;
    const list = await acls.getAclList(core.deps.db.db, id);
    if (list) names.set(id, list.name);
  }
  return names;
}
