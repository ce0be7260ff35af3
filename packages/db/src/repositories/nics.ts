// NICs: allocation rows (ip unique per tier by ip_index, mac unique), reads by tier/VPC, multi-row bulk insert with
// the allocation's transitions, the per-tier allocation lock and the classification of unique violations.
import { CompiledQuery } from 'kysely';
import type { Db, DialectName } from '../connect';
import type { NicsTable } from '../schema-engine';
import { isUniqueViolation } from './inventory-util';

export type NicRow = {
  id: string;
  networkId: string;
  vpcId: string;
  vmName: string;
  mac: string;
  ip: string;
  ipIndex: number;
  state: string;
  conditions: string;
  adopted: boolean;
  createdAt: number;
  updatedAt: number;
  version: number;
};

export const toNic = (r: NicsTable): NicRow => ({
  id: r.id,
  networkId: r.network_id,
  vpcId: r.vpc_id,
  vmName: r.vm_name,
  mac: r.mac,
  ip: r.ip,
  ipIndex: Number(r.ip_index),
  state: r.state,
  conditions: r.conditions,
  adopted: Number(r.adopted) === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

/** Parameters per row of the bulk NIC insert and of its transition rows. */
const NIC_COLUMNS = [
  'id',
  'network_id',
  'vpc_id',
  'vm_name',
  'mac',
  'ip',
  'ip_index',
  'state',
  'conditions',
  'adopted',
  'created_at',
  'updated_at',
  'version',
] as const;
const TRANSITION_COLUMNS = [
  'entity_type',
  'entity_id',
  'from_state',
  'to_state',
  'at',
  'actor',
  'reason',
  'job_id',
];
/**
 * Rows per multi-row INSERT: 500 × 13 = 6 500 placeholders, far below SQLite's 32 766 and MariaDB's 65 535 (and a
 * statement of ~250 kB, far below max_allowed_packet). Fixed chunks keep the set of distinct SQL texts small, so
 * SQLite's statement cache (connect.ts) reuses them.
 */
export const ROWS_PER_INSERT = 500;

const insertSql = new Map<string, string>();
/** `INSERT INTO t (cols) VALUES (?,…),…` for n rows, built once per (table, n); backticks quote on both dialects. */
function insertText(table: string, columns: readonly string[], n: number): string {
  const key = `${table}:${n}`;
  let text = insertSql.get(key);
  if (!text) {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    text = `insert into \`${table}\` (${columns.map((c) => `\`${c}\``).join(',')}) values ${Array(n).fill(tuple).join(',')}`;
    insertSql.set(key, text);
  }
  return text;
}

/**
 * Multi-row inserts of pre-ordered parameter tuples, chunked. Compiled by hand: Kysely's query builder costs more per
 * row than the database does for a 1000-row request, and these statements never vary but in their row count.
 */
async function insertRows(db: Db, table: string, columns: readonly string[], rows: readonly unknown[][]) {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    await db.executeQuery(CompiledQuery.raw(insertText(table, columns, chunk.length), chunk.flat()));
  }
}

export type NewNic = Omit<NicRow, 'version' | 'updatedAt'>;

const nicTuple = (n: NewNic): unknown[] => [
  n.id,
  n.networkId,
  n.vpcId,
  n.vmName,
  n.mac,
  n.ip,
  n.ipIndex,
  n.state,
  n.conditions,
  n.adopted ? 1 : 0,
  n.createdAt,
  n.createdAt,
  1,
];

export async function insertNics(db: Db, nics: readonly NewNic[]): Promise<void> {
  await insertRows(db, 'nics', NIC_COLUMNS, nics.map(nicTuple));
}

/**
 * New NIC rows and their `None → Allocated` transitions, in multi-row statements. Call it inside the transaction that
 * read the tier's used addresses (after lockTierForAllocation), so the whole request is written or nothing is.
 */
export async function insertAllocatedNics(
  db: Db,
  nics: readonly NewNic[],
  transition: { at: number; actor: string; reason: (nic: NewNic) => string },
): Promise<void> {
  await insertNics(db, nics);
  const t = transition;
  await insertRows(
    db,
    'state_transitions',
    TRANSITION_COLUMNS,
    nics.map((n) => ['nic', n.id, 'None', n.state, t.at, t.actor, t.reason(n), null]),
  );
}

/**
 * Serializes address allocation on one tier across connections and nodes, until the transaction ends. MariaDB: a row
 * lock on the tier. SQLite: the first statement writes, so the transaction holds the database's write lock before it
 * reads (reading first would make a second connection's write fail with SQLITE_BUSY instead of waiting for it).
 * The unique constraints on (network_id, ip_index) and mac stay the final guard. Returns the tier's state as locked
 * (undefined: no such tier).
 */
export async function lockTierForAllocation(
  db: Db,
  dialect: DialectName,
  networkId: string,
): Promise<{ state: string } | undefined> {
  if (dialect === 'mysql') {
    return db
      .selectFrom('networks')
      .select('state')
      .where('id', '=', networkId)
      .forUpdate()
      .executeTakeFirst();
  }
  return db
    .updateTable('networks')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', networkId)
    .returning('state')
    .executeTakeFirst();
}

/** Which of these MACs a NIC already has (any tier: MACs are unique across the installation). */
export async function macsInUse(db: Db, macs: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < macs.length; i += ROWS_PER_INSERT) {
    const rows = await db
      .selectFrom('nics')
      .select('mac')
      .where('mac', 'in', macs.slice(i, i + ROWS_PER_INSERT))
      .execute();
    for (const r of rows) out.add(r.mac);
  }
  return out;
}

/** Which unique constraint of `nics` an insert violated, from either dialect's message; null for anything else. */
export function nicUniqueViolation(e: unknown): 'mac' | 'ip' | 'id' | null {
  if (!isUniqueViolation(e)) return null;
  const message = String((e as { message?: unknown }).message ?? '');
  // SQLite: "UNIQUE constraint failed: nics.mac"; MariaDB: "Duplicate entry '…' for key 'mac'" (or 'nics_mac').
  if (/nics\.mac\b|key '(nics_)?mac/.test(message)) return 'mac';
  if (/nics\.network_id|nics_network_ip/.test(message)) return 'ip';
  if (/nics\.id\b|key 'PRIMARY'/.test(message)) return 'id';
  return null;
}

export async function getNic(db: Db, id: string): Promise<NicRow | undefined> {
  const r = await db.selectFrom('nics').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toNic(r) : undefined;
}

export async function getNics(db: Db, ids: readonly string[]): Promise<NicRow[]> {
  const out: NicRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('nics')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    out.push(...rows.map(toNic));
  }
  return out;
}

export async function listNicsOfNetwork(db: Db, networkId: string): Promise<NicRow[]> {
  const rows = await db
    .selectFrom('nics')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('ip_index', 'asc')
    .execute();
  return rows.map(toNic);
}

export async function listNicsOfVpc(db: Db, vpcId: string): Promise<NicRow[]> {
  const rows = await db
    .selectFrom('nics')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute();
  return rows.map(toNic);
}

/** NICs per state of each tier: tier id -> state -> count (a tier without NICs has no entry). */
export async function countNicsByState(
  db: Db,
  networkIds: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (networkIds.length === 0) return out;
  const rows = await db
    .selectFrom('nics')
    .select(['network_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('network_id', 'in', networkIds)
    .groupBy(['network_id', 'state'])
    .execute();
  for (const r of rows) out.set(r.network_id, { ...out.get(r.network_id), [r.state]: Number(r.n) });
  return out;
}

export async function usedIpIndexes(db: Db, networkId: string): Promise<Set<number>> {
  const rows = await db.selectFrom('nics').select('ip_index').where('network_id', '=', networkId).execute();
  return new Set(rows.map((r) => Number(r.ip_index)));
}

export async function setAdopted(db: Db, id: string, adopted: boolean): Promise<void> {
  await db
    .updateTable('nics')
    .set({ adopted: adopted ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

export async function deleteNic(db: Db, id: string): Promise<void> {
  await db.deleteFrom('nics').where('id', '=', id).execute();
}

// The paged NIC table lives beside, to keep this file about allocation and reads.
export { NIC_SORTS, type NicPageRequest, type NicSort, pageNics } from './nic-pages';
