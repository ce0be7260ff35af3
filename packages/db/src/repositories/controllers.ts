// Controllers (devices) of providers. The ciphertext leaves this module only through getControllerSecret and the
// rotation helpers; every other read returns a ControllerRecord without it.
import type {
  ControllerHealth,
  ControllerLimits,
  ControllerProtocol,
  ControllerResourceState,
} from '@netplane/domain';
import type { Db } from '../connect';
import type { ControllersTable } from '../schema';
import { affected, parseJson } from './inventory-util';
import { countNetworksUsingController } from './networks';

export type ControllerRecord = {
  id: string;
  providerId: string;
  name: string;
  endpoint: string;
  protocol: ControllerProtocol;
  config: Record<string, unknown>;
  limits: ControllerLimits;
  resourceState: ControllerResourceState;
  health: ControllerHealth;
  credentialsKeyId: string;
  createdAt: number;
  updatedAt: number;
  version: number;
};

const nullableNumber = (v: number | null) => (v === null ? null : Number(v));

function toRecord(r: ControllersTable): ControllerRecord {
  return {
    id: r.id,
    providerId: r.provider_id,
    name: r.name,
    endpoint: r.endpoint,
    protocol: r.protocol as ControllerProtocol,
    config: parseJson(r.config),
    limits: {
      maxConcurrent: Number(r.max_concurrent),
      callsPerSecond: Number(r.calls_per_second),
      timeoutMs: Number(r.timeout_ms),
    },
    resourceState: r.resource_state as ControllerResourceState,
    health: {
      ok: r.health_ok === null ? null : Number(r.health_ok) === 1,
      checkedAt: nullableNumber(r.health_checked_at),
      latencyMs: nullableNumber(r.health_latency_ms),
      version: r.health_version,
      lastError: r.health_error,
    },
    credentialsKeyId: r.credentials_key_id,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    version: Number(r.version),
  };
}

// Every column but the ciphertext: a listing can never carry it by accident.
const PUBLIC_COLUMNS = [
  'id',
  'provider_id',
  'name',
  'endpoint',
  'protocol',
  'config',
  'credentials_key_id',
  'max_concurrent',
  'calls_per_second',
  'timeout_ms',
  'resource_state',
  'health_ok',
  'health_checked_at',
  'health_latency_ms',
  'health_version',
  'health_error',
  'conditions',
  'created_at',
  'updated_at',
  'version',
] as const;

export async function listControllers(db: Db, providerId?: string): Promise<ControllerRecord[]> {
  let q = db.selectFrom('controllers').select(PUBLIC_COLUMNS).orderBy('name');
  if (providerId !== undefined) q = q.where('provider_id', '=', providerId);
  return (await q.execute()).map((r) => toRecord({ ...r, credentials_ciphertext: '' }));
}

