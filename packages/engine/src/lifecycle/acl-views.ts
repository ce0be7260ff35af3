// How ACL lists and rules read back (the API's views), the checks every edit of a list starts with (it exists, it
// is not built in, no apply job of it is queued or running), those of a rule's edit (it exists) and of an
// assignment (the tier's NetworkACL element takes lists), and the row fields of a rule. Used by acl-commands.ts.
import { networkAclsRepo as acls, isUniqueViolation, jobsRepo, networksRepo } from '@netplane/db';
import {
  type AclListDetail,
  type AclListView,
  type AclRuleInput,
  type AclRuleView,
  AppError,
} from '@netplane/domain';
import { supportsAclLists } from './acl-job';
import type { EngineCore } from './core';

const dbOf = (core: EngineCore) => core.deps.db.db;

/** A stored rule as the input that would create it again (with its id): what edits start from. */
export const inputOf = (r: acls.AclRuleRow): AclRuleInput & { id: string } => ({
  id: r.id,
  number: r.number,
  action: r.action as AclRuleInput['action'],
  protocol: r.protocol as AclRuleInput['protocol'],
  trafficType: r.trafficType as AclRuleInput['trafficType'],
  portStart: r.portStart,
  portEnd: r.portEnd,
  icmpType: r.icmpType,
  icmpCode: r.icmpCode,
  cidrs: r.cidrs,
  description: r.description,
});

/** A rule as the API shows it: its input fields, its id and its list. */
export function aclRuleView(r: acls.AclRuleRow): AclRuleView {
  return { ...inputOf(r), listId: r.listId };
}

/** The list as the API shows it; the tiers that use it are those of `vpcId` (the built-ins span VPCs). */
export async function aclListView(core: EngineCore, l: acls.AclListRow, vpcId: string): Promise<AclListView> {
  const tiers = await acls.tiersUsingAcl(dbOf(core), l.id, vpcId);
  return {
    id: l.id,
    vpcId: l.vpcId,
    name: l.name,
    description: l.description,
    builtin: l.builtin,
    state: l.state as AclListView['state'],
    lastError: l.lastError,
    jobId: l.jobId,
    tiers: tiers.map((t) => ({ id: t.id, name: t.name, state: t.state })),
    createdAt: l.createdAt,
  };
}

export async function getAclListDetail(
  core: EngineCore,
  id: string,
  vpcId?: string,
): Promise<AclListDetail | undefined> {
  const l = await acls.getAclList(dbOf(core), id);
  if (!l) return undefined;
  const view = await aclListView(core, l, vpcId ?? l.vpcId ?? '');
  return { ...view, rules: (await acls.listAclRules(dbOf(core), id)).map(aclRuleView) };
}

export async function findList(core: EngineCore, id: string): Promise<acls.AclListRow> {
  const l = await acls.getAclList(dbOf(core), id);
  if (!l) throw new AppError('NOT_FOUND', `ACL list ${id} does not exist`);
  return l;
}

export async function editableList(
  core: EngineCore,
  id: string,
): Promise<acls.AclListRow & { vpcId: string }> {
  const l = await findList(core, id);
  if (l.builtin || l.vpcId === null) {
    throw new AppError('PRECONDITION_FAILED', `${l.name} is a built-in list and cannot be changed`, {
      reason: 'BUILTIN_LIST',
    });
  }
  const busy = (await jobsRepo.activeJobsOn(dbOf(core), id))[0];
  if (busy) {
    throw new AppError('CONFLICT', `ACL list ${l.name} is being applied; wait for job ${busy.id}`, {
      reason: 'LIST_BUSY',
      jobId: busy.id,
    });
  }
  return { ...l, vpcId: l.vpcId };
}

export const fieldsOf = (r: AclRuleInput): acls.AclRuleFields => ({
  number: r.number,
  action: r.action,
  protocol: r.protocol,
  trafficType: r.trafficType,
  portStart: r.portStart,
  portEnd: r.portEnd,
  icmpType: r.icmpType,
  icmpCode: r.icmpCode,
  cidrs: [...r.cidrs],
  description: r.description,
});

/** A unique violation on (list, number): another request took the number meanwhile. */
export function numberTaken(e: unknown, what: string): never {
  if (isUniqueViolation(e))
    throw new AppError('CONFLICT', `Rule number ${what} is already used in this list`, {
      reason: 'NUMBER_TAKEN',
    });
  throw e;
}

/** The rule, or NOT_FOUND. */
export async function findRule(core: EngineCore, id: string): Promise<acls.AclRuleRow> {
  const r = await acls.getAclRule(core.deps.db.db, id);
  if (!r) throw new AppError('NOT_FOUND', `ACL rule ${id} does not exist`);
  return r;
}

/** A list can be assigned to the tier only where its NetworkACL element takes ACL lists (a typed BAD_INPUT if not). */
export async function requireAclElement(core: EngineCore, tier: networksRepo.NetworkRow): Promise<void> {
  const row = (await networksRepo.listElements(core.deps.db.db, [tier.id])).find(
    (e) => e.service === 'NetworkACL',
  );
  const handle = row ? await core.elements.get(row.controllerId) : undefined;
  if (!handle || !supportsAclLists(core, handle)) {
    throw new AppError(
      'BAD_INPUT',
      handle
        ? `Tier ${tier.name}'s provider (${handle.adapterId}) does not support ACL lists`
        : `Tier ${tier.name} has no NetworkACL service; its offering must include NetworkACL`,
      { reason: handle ? 'CAPABILITY_MISSING' : 'SERVICE_NOT_OFFERED', service: 'NetworkACL' },
    );
  }
}
