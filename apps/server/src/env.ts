// The ONLY place that reads process.env: parsed once with zod, failing at startup with a message naming the variable.
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseAdaptersSetting } from './adapter-sources';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

// dist/main.js lives in apps/server/dist: the web build is ../../web/dist from there (and from src when run by tsx).
const here = dirname(fileURLToPath(import.meta.url));
const defaultWebDist = resolve(here, '..', '..', 'web', 'dist');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|file:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite: or mysql://')
    .superRefine((url, ctx) => {
      const problem = databaseUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  NETPLANE_DATA_DIR: z.string().min(1).default('./data'),
  NETPLANE_MASTER_KEY: z.string().optional(),
  NETPLANE_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(256).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** auto: human-readable lines on a terminal, JSON lines otherwise (a pipe, a file, a service manager). */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  NODE_ID: z.string().min(1).max(64).optional(),
  NETPLANE_COOKIE_SECURE: flag,
  NETPLANE_WEB_DIST: z.string().min(1).optional(),
  /** Seconds SIGTERM waits for in-flight requests and drain hooks before closing anyway. */
  NETPLANE_DRAIN_SECONDS: z.coerce.number().int().min(0).max(3600).default(25),
  /**
   * Engine job leases (ms): how long a claimed job stays a node's without a renewal (default 8000), which bounds how
   * long a dead node's jobs wait for a take-over; renewals every NETPLANE_JOB_HEARTBEAT_MS (default a quarter of it).
   */
  NETPLANE_JOB_LEASE_MS: z.coerce.number().int().min(500).max(600_000).optional(),
  NETPLANE_JOB_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).optional(),
  /**
   * Lets a start with no key file create a new one although the database already holds sealed credentials (they stay
   * unreadable until re-entered). Without it such a start is refused: a silently new key splits keys across a cluster.
   */
  NETPLANE_CREATE_KEY: flag,
  /**
   * Load the demo on start when the inventory is empty (also `npm start -- --demo`); on a database with no user yet,
   * first make the admin `admin` with a generated password that the start banner shows.
   */
  NETPLANE_DEMO: flag,
  /** NICs per prepareNics call (capped by the adapter); 1 makes one call per NIC. */
  NETPLANE_PREPARE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  /**
   * Seconds between scheduled reconciles of every implemented VPC: the safety net under the drift watch (controllers
   * whose adapter cannot watch, changes missed while a node was down). 0 disables it.
   */
  NETPLANE_RECONCILE_INTERVAL_S: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Quiet time (ms) before the drift watch reconciles a VPC its controller reported changed; 0 turns the watch off. */
  NETPLANE_DRIFT_DEBOUNCE_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  /** Installed adapters: comma-separated directories (paths) or package names (resolved in NETPLANE_ADAPTERS_DIR). */
  NETPLANE_ADAPTERS: z.string().max(10_000).optional(),
  /** Where package names are resolved and, without NETPLANE_ADAPTERS, every package is loaded from. */
  NETPLANE_ADAPTERS_DIR: z.string().min(1).optional(),
  /**
   * How each adapter runs: `<adapter id>=process|in-process`, comma-separated (e.g. `simulator=process,ovn=process`).
   * Unnamed built-ins run in process; an installed adapter's package.json may ask for a process itself.
   */
  NETPLANE_ADAPTER_RUNTIME: z
    .string()
    .max(2_000)
    .superRefine((v, ctx) => {
      const parsed = parseAdapterRuntimeSetting(v);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    })
    .optional(),
  /** How long (ms) a Realized check may wait for the controller to compile the latest change (engine default 10 s). */
  NETPLANE_REALIZED_WAIT_MS: z.coerce.number().int().min(0).max(120_000).optional(),
});

export type Env = {
  port: number;
  host: string;
  databaseUrl: string;
  dataDir: string;
  masterKey: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  logFormat: 'pretty' | 'json';
  nodeId: string;
  cookieSecure: boolean;
  webDist: string;
  drainSeconds: number;
  /** Installed adapters (see adapter-sources.ts): the NETPLANE_ADAPTERS entries (undefined: all of `dir`). */
  adapters: { entries: string[] | undefined; dir: string };
  /** NETPLANE_ADAPTER_RUNTIME: adapters asked to run out of process (or in process) by id. */
  adapterRuntime: Record<string, AdapterRuntimeKind>;
  /** NETPLANE_CREATE_KEY: create a key file even though the database holds credentials sealed under other keys. */
  createKey: boolean;
  /** Engine options from the environment; absent ones keep the engine's defaults. */
  engineOptions?: {
    leaseMs?: number;
    heartbeatMs?: number;
    prepareBatchSize?: number;
    reconcileIntervalMs?: number;
    driftDebounceMs?: number;
    realizedWaitMs?: number;
  };
};

export class EnvError extends Error {}

export type AdapterRuntimeKind = 'process' | 'in-process';

