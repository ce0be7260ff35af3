// Login throttling with rate-limiter-flexible: failures counted per ip+username and per ip. On MySQL the counters
// live in a table shared by every node (RateLimiterMySQL); on SQLite (single node) in memory.

import { guardConnection } from '@netplane/db';
import { createPool } from 'mysql2';
import {
  type IRateLimiterOptions,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterMySQL,
} from 'rate-limiter-flexible';
import type { ApiDeps, LoginLimiter } from '../deps';

export type LoginLimitPolicy = {
  /** Failures allowed per ip+username within windowSec before a block of blockSec. */
  perUserIp: { points: number; windowSec: number; blockSec: number };
  /** Failures allowed per ip (any username) within windowSec before a block of blockSec. */
  perIp: { points: number; windowSec: number; blockSec: number };
};

export const DEFAULT_LOGIN_LIMITS: LoginLimitPolicy = {
  perUserIp: { points: 5, windowSec: 15 * 60, blockSec: 15 * 60 },
  perIp: { points: 50, windowSec: 60 * 60, blockSec: 60 * 60 },
};

export type LimiterStore = { kind: 'memory' } | { kind: 'mysql'; pool: unknown; dbName: string };

async function makeLimiter(store: LimiterStore, prefix: string, opts: IRateLimiterOptions) {
  if (store.kind === 'memory') return new RateLimiterMemory({ ...opts, keyPrefix: prefix });
  return await new Promise<RateLimiterAbstract>((resolve, reject) => {
    const limiter: RateLimiterMySQL = new RateLimiterMySQL(
      {
        ...opts,
        keyPrefix: prefix,
        storeClient: store.pool,
        storeType: 'pool',
        dbName: store.dbName,
        tableName: 'login_rate_limits',
      },
      (err?: unknown) => (err ? reject(err) : resolve(limiter)),
    );
  });
}

function secondsLeft(res: { consumedPoints: number; msBeforeNext: number } | null, points: number): number {
  if (!res || res.consumedPoints <= points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

export async function createLoginLimiter(
  store: LimiterStore,
  policy: LoginLimitPolicy = DEFAULT_LOGIN_LIMITS,
): Promise<LoginLimiter> {
  const userIp = await makeLimiter(store, 'np_login_user_ip', {
    points: policy.perUserIp.points,
    duration: policy.perUserIp.windowSec,
    blockDuration: policy.perUserIp.blockSec,
  });
  const ip = await makeLimiter(store, 'np_login_ip', {
    points: policy.perIp.points,
    duration: policy.perIp.windowSec,
    blockDuration: policy.perIp.blockSec,
  });
  const key = (a: string, u: string) => `${a}_${u.toLowerCase()}`;
  const swallowLimit = (e: unknown) => {
    // consume() rejects with a RateLimiterRes once over the limit: that is the counting we wanted.
    if (e instanceof Error) throw e;
  };
  return {
    async secondsBlocked(address, username) {
      const [a, b] = await Promise.all([userIp.get(key(address, username)), ip.get(address)]);
      return Math.max(secondsLeft(a, policy.perUserIp.points - 1), secondsLeft(b, policy.perIp.points - 1));
    },
    async recordFailure(address, username) {
      await Promise.all([
        userIp.consume(key(address, username)).catch(swallowLimit),
        ip.consume(address).catch(swallowLimit),
      ]);
    },
    async recordSuccess(address, username) {
      await userIp.delete(key(address, username));
    },
  };
}

const fallback = new WeakMap<ApiDeps, Promise<LoginLimiter>>();

/** The deps' limiter, or one memory limiter per deps object (in-process tests, or a server that set none). */
export function loginLimiterOf(deps: ApiDeps): Promise<LoginLimiter> {
  if (deps.loginLimiter) return Promise.resolve(deps.loginLimiter);
  let l = fallback.get(deps);
  if (!l) {
    l = createLoginLimiter({ kind: 'memory' });
    fallback.set(deps, l);
  }
  return l;
}

/** The server's limiter for a DATABASE_URL: on MySQL its own 2-connection pool (kept apart from Kysely's). */
export async function createLoginLimiterForUrl(
  databaseUrl: string,
): Promise<{ limiter: LoginLimiter; close(): Promise<void> }> {
  if (!/^(mysql|mariadb):\/\//.test(databaseUrl)) {
    return { limiter: await createLoginLimiter({ kind: 'memory' }), close: async () => {} };
  }
  const url = new URL(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  const dbName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const pool = createPool({ uri: url.toString(), connectionLimit: 2, charset: 'utf8mb4' });
  // A connection dying idle (database blip) must not become an uncaught 'error' event (see guardConnection).
  pool.on('connection', (connection) => guardConnection(connection));
  const limiter = await createLoginLimiter({ kind: 'mysql', pool, dbName });
  return { limiter, close: () => new Promise<void>((resolve) => pool.end(() => resolve())) };
}
