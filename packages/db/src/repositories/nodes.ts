// Management nodes of the cluster: one row per process, with a heartbeat; and the cluster-wide call guards' rows.
import { sql } from 'kysely';
import type { Db, DialectName } from '../connect';

export type NodeRow = {
  id: string;
  hostname: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
  state: string;
};

export async function upsertNode(db: Db, n: NodeRow): Promise<void> {
  const existing = await db.selectFrom('nodes').select('id').where('id', '=', n.id).executeTakeFirst();
  if (existing) {
    await db
      .updateTable('nodes')
      .set({ heartbeat_at: n.heartbeatAt, state: n.state, hostname: n.hostname, pid: n.pid })
      .where('id', '=', n.id)
      .execute();
    return;
  }
  await db
    .insertInto('nodes')
    .values({
      id: n.id,
      hostname: n.hostname,
      pid: n.pid,
      started_at: n.startedAt,
      heartbeat_at: n.heartbeatAt,
      state: n.state,
    })
    .execute();
}

export async function touchNode(db: Db, id: string, now: number, state: string): Promise<void> {
  await db.updateTable('nodes').set({ heartbeat_at: now, state }).where('id', '=', id).execute();
}

/** Creates the slot rows 0..count-1 of a controller if missing (idempotent, race-safe on both dialects). */
export async function ensureSlots(
  db: Db,
  dialect: DialectName,
  controllerId: string,
  count: number,
): Promise<void> {
  // Chunked: one statement for thousands of slots would pass SQLite's bound-parameter limit (4 per row).
  for (let from = 0; from < count; from += SLOT_INSERT_CHUNK) {
    const values = Array.from({ length: Math.min(SLOT_INSERT_CHUNK, count - from) }, (_, i) => ({
      controller_id: controllerId,
      slot: from + i,
      holder: null,
      expires_at: null,
    }));
    const q = db.insertInto('call_slots').values(values);
    if (dialect === 'sqlite') await q.onConflict((oc) => oc.doNothing()).execute();
    else await q.ignore().execute();
  }
}

const SLOT_INSERT_CHUNK = 1_000;

/**
 * Frees every slot held by a node whose heartbeat is older than `heartbeatBefore` (dead or stalled), at once rather
 * than when its hold expires (the call timeout + 10 s). Returns how many slots were freed.
 */
export async function reclaimSlotsOfDeadNodes(db: Db, heartbeatBefore: number): Promise<number> {
  const res = await db
    .updateTable('call_slots')
    .set({ holder: null, expires_at: null })
    .where('holder', 'in', (eb) =>
      eb.selectFrom('nodes').select('id').where('heartbeat_at', '<', heartbeatBefore),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Free slots (no holder, or an expired holder) below `count`, to try claiming. */
export async function freeSlots(db: Db, controllerId: string, count: number, now: number): Promise<number[]> {
  const rows = await db
    .selectFrom('call_slots')
    .select('slot')
    .where('controller_id', '=', controllerId)
    .where('slot', '<', count)
    .where((eb) => eb.or([eb('holder', 'is', null), eb('expires_at', '<', now)]))
    .execute();
  return rows.map((r) => Number(r.slot));
}

/** Compare-and-set claim of one slot. */
export async function claimSlot(
  db: Db,
  controllerId: string,
  slot: number,
  holder: string,
  expiresAt: number,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('call_slots')
    .set({ holder, expires_at: expiresAt })
    .where('controller_id', '=', controllerId)
    .where('slot', '=', slot)
    .where((eb) => eb.or([eb('holder', 'is', null), eb('expires_at', '<', now)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function renewSlot(
  db: Db,
  controllerId: string,
  slot: number,
  holder: string,
  expiresAt: number,
) {
  const res = await db
    .updateTable('call_slots')
    .set({ expires_at: expiresAt })
    .where('controller_id', '=', controllerId)
    .where('slot', '=', slot)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function freeSlot(db: Db, controllerId: string, slot: number, holder: string): Promise<void> {
  await db
    .updateTable('call_slots')
    .set({ holder: null, expires_at: null })
    .where('controller_id', '=', controllerId)
    .where('slot', '=', slot)
    .where('holder', '=', holder)
    .execute();
}

/** Controllers whose call_rates row exists, per database handle (rows are never deleted). */
const ensuredRates = new WeakMap<Db, Set<string>>();

/**
 * GCRA reservation: returns the time (µs) at which the caller may send, and moves the controller's theoretical
 * arrival time one interval further. Callers sleep until their time, so calls are spaced evenly cluster-wide.
 */
export async function reserveCallTime(
  db: Db,
  dialect: DialectName,
  controllerId: string,
  intervalUs: number,
  nowUs: number,
  notBeforeUs = 0,
): Promise<number> {
  const nowMs = Math.floor(nowUs / 1000);
  const ensured = ensuredRates.get(db);
  if (!ensured?.has(controllerId)) {
    const insert = db
      .insertInto('call_rates')
      .values({ controller_id: controllerId, tat_us: 0, updated_at: nowMs });
    if (dialect === 'sqlite') await insert.onConflict((oc) => oc.doNothing()).execute();
    else await insert.ignore().execute();
    ensuredRates.set(db, (ensured ?? new Set()).add(controllerId));
  }
  if (dialect === 'sqlite') {
    const r = await sql<{ tat_us: number }>`
      UPDATE call_rates SET tat_us = MAX(tat_us, ${nowUs}, ${notBeforeUs}) + ${intervalUs}, updated_at = ${nowMs}
      WHERE controller_id = ${controllerId} RETURNING tat_us`.execute(db);
    return Number(r.rows[0]?.tat_us) - intervalUs;
  }
  // One atomic statement (the row is locked only while it runs, never across a round trip); MariaDB has no
  // UPDATE … RETURNING, so the new value goes through a session variable read on the same connection.
  return db.connection().execute(async (conn) => {
    await sql`
      UPDATE call_rates SET tat_us = (@np_tat := GREATEST(tat_us, ${nowUs}, ${notBeforeUs}) + ${intervalUs}),
        updated_at = ${nowMs}
      WHERE controller_id = ${controllerId}`.execute(conn);
    const r = await sql<{ tat_us: number | string | null }>`SELECT @np_tat AS tat_us`.execute(conn);
    return Number(r.rows[0]?.tat_us) - intervalUs;
  });
}

/** A Retry-After from the controller: nobody in the cluster calls it before `untilUs`. */
export async function pushBackCalls(
  db: Db,
  controllerId: string,
  untilUs: number,
  nowMs: number,
): Promise<void> {
  await db
    .updateTable('call_rates')
    .set({ tat_us: untilUs, updated_at: nowMs })
    .where('controller_id', '=', controllerId)
    .where('tat_us', '<', untilUs)
    .execute();
}
