// One keyset page of the NIC list (a tier's NIC table), every filter in the query.
import { type SqlBool, sql } from 'kysely';
import type { Db } from '../connect';
import type { NicsTable } from '../schema-engine';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';
import { type NicRow, toNic } from './nics';
import { likePattern } from './vpcs';

export const NIC_SORTS = ['ipIndex', 'vmName', 'state', 'createdAt'] as const;
export type NicSort = (typeof NIC_SORTS)[number];

const NIC_SORT: SortSpec<NicSort> = {
  columns: {
    ipIndex: { column: 'ip_index', type: 'number' },
    vmName: { column: 'vm_name', type: 'string' },
    state: { column: 'state', type: 'string' },
    createdAt: { column: 'created_at', type: 'number' },
  },
  id: { column: 'id', type: 'string' },
  defaultSort: 'ipIndex',
  defaultDir: 'asc',
};

export type NicPageRequest = PageRequest<NicSort> & {
  networkId?: string;
  vpcId?: string;
  state?: string;
  /** Case-insensitive substring of the VM name or the IP. */
  search?: string;
};

/** One keyset page of NICs (a tier's NIC table), by IP unless sorted otherwise. */
export function pageNics(db: Db, f: NicPageRequest): Promise<Page<NicRow>> {
  let q = db.selectFrom('nics');
  if (f.networkId !== undefined) q = q.where('network_id', '=', f.networkId);
  if (f.vpcId !== undefined) q = q.where('vpc_id', '=', f.vpcId);
  if (f.state !== undefined) q = q.where('state', '=', f.state);
  if (f.search !== undefined) {
    const like = likePattern(f.search);
    q = q.where(sql<SqlBool>`(lower(vm_name) like ${like} escape '!' or ip like ${like} escape '!')`);
  }
  return keysetPage(
    q,
    NIC_SORT,
    f,
    (s) => s.selectAll(),
    (r) => toNic(r as unknown as NicsTable),
  );
}
