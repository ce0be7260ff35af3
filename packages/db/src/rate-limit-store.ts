// Where rate-limit counters live, chosen by the database: on MySQL/MariaDB a table shared by every node
// (rate-limiter-flexible's RateLimiterMySQL on its own small pool), on SQLite (one node) process memory.
import { createPool } from 'mysql2';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterMySQL } from 'rate-limiter-flexible';
import { guardConnection } from './connect';

export type RateLimiter = RateLimiterAbstract;

/** One counter family: `points` per `duration` seconds, then blocked for `blockDuration` seconds. */
export type RateLimit = { keyPrefix: string; points: number; duration: number; blockDuration: number };

export type RateLimitStore = {
  readonly kind: 'memory' | 'mysql';
  limiter(limit: RateLimit): Promise<RateLimiter>;
  /** Ends the store's own pool (a no-op in memory). */
  close(): Promise<void>;
};

/** Counters in this process only: tests, SQLite, a single node. */
export function memoryRateLimitStore(): RateLimitStore {
  return {
    kind: 'memory',
    limiter: async (limit) => new RateLimiterMemory(limit),
    close: async () => {},
  };
}

/** The store for a DATABASE_URL: on MySQL a 2-connection pool kept apart from Kysely's, table `tableName`. */
export function openRateLimitStore(databaseUrl: string, tableName = 'login_rate_limits'): RateLimitStore {
  if (!/^(mysql|mariadb):\/\//.test(databaseUrl)) return memoryRateLimitStore();
  const url = new URL(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  const dbName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const pool = createPool({
    uri: url.toString(),
    connectionLimit: 2,
    charset: 'utf8mb4',
  });
  // A connection dying idle (database blip) must not become an uncaught 'error' event (see guardConnection).
  pool.on('connection', (connection) => guardConnection(connection));
  return {
    kind: 'mysql',
    limiter: (limit) =>
      // The constructor creates the table when missing and reports through its callback.
      new Promise<RateLimiter>((resolve, reject) => {
        const limiter: RateLimiterMySQL = new RateLimiterMySQL(
          { ...limit, storeClient: pool, storeType: 'pool', dbName, tableName },
          (err?: unknown) => (err ? reject(err) : resolve(limiter)),
        );
      }),
    close: () => new Promise<void>((resolve) => pool.end(() => resolve())),
  };
}
