// Bulk seed for the read benchmark (scripts/bench/reads.ts): the rows the API benchmark's 10,000 VPCs leave behind
// (one tier, N NICs, two finished jobs and ten element calls per VPC), inserted straight through SQL in one
// transaction with multi-row INSERTs: seconds instead of the hour the API takes. A small share is in trouble (open
// diagnoses, overdue jobs, entities left in a transitional state, Synced=False) so the console's trouble reads
// return something. Deterministic: row i always gets the same values.
import { type Database, type Db, vpcsRepo } from '@netplane/db';
import { sql } from 'kysely';

const ZONE = '00000000-0000-4000-8000-000000000001';
const OFFERING = '00000000-0000-4000-8000-000000000002';
const PHYS = '00000000-0000-4000-8000-000000000003';
const PROVIDER = '00000000-0000-4000-8000-000000000004';
const CONTROLLER = '00000000-0000-4000-8000-000000000005';

/** A UUID-shaped id unique per (kind, n). */
export const uuid = (kind: number, n: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const cond = (synced: boolean) =>
  JSON.stringify([
    { type: 'Ready', status: 'True', reason: 'Implemented', message: '', lastTransitionTime: 1 },
    {
      type: 'Synced',
      status: synced ? 'True' : 'False',
      reason: 'Reconciled',
      message: '',
      lastTransitionTime: 1,
    },
  ]);

type Row = Record<string, unknown>;

async function insertAll(db: Db, table: keyof Database, rows: Row[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  // Keeps each statement under SQLite's bound-parameter limit (32,766).
  const per = Math.max(1, Math.floor(20_000 / Object.keys(first).length));
  for (let i = 0; i < rows.length; i += per)
    // The rows are checked by the database, not the compiler: one helper writes every table.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + per) as never)
      .execute();
}

export type SeedCounts = { vpcs: number; nics: number; jobs: number; calls: number; diagnoses: number };

export async function seedBulk(db: Db, vpcs: number, nicsPerVpc: number, now: number): Promise<SeedCounts> {
  const t0 = now - 86_400_000;
  const old = now - 3_600_000; // past the 15-minute transitional threshold
  const sqlite = isSqlite(db);
  // The condition columns of migration 014, written as the repositories write them; absent from a server bundle built
  // before it (`--server-main`), whose rows then carry the JSON alone.
  const conditionColumns = await hasConditionColumns(db);
  if (sqlite) await sql`pragma foreign_keys = off`.execute(db);
  {
    // The rows are built before the transaction opens: at 10,000 VPCs building them took longer than the MariaDB
    // session's idle_transaction_timeout (2 s, connect.ts) on a loaded machine, and the server closed the connection
    // idle in its transaction (ECONNRESET on the first insert).
    const v: Row[] = [];
    const n: Row[] = [];
    const nic: Row[] = [];
    const jobs: Row[] = [];
    const calls: Row[] = [];
    const diag: Row[] = [];
    for (let i = 0; i < vpcs; i++) {
      const at = t0 + i * 1000;
      const vpcId = uuid(1, i);
      const netId = uuid(2, i);
      // The diagnosed VPCs are in Error, so reading the queue leaves their diagnoses open.
      const vpcState = i % 250 === 5 ? 'Error' : i % 500 === 7 ? 'Implementing' : 'Implemented';
      v.push({
        id: vpcId,
        name: `bench-vpc-${i}`,
        zone_id: ZONE,
        offering_id: OFFERING,
        cidr: '10.0.0.0/16',
        state: vpcState,
        conditions: cond(i % 100 !== 3),
        ...(conditionColumns && vpcsRepo.vpcConditionColumns(cond(i % 100 !== 3))),
        created_by: 'admin',
        created_at: at,
        updated_at: vpcState === 'Implementing' ? old : at,
        version: 3,
      });
      n.push({
        id: netId,
        vpc_id: vpcId,
        zone_id: ZONE,
        name: 'tier1',
        offering_id: OFFERING,
        physical_network_id: PHYS,
        cidr: '10.0.1.0/24',
        gateway: '10.0.1.1',
        isolation_method: 'VXLAN',
        segment_kind: 'vni',
        segment_id: 5000 + i,
        broadcast_uri: `vxlan://${5000 + i}`,
        state: i % 700 === 11 ? 'Implementing' : 'Implemented',
        conditions: cond(true),
        created_at: at,
        updated_at: i % 700 === 11 ? old : at,
        version: 2,
      });
      for (let k = 0; k < nicsPerVpc; k++) {
        const j = i * nicsPerVpc + k;
        const stuck = j % 2000 === 13;
        nic.push({
          id: uuid(3, j),
          network_id: netId,
          vpc_id: vpcId,
          vm_name: `vm-${j}`,
          mac: `02:${[j >> 24, j >> 16, j >> 8, j, 0].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`,
          ip: `10.0.1.${k + 10}`,
          ip_index: k + 10,
          state: stuck ? 'Reserving' : 'Reserved',
          conditions: cond(true),
          adopted: 0,
          created_at: at + k,
          updated_at: stuck ? old : at + k,
          version: 2,
        });
      }
      for (const [kind, jn] of [
        ['vpc.implement', 0],
        ['nic.prepareBulk', 1],
      ] as const) {
        const overdue = jn === 1 && i % 1000 === 17;
        jobs.push({
          id: uuid(4, i * 2 + jn),
          kind,
          target_type: 'vpc',
          target_id: vpcId,
          vpc_id: vpcId,
          state: overdue ? 'running' : 'succeeded',
          payload: '{}',
          result: null,
          progress_done: 1,
          progress_total: 1,
          lease_owner: null,
          lease_expires_at: null,
          fencing_token: 1,
          attempts: 1,
          deadline_at: at + 600_000,
          stuck: 0,
          cancel_requested: 0,
          created_by: 'admin',
          created_at: at + jn,
          started_at: at + jn,
          finished_at: overdue ? null : at + jn + 50,
          updated_at: at + jn + 50,
          error: null,
        });
      }
      for (let c = 0; c < 10; c++)
        calls.push({
          id: uuid(5, i * 10 + c),
          phase: 'apply',
          adapter_id: 'simulator',
          provider_id: PROVIDER,
          controller_id: CONTROLLER,
          job_id: uuid(4, i * 2 + (c < 4 ? 0 : 1)),
          step_key: `s${c}`,
          vpc_id: vpcId,
          network_id: netId,
          target_type: c < 4 ? 'network' : 'nic',
          target_id: c < 4 ? netId : uuid(3, i * nicsPerVpc),
          attempt: 1,
          purpose: 'apply',
          batch_size: 1,
          started_at: at + c,
          duration_ms: c + 1,
          outcome: 'ok',
          error_category: null,
          error_message: null,
          vendor_code: null,
          vendor_message: null,
          retryable: null,
          request_summary: '{}',
          response_summary: '{}',
          node_id: 'bench-node',
          fencing_token: 1,
        });
      if (i % 250 === 5)
        diag.push({
          id: uuid(6, i),
          target_type: 'vpc',
          target_id: vpcId,
          vpc_id: vpcId,
          job_id: null,
          category: 'controller',
          title: 'Controller refused',
          sentence: 'The controller refused.',
          evidence: '[]',
          remediation: '[]',
          actions: '[]',
          root_cause_id: null,
          created_at: at,
          resolved_at: null,
        });
    }
    await db.transaction().execute(async (tx) => {
      // The zone, offering and physical network the rows point at are not read by any measured query.
      // (SQLite: foreign_keys is switched off before the transaction, where the pragma is a no-op.)
      if (!sqlite) await sql`set foreign_key_checks = 0`.execute(tx);
      await insertAll(tx, 'vpcs', v);
      await insertAll(tx, 'networks', n);
      await insertAll(tx, 'nics', nic);
      await insertAll(tx, 'jobs', jobs);
      await insertAll(tx, 'element_calls', calls);
      await insertAll(tx, 'diagnoses', diag);
    });
  }
  if (sqlite) await sql`pragma foreign_keys = on`.execute(db);
  else await sql`set foreign_key_checks = 1`.execute(db);
  await analyze(db);
  const c = await db
    .selectFrom('element_calls')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return {
    vpcs,
    nics: vpcs * nicsPerVpc,
    jobs: vpcs * 2,
    calls: Number(c.n),
    diagnoses: Math.ceil(vpcs / 250),
  };
}

async function hasConditionColumns(db: Db): Promise<boolean> {
  try {
    await sql`select synced_status, ready_status from vpcs where 1 = 0`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** Fresh statistics, as a long-running database has: both planners choose indexes from them. */
export async function analyze(db: Db): Promise<void> {
  if (isSqlite(db)) await sql`analyze`.execute(db);
  else
    for (const t of ['vpcs', 'networks', 'nics', 'jobs', 'element_calls', 'diagnoses'])
      await sql`analyze table ${sql.table(t)}`.execute(db);
}

const isSqlite = (db: Db) => db.getExecutor().adapter.constructor.name.startsWith('Sqlite');