export async function getController(db: Db, id: string): Promise<ControllerRecord | undefined> {
  const row = await db
    .selectFrom('controllers')
    .select(PUBLIC_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRecord({ ...row, credentials_ciphertext: '' }) : undefined;
}

/** The sealed credentials, for the one service that decrypts them to talk to the controller. */
export async function getControllerSecret(
  db: Db,
  id: string,
): Promise<{ ciphertext: string; keyId: string; version: number } | undefined> {
  const row = await db
    .selectFrom('controllers')
    .select(['credentials_ciphertext', 'credentials_key_id', 'version'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? { ciphertext: row.credentials_ciphertext, keyId: row.credentials_key_id, version: Number(row.version) }
    : undefined;
}

export type ControllerInsert = {
  id: string;
  providerId: string;
  name: string;
  endpoint: string;
  protocol: ControllerProtocol;
  config: Record<string, unknown>;
  limits: ControllerLimits;
  resourceState: ControllerResourceState;
  ciphertext: string;
  keyId: string;
};

export async function insertController(db: Db, c: ControllerInsert, now: number): Promise<void> {
  await db
    .insertInto('controllers')
    .values({
      id: c.id,
      provider_id: c.providerId,
      name: c.name,
      endpoint: c.endpoint,
      protocol: c.protocol,
      config: JSON.stringify(c.config),
      credentials_ciphertext: c.ciphertext,
      credentials_key_id: c.keyId,
      max_concurrent: c.limits.maxConcurrent,
      calls_per_second: c.limits.callsPerSecond,
      timeout_ms: c.limits.timeoutMs,
      resource_state: c.resourceState,
      conditions: '[]',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

export type ControllerPatch = Partial<{
  name: string;
  endpoint: string;
  config: Record<string, unknown>;
  limits: ControllerLimits;
  resourceState: ControllerResourceState;
  sealed: { ciphertext: string; keyId: string };
  health: { ok: boolean; checkedAt: number; latencyMs: number; version: string | null; error: string | null };
}>;

export async function updateController(
  db: Db,
  id: string,
  version: number,
  p: ControllerPatch,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('controllers')
    .set({
      ...(p.name !== undefined && { name: p.name }),
      ...(p.endpoint !== undefined && { endpoint: p.endpoint }),
      ...(p.config !== undefined && { config: JSON.stringify(p.config) }),
      ...(p.limits !== undefined && {
        max_concurrent: p.limits.maxConcurrent,
        calls_per_second: p.limits.callsPerSecond,
        timeout_ms: p.limits.timeoutMs,
      }),
      ...(p.resourceState !== undefined && { resource_state: p.resourceState }),
      ...(p.sealed !== undefined && {
        credentials_ciphertext: p.sealed.ciphertext,
        credentials_key_id: p.sealed.keyId,
      }),
      ...(p.health !== undefined && {
        health_ok: p.health.ok ? 1 : 0,
        health_checked_at: p.health.checkedAt,
        health_latency_ms: p.health.latencyMs,
        health_version: p.health.version,
        health_error: p.health.error,
      }),
      updated_at: now,
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return affected(r);
}

export async function deleteController(db: Db, id: string): Promise<boolean> {
  await db.deleteFrom('controller_health').where('controller_id', '=', id).execute();
  return affected(await db.deleteFrom('controllers').where('id', '=', id).executeTakeFirst());
}

export async function countControllersOfProvider(db: Db, providerId: string): Promise<number> {
  const r = await db
    .selectFrom('controllers')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Whether any network (tier) not destroyed uses this controller as one of its elements. Deleting a controller is
 * refused while true.
 */
export async function isControllerInUse(db: Db, controllerId: string): Promise<boolean> {
  return (await countNetworksUsingController(db, controllerId)) > 0;
}

export async function insertHealth(
  db: Db,
  h: { controllerId: string; checkedAt: number; ok: boolean; latencyMs: number; error: string | null },
): Promise<void> {
  await db
    .insertInto('controller_health')
    .values({
      controller_id: h.controllerId,
      checked_at: h.checkedAt,
      ok: h.ok ? 1 : 0,
      latency_ms: h.latencyMs,
      error: h.error,
    })
    .execute();
}

export async function listHealth(
  db: Db,
  controllerId: string,
  limit: number,
): Promise<{ checkedAt: number; ok: boolean; latencyMs: number; error: string | null }[]> {
  const rows = await db
    .selectFrom('controller_health')
    .selectAll()
    .where('controller_id', '=', controllerId)
    .orderBy('checked_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    checkedAt: Number(r.checked_at),
    ok: Number(r.ok) === 1,
    latencyMs: Number(r.latency_ms),
    error: r.error,
  }));
}

/** A batch of rows not yet sealed under `activeKeyId`, for rotation. */
export async function listSealedNotUnder(
  db: Db,
  activeKeyId: string,
  limit: number,
  excludeIds: readonly string[] = [],
): Promise<{ id: string; ciphertext: string; version: number }[]> {
  let q = db
    .selectFrom('controllers')
    .select(['id', 'credentials_ciphertext', 'version'])
    .where('credentials_key_id', '<>', activeKeyId)
    .orderBy('id')
    .limit(limit);
  if (excludeIds.length > 0) q = q.where('id', 'not in', [...excludeIds]);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, ciphertext: r.credentials_ciphertext, version: Number(r.version) }));
}

/** How many rows each key seals: an old key may be retired once its count is zero. */
export async function countByKeyId(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('controllers')
    .select(['credentials_key_id', (eb) => eb.fn.countAll().as('n')])
    .groupBy('credentials_key_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.credentials_key_id, Number(r.n)]));
}

/** Controllers whose credentials are sealed under one of `keyIds` (keys a node lacks), by name, for the console. */
export async function listSealedUnder(
  db: Db,
  keyIds: readonly string[],
  limit: number,
): Promise<{ id: string; name: string }[]> {
  if (keyIds.length === 0) return [];
  return db
    .selectFrom('controllers')
    .select(['id', 'name'])
    .where('credentials_key_id', 'in', [...keyIds])
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
}
