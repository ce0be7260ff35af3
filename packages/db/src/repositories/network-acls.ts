// Network ACL lists, their rules and the list each tier uses. Rule numbers are unique per list by constraint; a
// renumbering goes through negative numbers so that a swap never collides midway. A tier with no assignment row
// uses default_deny (migration 009).
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import type { Db } from '../connect';
import type { NetworkAclListsTable, NetworkAclRulesTable } from '../schema-network-acls';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

export type AclListRow = {
  id: string;
  vpcId: string | null;
  name: string;
  description: string;
  builtin: boolean;
  state: string;
  lastError: string | null;
  jobId: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
};

export type AclRuleRow = {
  id: string;
  listId: string;
  number: number;
  action: string;
  protocol: string;
  trafficType: string;
  portStart: number | null;
  portEnd: number | null;
  icmpType: number | null;
  icmpCode: number | null;
  cidrs: string[];
  description: string;
  createdAt: number;
  updatedAt: number;
};

export type AclTierRow = { id: string; name: string; state: string; vpcId: string };

const numOrNull = (v: number | null): number | null => (v === null ? null : Number(v));

export const toAclList = (r: NetworkAclListsTable): AclListRow => ({
  id: r.id,
  vpcId: r.vpc_id,
  name: r.name,
  description: r.description,
  builtin: Number(r.builtin) === 1,
  state: r.state,
  lastError: r.last_error,
  jobId: r.job_id,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export const toAclRule = (r: NetworkAclRulesTable): AclRuleRow => ({
  id: r.id,
  listId: r.list_id,
  number: Number(r.number),
  action: r.action,
  protocol: r.protocol,
  trafficType: r.traffic_type,
  portStart: numOrNull(r.port_start),
  portEnd: numOrNull(r.port_end),
  icmpType: numOrNull(r.icmp_type),
  icmpCode: numOrNull(r.icmp_code),
  cidrs: JSON.parse(r.cidrs) as string[],
  description: r.description,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function insertAclList(
  db: Db,
  l: Omit<AclListRow, 'version' | 'updatedAt' | 'builtin' | 'lastError'> & { vpcId: string },
): Promise<void> {
  await db
    .insertInto('network_acl_lists')
    .values({
      id: l.id,
      vpc_id: l.vpcId,
      name: l.name,
      description: l.description,
      builtin: 0,
      state: l.state,
      last_error: null,
      job_id: l.jobId,
      created_at: l.createdAt,
      updated_at: l.createdAt,
      version: 1,
    })
    .execute();
}

export async function getAclList(db: Db, id: string): Promise<AclListRow | undefined> {
  const r = await db.selectFrom('network_acl_lists').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toAclList(r) : undefined;
}

export const ACL_LIST_SORTS = ['name', 'createdAt'] as const;
export type AclListSort = (typeof ACL_LIST_SORTS)[number];
const ACL_LIST_SORT: SortSpec<AclListSort> = {
  columns: {
    name: { column: 'name', type: 'string' },
    createdAt: { column: 'created_at', type: 'number' },
  },
  id: { column: 'id', type: 'string' },
  defaultSort: 'name',
  defaultDir: 'asc',
};

export type AclListPageRequest = PageRequest<AclListSort>;

/** The lists a VPC can use: its own and the built-ins, one keyset page. */
export async function pageAclListsOfVpc(
  db: Db,
  vpcId: string,
  req: PageRequest<AclListSort>,
): Promise<Page<AclListRow>> {
  const q = db
    .selectFrom('network_acl_lists')
    .where((eb) => eb.or([eb('vpc_id', '=', vpcId), eb('builtin', '=', 1)]));
  return keysetPage(
    q,
    ACL_LIST_SORT,
    req,
    (s) => s.selectAll(),
    (r) => toAclList(r as unknown as NetworkAclListsTable),
  );
}

export async function listAclRules(db: Db, listId: string): Promise<AclRuleRow[]> {
  const rows = await db
    .selectFrom('network_acl_rules')
    .selectAll()
    .where('list_id', '=', listId)
    .orderBy('number', 'asc')
    .execute();
  return rows.map(toAclRule);
}

export async function getAclRule(db: Db, id: string): Promise<AclRuleRow | undefined> {
  const r = await db.selectFrom('network_acl_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toAclRule(r) : undefined;
}

export type AclRuleFields = Omit<AclRuleRow, 'id' | 'listId' | 'createdAt' | 'updatedAt'>;

const ruleColumns = (r: AclRuleFields) => ({
  number: r.number,
  action: r.action,
  protocol: r.protocol,
  traffic_type: r.trafficType,
  port_start: r.portStart,
  port_end: r.portEnd,
  icmp_type: r.icmpType,
  icmp_code: r.icmpCode,
  cidrs: JSON.stringify(r.cidrs),
  description: r.description,
});

/** A number already used in the list is a unique violation (isUniqueViolation). */
export async function insertAclRule(
  db: Db,
  r: AclRuleFields & { id: string; listId: string; createdAt: number },
): Promise<void> {
  await db
    .insertInto('network_acl_rules')
    .values({
      id: r.id,
      list_id: r.listId,
      ...ruleColumns(r),
      created_at: r.createdAt,
      updated_at: r.createdAt,
    })
    .execute();
}

export async function updateAclRule(db: Db, id: string, r: AclRuleFields, now: number): Promise<boolean> {
  const res = await db
    .updateTable('network_acl_rules')
    .set({ ...ruleColumns(r), updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function deleteAclRule(db: Db, id: string): Promise<boolean> {
  const res = await db.deleteFrom('network_acl_rules').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/**
 * Gives the rules named new numbers (rules of the list not named keep theirs). Two passes, first to negative
 * numbers, so that swapping 10 and 20 never meets the unique constraint halfway; run it inside a transaction.
 */
export async function renumberAclRules(
  db: Db,
  listId: string,
  numbers: readonly { id: string; number: number }[],
  now: number,
): Promise<void> {
  for (const [i, n] of numbers.entries()) {
    await db
      .updateTable('network_acl_rules')
      .set({ number: -(i + 1), updated_at: now })
      .where('id', '=', n.id)
      .where('list_id', '=', listId)
      .execute();
  }
  for (const n of numbers) {
    await db
      .updateTable('network_acl_rules')
      .set({ number: n.number })
      .where('id', '=', n.id)
      .where('list_id', '=', listId)
      .execute();
  }
}

/** Deletes a list with its rules (and stale assignments of destroyed tiers); run it inside a transaction. */
export async function deleteAclList(db: Db, id: string): Promise<void> {
  await db.deleteFrom('network_acl_assignments').where('list_id', '=', id).execute();
  await db.deleteFrom('network_acl_rules').where('list_id', '=', id).execute();
  await db.deleteFrom('network_acl_lists').where('id', '=', id).execute();
}

export type AclStateUpdate = { state: string; lastError?: string | null; jobId?: string | null };

/** Writes the list's apply state; with `ifJob`, only while the list still names that job (a later edit wins). */
export async function setAclListState(
  db: Db,
  id: string,
  u: AclStateUpdate,
  now: number,
  ifJob?: string,
): Promise<boolean> {
  let q = db
    .updateTable('network_acl_lists')
    .set((eb) => ({
      state: u.state,
      ...(u.lastError !== undefined && { last_error: u.lastError }),
      ...(u.jobId !== undefined && { job_id: u.jobId }),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id);
  if (ifJob !== undefined) q = q.where('job_id', '=', ifJob);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The list the tier uses (default_deny when it has no assignment). */
export async function aclListIdOfTier(db: Db, networkId: string): Promise<string> {
  const r = await db
    .selectFrom('network_acl_assignments')
    .select('list_id')
    .where('network_id', '=', networkId)
    .executeTakeFirst();
  return r?.list_id ?? DEFAULT_DENY_ACL_ID;
}

/** Points the tier at a list (delete + insert: one upsert spelling for both dialects); inside a transaction. */
export async function assignAclList(db: Db, networkId: string, listId: string, now: number): Promise<void> {
  await db.deleteFrom('network_acl_assignments').where('network_id', '=', networkId).execute();
  await db
    .insertInto('network_acl_assignments')
    .values({ network_id: networkId, list_id: listId, updated_at: now })
    .execute();
}

/**
 * Tiers (not destroyed) that use the list, in name order; `vpcId` narrows (the built-ins are used across VPCs).
 * default_deny also counts the tiers with no assignment.
 */
export async function tiersUsingAcl(db: Db, listId: string, vpcId?: string): Promise<AclTierRow[]> {
  let q = db
    .selectFrom('networks as n')
    .leftJoin('network_acl_assignments as a', 'a.network_id', 'n.id')
    .select(['n.id', 'n.name', 'n.state', 'n.vpc_id'])
    .where('n.state', '!=', 'Destroy');
  q =
    listId === DEFAULT_DENY_ACL_ID
      ? q.where((eb) => eb.or([eb('a.list_id', '=', listId), eb('a.list_id', 'is', null)]))
      : q.where('a.list_id', '=', listId);
  if (vpcId !== undefined) q = q.where('n.vpc_id', '=', vpcId);
  const rows = await q.orderBy('n.name', 'asc').orderBy('n.id', 'asc').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, state: r.state, vpcId: r.vpc_id }));
}

/** Drops the assignment of a tier being deleted (its row must go before the network's). */
export async function forgetTier(db: Db, networkId: string): Promise<void> {
  await db.deleteFrom('network_acl_assignments').where('network_id', '=', networkId).execute();
}
