// VPCs: insert, read, and one keyset page of a filtered, sorted list.
import { type SqlBool, sql } from 'kysely';
import type { Db } from '../connect';
import type { VpcsTable } from '../schema-engine';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';
import { VPC_CONDITION_COLUMNS, type VpcConditionType, vpcConditionColumns } from './vpc-conditions';

export {
  VPC_CONDITION_COLUMNS,
  VPC_CONDITION_TYPES,
  type VpcConditionType,
  vpcConditionColumns,
} from './vpc-conditions';

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
      ...vpcConditionColumns(v.conditions),
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

/** The name search's count cap: past it the page says `totalCapped` (the console shows "1,000+"). */
export const NAME_SEARCH_COUNT_CAP = 1_000;

export type VpcFilter = {
  state?: string;
  zoneId?: string;
  includeDestroyed?: boolean;
  /** A condition the VPC must carry, e.g. Synced=False (its column of migration 014 or 016, indexed). */
  condition?: { type: VpcConditionType; status: string };
  /**
   * More conditions that must all hold with `condition`, e.g. Ready=True, Synced=True, Realized=False ("Implemented
   * and Synced but not Realized"): the most selective column's index seeks, the others filter.
   */
  conditions?: readonly { type: VpcConditionType; status: string }[];
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
    // A substring cannot seek, so the search reads every VPC's name either way; `created_at >= 0` (every VPC's) is a
    // range on the first column of vpcs_by_created_state_name (migration 012), so SQLite counts over that covering
    // index instead of scanning the table (EXPLAIN QUERY PLAN: `SCAN vpcs` without it; test/query-plans.test.ts).
    q = q
      .where('created_at', '>=', 0)
      .where(sql<SqlBool>`lower(name) like ${likePattern(f.nameContains)} escape '!'`);
  for (const c of [...(f.condition ? [f.condition] : []), ...(f.conditions ?? [])])
    q = q.where(VPC_CONDITION_COLUMNS[c.type], '=', c.status);
  return keysetPage(
    q,
    VPC_SORT,
    f,
    (s) => s.selectAll(),
    (r) => toVpc(r as unknown as VpcsTable),
    // The name search cannot seek an index: read the page's keys from vpcs_by_created_state_name (migration 012)
    // first, then the 50 rows, instead of every skipped VPC's whole row; and count at most NAME_SEARCH_COUNT_CAP
    // matches, so a search that matches most VPCs stops counting early; one that matches few reads every name in its
    // page query, which then holds every match and is its count (countAfterPage): one scan, not two.
    f.nameContains === undefined
      ? {}
      : { keysFirst: true, countAfterPage: true, countCap: { db, cap: NAME_SEARCH_COUNT_CAP } },
  );
}

/** `%text%` for LIKE, with the wildcards of the text itself escaped (escape character `!`). */
export const likePattern = (text: string): string =>
  `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
