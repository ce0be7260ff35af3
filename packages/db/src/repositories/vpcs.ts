// VPCs: insert, read, and one keyset page of a filtered, sorted list.
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db, DialectName } from '../connect';
import type { VpcsTable } from '../schema-engine';
import { dialectOfDb, keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

export type VpcRow = {
  id: string;
  name: string;
  zoneId: string;
  offeringId: string;
  cidr: string;
  state: string;
  conditions: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  version: number;
};

export const toVpc = (r: VpcsTable): VpcRow => ({
  id: r.id,
  name: r.name,
  zoneId: r.zone_id,
  offeringId: r.offering_id,
  cidr: r.cidr,
  state: r.state,
  conditions: r.conditions,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export async function insertVpc(db: Db, v: Omit<VpcRow, 'version' | 'updatedAt'>): Promise<void> {
  await db
    .insertInto('vpcs')
    .values({
      id: v.id,
      name: v.name,
      zone_id: v.zoneId,
      offering_id: v.offeringId,
      cidr: v.cidr,
      state: v.state,
      conditions: v.conditions,
      created_by: v.createdBy,
      created_at: v.createdAt,
      updated_at: v.createdAt,
      version: 1,
    })
    .execute();
}

export async function getVpc(db: Db, id: string): Promise<VpcRow | undefined> {
  const r = await db.selectFrom('vpcs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toVpc(r) : undefined;
}

export async function getVpcs(db: Db, ids: readonly string[]): Promise<VpcRow[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('vpcs').selectAll().where('id', 'in', ids).execute()).map(toVpc);
}

export const VPC_SORTS = ['createdAt', 'name', 'state', 'updatedAt'] as const;
export type VpcSort = (typeof VPC_SORTS)[number];

const VPC_SORT: SortSpec<VpcSort> = {
  columns: {
    createdAt: { column: 'created_at', type: 'number' },
    updatedAt: { column: 'updated_at', type: 'number' },
    name: { column: 'name', type: 'string' },
    state: { column: 'state', type: 'string' },
  },
  id: { column: 'id', type: 'string' },
  defaultSort: 'createdAt',
  defaultDir: 'desc',
};

export type VpcFilter = {
  state?: string;
  zoneId?: string;
  includeDestroyed?: boolean;
  /** A condition the VPC must carry, e.g. Synced=False (matched in SQL, in the stored JSON). */
  condition?: { type: string; status: string };
  /** Case-insensitive substring of the name. */
  nameContains?: string;
};

export type VpcPageRequest = VpcFilter & PageRequest<VpcSort>;

/** One page of VPCs, newest first unless sorted otherwise; every filter is in the query, before the limit. */
export function listVpcs(db: Db, f: VpcPageRequest): Promise<Page<VpcRow>> {
  let q = db.selectFrom('vpcs');
  if (f.state !== undefined) q = q.where('state', '=', f.state);
  else if (!f.includeDestroyed) q = q.where('state', '!=', 'Destroy');
  if (f.zoneId !== undefined) q = q.where('zone_id', '=', f.zoneId);
  if (f.nameContains !== undefined)
    q = q.where(sql<SqlBool>`lower(name) like ${likePattern(f.nameContains)} escape '!'`);
  if (f.condition !== undefined) q = q.where(hasCondition(dialectOfDb(db), f.condition));
  return keysetPage(
    q,
    VPC_SORT,
    f,
    (s) => s.selectAll(),
    (r) => toVpc(r as unknown as VpcsTable),
    // The name search cannot seek an index: read the page's keys from vpcs_by_created_state_name (migration 009)
    // first, then the 50 rows, instead of every skipped VPC's whole row.
    { keysFirst: f.nameContains !== undefined },
  );
}

/** `%text%` for LIKE, with the wildcards of the text itself escaped (escape character `!`). */
export const likePattern = (text: string): string =>
  `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * The conditions column holds a JSON array of {type, status, ...}: match one element on both dialects. On SQLite,
 * parsing every VPC's JSON made the dashboard's "not Synced" count the slowest of its counts (docs/benchmarks.md), so
 * a plain substring test goes first: an element with that type and status has both as quoted strings in the text,
 * so the test only skips rows that cannot match and the JSON check still decides. It is applied only to values JSON
 * writes verbatim (JSON.stringify, which writes every stored value, escapes none of these characters); a hand-edited
 * value that spells such letters as \u escapes would be missed by it. MariaDB's json_contains is cheaper than its
 * instr over utf8mb4 text (measured: the substring test made the count slower), so it runs alone there.
 */
function hasCondition(dialect: DialectName, c: { type: string; status: string }): Expression<SqlBool> {
  if (dialect === 'mysql')
    return sql<SqlBool>`json_contains(conditions, json_object('type', ${c.type}, 'status', ${c.status}))`;
  // A hand-edited, malformed value matches nothing rather than failing the list.
  const exact = sql<SqlBool>`(case when json_valid(conditions) then exists (select 1 from json_each(conditions) as c
    where json_extract(c.value, '$.type') = ${c.type} and json_extract(c.value, '$.status') = ${c.status}) else 0 end)`;
  if (!VERBATIM.test(c.type) || !VERBATIM.test(c.status)) return exact;
  return sql<SqlBool>`(instr(conditions, ${`"${c.type}"`}) > 0 and instr(conditions, ${`"${c.status}"`}) > 0 and ${exact})`;
}

/** Characters JSON never needs to escape (and JSON.stringify never does). */
const VERBATIM = /^[A-Za-z0-9 _.:-]*$/;
