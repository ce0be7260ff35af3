// Public IP ranges of a zone and the addresses acquired from them. Acquire is race-free on both dialects without a
// lock: it inserts the lowest free address and lets the unique (zone_id, address_num) decide between racers; a
// loser re-reads and takes a random free address (every racer wanting the lowest again would let one win per round),
// the same scheme as segment ids (packages/engine/src/lifecycle/segments.ts).
import { randomUUID } from 'node:crypto';
import { intToIpv4, type PublicIpPurpose, usableCount } from '@netplane/domain';
import type { Db } from '../connect';
import type { PublicIpRangesTable, PublicIpsTable } from '../schema-public-ips';
import { isLockConflict, isUniqueViolation } from './inventory-util';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

export type RangeRow = {
  id: string;
  zoneId: string;
  physicalNetworkId: string;
  cidr: string;
  gateway: string;
  vlan: number | null;
  startIp: string;
  endIp: string;
  startNum: number;
  endNum: number;
  gatewayNum: number;
  createdAt: number;
  updatedAt: number;
  version: number;
};

export type RangeWithUsage = RangeRow & { size: number; used: number };

const toRange = (r: PublicIpRangesTable): RangeRow => ({
  id: r.id,
  zoneId: r.zone_id,
  physicalNetworkId: r.physical_network_id,
  cidr: r.cidr,
  gateway: r.gateway,
  vlan: r.vlan === null ? null : Number(r.vlan),
  startIp: r.start_ip,
  endIp: r.end_ip,
  startNum: Number(r.start_num),
  endNum: Number(r.end_num),
  gatewayNum: Number(r.gateway_num),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

const sizeOf = (r: RangeRow) => usableCount({ first: r.startNum, last: r.endNum, gateway: r.gatewayNum });

export async function insertRange(
  db: Db,
  r: Omit<RangeRow, 'createdAt' | 'updatedAt' | 'version'>,
  now: number,
) {
  await db
    .insertInto('public_ip_ranges')
    .values({
      id: r.id,
      zone_id: r.zoneId,
      physical_network_id: r.physicalNetworkId,
      cidr: r.cidr,
      gateway: r.gateway,
      vlan: r.vlan,
      start_ip: r.startIp,
      end_ip: r.endIp,
      start_num: r.startNum,
      end_num: r.endNum,
      gateway_num: r.gatewayNum,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

export async function getRange(db: Db, id: string): Promise<RangeRow | undefined> {
  const r = await db.selectFrom('public_ip_ranges').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRange(r) : undefined;
}

export async function listRangesOfZone(db: Db, zoneId: string): Promise<RangeRow[]> {
  const rows = await db
    .selectFrom('public_ip_ranges')
    .selectAll()
    .where('zone_id', '=', zoneId)
    .orderBy('start_num', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toRange);
}

/** The zone's ranges with their usable size and the addresses acquired from each (one grouped count). */
export async function listRangesWithUsage(db: Db, zoneId: string): Promise<RangeWithUsage[]> {
  const ranges = await listRangesOfZone(db, zoneId);
  const counts = await db
    .selectFrom('public_ips')
    .select(['range_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('zone_id', '=', zoneId)
    .groupBy('range_id')
    .execute();
  const used = new Map(counts.map((c) => [c.range_id, Number(c.n)]));
  return ranges.map((r) => ({ ...r, size: sizeOf(r), used: used.get(r.id) ?? 0 }));
}

export async function countAddressesOfRange(db: Db, rangeId: string): Promise<number> {
  const r = await db
    .selectFrom('public_ips')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('range_id', '=', rangeId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function countRangesOfPhysicalNetwork(db: Db, physicalNetworkId: string): Promise<number> {
  const r = await db
    .selectFrom('public_ip_ranges')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('physical_network_id', '=', physicalNetworkId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function deleteRange(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('public_ip_ranges').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export type PublicIpRow = {
  id: string;
  zoneId: string;
  rangeId: string;
  vpcId: string;
  address: string;
  addressNum: number;
  purpose: PublicIpPurpose;
  acquiredBy: string;
  acquiredAt: number;
};
export type PublicIpListed = PublicIpRow & { gateway: string; vlan: number | null };

const toIp = (r: PublicIpsTable): PublicIpRow => ({
  id: r.id,
  zoneId: r.zone_id,
  rangeId: r.range_id,
  vpcId: r.vpc_id,
  address: r.address,
  addressNum: Number(r.address_num),
  purpose: r.purpose as PublicIpPurpose,
  acquiredBy: r.acquired_by,
  acquiredAt: Number(r.acquired_at),
});

export async function getPublicIp(db: Db, id: string): Promise<PublicIpRow | undefined> {
  const r = await db.selectFrom('public_ips').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toIp(r) : undefined;
}

export async function sourceNatOf(db: Db, vpcId: string): Promise<PublicIpRow | undefined> {
  const r = await db
    .selectFrom('public_ips')
    .selectAll()
    .where('source_nat_of', '=', vpcId)
    .executeTakeFirst();
  return r ? toIp(r) : undefined;
}

export async function listPublicIpsOfVpc(db: Db, vpcId: string): Promise<PublicIpRow[]> {
  const rows = await db
    .selectFrom('public_ips')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('address_num', 'asc')
    .execute();
  return rows.map(toIp);
}

/** The address on this zone's public IP, if acquired. */
export async function findByAddress(db: Db, zoneId: string, address: string) {
  const r = await db
    .selectFrom('public_ips')
    .selectAll()
    .where('zone_id', '=', zoneId)
    .where('address', '=', address)
    .executeTakeFirst();
  return r ? toIp(r) : undefined;
}

export async function deletePublicIp(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('public_ips').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export const PUBLIC_IP_SORTS = ['acquiredAt', 'address'] as const;
export type PublicIpSort = (typeof PUBLIC_IP_SORTS)[number];
const PUBLIC_IP_SORT: SortSpec<PublicIpSort> = {
  columns: {
    acquiredAt: { column: 'p.acquired_at', type: 'number' },
    address: { column: 'p.address_num', type: 'number' },
  },
  id: { column: 'p.id', type: 'string' },
  defaultSort: 'acquiredAt',
  defaultDir: 'desc',
};

export type PublicIpPageRequest = PageRequest<PublicIpSort> & {
  vpcId?: string;
  zoneId?: string;
  rangeId?: string;
};

export function listPublicIps(db: Db, q: PublicIpPageRequest): Promise<Page<PublicIpListed>> {
  let query = db.selectFrom('public_ips as p').innerJoin('public_ip_ranges as r', 'r.id', 'p.range_id');
  if (q.vpcId !== undefined) query = query.where('p.vpc_id', '=', q.vpcId);
  if (q.zoneId !== undefined) query = query.where('p.zone_id', '=', q.zoneId);
  if (q.rangeId !== undefined) query = query.where('p.range_id', '=', q.rangeId);
  return keysetPage(
    query,
    PUBLIC_IP_SORT,
    q,
    (s) => s.selectAll('p').select(['r.gateway as range_gateway', 'r.vlan as range_vlan']),
    (row) => {
      const r = row as unknown as PublicIpsTable & { range_gateway: string; range_vlan: number | null };
      return {
        ...toIp(r),
        gateway: r.range_gateway,
        vlan: r.range_vlan === null ? null : Number(r.range_vlan),
      };
    },
  );
}

export type AcquireRequest = {
  zoneId: string;
  vpcId: string;
  purpose: PublicIpPurpose;
  acquiredBy: string;
  /** Only from this range of the zone. */
  rangeId?: string;
  now: number;
};

/** What acquire answers: the address, or why none: every range full (with their sizes), or no range at all. */
export type AcquireResult =
  | { ok: true; ip: PublicIpRow; existing: boolean }
  | { ok: false; reason: 'NO_RANGE' | 'EXHAUSTED'; ranges: RangeWithUsage[] };

/** Attempts before giving up; each lost one means another acquire committed, so a pool of free addresses shrank. */
const ATTEMPTS = 64;

/** The k-th free address (0-based) across the ranges in order, skipping gateways and acquired ones. */
function freeAt(
  ranges: readonly RangeRow[],
  used: ReadonlySet<number>,
  k: number,
): [RangeRow, number] | null {
  let left = k;
  for (const r of ranges) {
    for (let n = r.startNum; n <= r.endNum; n++) {
      if (n === r.gatewayNum || used.has(n)) continue;
      if (left === 0) return [r, n];
      left--;
    }
  }
  return null;
}

/**
 * Acquires one free address of the zone for a VPC. A SourceNat acquire is idempotent per VPC (the unique
 * source_nat_of): asking again, or racing another node, returns the address the VPC already has. Must not run inside
 * a caller's transaction on MariaDB: a deadlock there would roll back the caller's work, not only this insert.
 */
export async function acquirePublicIp(db: Db, req: AcquireRequest): Promise<AcquireResult> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (req.purpose === 'SourceNat') {
      const have = await sourceNatOf(db, req.vpcId);
      if (have) return { ok: true, ip: have, existing: true };
    }
    let ranges = await listRangesOfZone(db, req.zoneId);
    if (req.rangeId !== undefined) ranges = ranges.filter((r) => r.id === req.rangeId);
    if (ranges.length === 0) return { ok: false, reason: 'NO_RANGE', ranges: [] };
    const usedRows = await db
      .selectFrom('public_ips')
      .select(['address_num'])
      .where('zone_id', '=', req.zoneId)
      .execute();
    const used = new Set(usedRows.map((u) => Number(u.address_num)));
    const free = ranges.reduce((s, r) => s + sizeOf(r), 0) - countInRanges(ranges, used);
    if (free <= 0) return { ok: false, reason: 'EXHAUSTED', ranges: await usageOf(db, ranges) };
    const pick = freeAt(ranges, used, attempt === 0 ? 0 : Math.floor(Math.random() * free));
    if (!pick) continue;
    const [range, num] = pick;
    const row: PublicIpsTable = {
      id: randomUUID(),
      zone_id: req.zoneId,
      range_id: range.id,
      vpc_id: req.vpcId,
      address: intToIpv4(num),
      address_num: num,
      purpose: req.purpose,
      source_nat_of: req.purpose === 'SourceNat' ? req.vpcId : null,
      acquired_by: req.acquiredBy,
      acquired_at: req.now,
    };
    try {
      await db.insertInto('public_ips').values(row).execute();
      return { ok: true, ip: toIp(row), existing: false };
    } catch (e) {
      // Lost to another acquire (the address, or this VPC's source NAT), or the range was deleted meanwhile
      // (foreign key): read again. InnoDB may also pick one of several same-key inserters as a deadlock victim.
      if (!isUniqueViolation(e) && !isLockConflict(e) && !isForeignKeyViolation(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20));
    }
  }
  const ranges = await listRangesOfZone(db, req.zoneId);
  return { ok: false, reason: 'EXHAUSTED', ranges: await usageOf(db, ranges) };
}

function countInRanges(ranges: readonly RangeRow[], used: ReadonlySet<number>): number {
  let n = 0;
  for (const a of used) if (ranges.some((r) => a >= r.startNum && a <= r.endNum && a !== r.gatewayNum)) n++;
  return n;
}

async function usageOf(db: Db, ranges: readonly RangeRow[]): Promise<RangeWithUsage[]> {
  const zoneId = ranges[0]?.zoneId;
  if (zoneId === undefined) return [];
  const all = await listRangesWithUsage(db, zoneId);
  return all.filter((r) => ranges.some((x) => x.id === r.id));
}

/** SQLite: SQLITE_CONSTRAINT_FOREIGNKEY; MariaDB: ER_NO_REFERENCED_ROW_2 (1452): the referenced row is gone. */
export function isForeignKeyViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || Number((e as { errno?: unknown }).errno) === 1452;
}

/** True when deleting failed because a row still references it (a range with an acquired address). */
export function isReferencedRowViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || Number((e as { errno?: unknown }).errno) === 1451;
}