/** NETPLANE_ADAPTER_RUNTIME as id -> kind, or the one line that says what is wrong with it. */
export function parseAdapterRuntimeSetting(
  value: string | undefined,
): Record<string, AdapterRuntimeKind> | string {
  const out: Record<string, AdapterRuntimeKind> = {};
  for (const entry of (value ?? '').split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const m = /^([a-z0-9][a-z0-9-]{0,63})=(.*)$/.exec(entry);
    if (!m)
      return `"${entry.slice(0, 80)}" is not <adapter id>=process|in-process (e.g. simulator=process,ovn=process)`;
    const [, id, kind] = m as unknown as [string, string, string];
    if (kind !== 'process' && kind !== 'in-process')
      return `adapter ${id}: runtime "${kind.slice(0, 40)}" is neither process nor in-process`;
    if (id in out) return `adapter ${id} is named twice`;
    out[id] = kind;
  }
  return out;
}

/** The engine's default lease (its DEFAULT_OPTIONS.leaseMs): a dead node's jobs are taken over within ~8 s. */
const DEFAULT_LEASE_MS = 8_000;

/**
 * Why a DATABASE_URL that has the right scheme still cannot work, or undefined. Never quotes the URL: it may hold a
 * password.
 */
export function databaseUrlProblem(url: string): string | undefined {
  if (/^(sqlite|file):/.test(url)) {
    const path = url.replace(/^(sqlite|file):(\/\/)?/, '');
    // better-sqlite3 opens a temporary database for an empty path: everything would be lost at the next restart.
    if (path.trim() === '')
      return 'the sqlite: URL has no file path (SQLite would use a temporary database, lost at restart); use sqlite:/path/to/netplane.db or leave DATABASE_URL unset for <NETPLANE_DATA_DIR>/netplane.db';
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL; the form is mysql://user:password@host:3306/database (percent-encode special characters in the password)';
  }
  if (parsed.hostname === '') return 'names no host; the form is mysql://user:password@host:3306/database';
  if (parsed.pathname.replace(/^\//, '') === '')
    return 'names no database; the form is mysql://user:password@host:3306/database';
  return undefined;
}

/** LOG_LEVEL=debug or trace: main prints stack traces of startup failures (also when the rest of the env is bad). */
export function isDebugLogging(source: Record<string, string | undefined> = process.env): boolean {
  return source.LOG_LEVEL === 'debug' || source.LOG_LEVEL === 'trace';
}

/** Parses the environment (process.env by default); throws EnvError listing every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty value means "not set" (compose files and shells often export VAR=).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const r = schema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    // One bad variable: one line that starts with its name; several: one line each.
    throw new EnvError(
      lines.length === 1
        ? `Invalid environment: ${lines[0]}`
        : `Invalid environment:\n${lines.map((l) => `  ${l}`).join('\n')}`,
    );
  }
  const e = r.data;
  const leaseMs = e.NETPLANE_JOB_LEASE_MS ?? DEFAULT_LEASE_MS;
  const heartbeatMs = e.NETPLANE_JOB_HEARTBEAT_MS ?? Math.max(100, Math.floor(leaseMs / 4));
  // At most half the lease: a renewal that is late once must still land before the lease runs out.
  if (heartbeatMs * 2 > leaseMs) {
    throw new EnvError(
      `Invalid environment:\n  NETPLANE_JOB_HEARTBEAT_MS: must be at most half of NETPLANE_JOB_LEASE_MS (${leaseMs})`,
    );
  }
  const dataDir = resolve(e.NETPLANE_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${join(dataDir, 'netplane.db')}`,
    dataDir,
    masterKey: e.NETPLANE_MASTER_KEY,
    adminPassword: e.NETPLANE_ADMIN_PASSWORD,
    demo: e.NETPLANE_DEMO,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT === 'auto' ? (process.stdout.isTTY ? 'pretty' : 'json') : e.LOG_FORMAT,
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}`,
    cookieSecure: e.NETPLANE_COOKIE_SECURE,
    webDist: e.NETPLANE_WEB_DIST ? resolve(e.NETPLANE_WEB_DIST) : defaultWebDist,
    drainSeconds: e.NETPLANE_DRAIN_SECONDS,
    adapters: {
      entries: parseAdaptersSetting(e.NETPLANE_ADAPTERS),
      dir: resolve(e.NETPLANE_ADAPTERS_DIR ?? join(dataDir, 'adapters')),
    },
    adapterRuntime: parseAdapterRuntimeSetting(e.NETPLANE_ADAPTER_RUNTIME) as Record<
      string,
      AdapterRuntimeKind
    >,
    createKey: e.NETPLANE_CREATE_KEY,
    engineOptions: {
      leaseMs,
      heartbeatMs,
      ...(e.NETPLANE_PREPARE_BATCH_SIZE !== undefined && { prepareBatchSize: e.NETPLANE_PREPARE_BATCH_SIZE }),
      reconcileIntervalMs: e.NETPLANE_RECONCILE_INTERVAL_S * 1000,
      ...(e.NETPLANE_DRIFT_DEBOUNCE_MS !== undefined && { driftDebounceMs: e.NETPLANE_DRIFT_DEBOUNCE_MS }),
      ...(e.NETPLANE_REALIZED_WAIT_MS !== undefined && { realizedWaitMs: e.NETPLANE_REALIZED_WAIT_MS }),
    },
  };
}
