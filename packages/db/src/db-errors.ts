// Tells "the database is away" (connection lost, refused, reset, timed out, SQLite busy) apart from every other
// database error (bad SQL, constraint, bad input), so callers answer 503 and retry instead of failing a job or a request.

/**
 * Socket error codes: they mean "database unavailable" only on an error mysql2 marked `fatal` (its connection died),
 * never on their own: a controller call failing with ECONNREFUSED is an adapter error, not a database outage.
 */
const SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Codes only the database drivers use: mysql2 protocol errors, MariaDB connection refusals, SQLite lock waits. */
const DRIVER_CODES: ReadonlySet<string> = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_PACKETS_OUT_OF_ORDER',
  // MariaDB refusing or dropping connections while it starts, stops or is full.
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
  // SQLite: another writer held the lock past busy_timeout; the same statement succeeds a moment later.
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
]);

/** mysql2 messages of fatal errors that carry no code (a command added to a connection that already died). */
const FATAL_MESSAGES = [/^Connection lost/i, /in closed state/i, /connect ETIMEDOUT/i];

/** Walks `cause` (and AggregateError members) a few levels deep: wrappers keep the driver's error as a cause. */
function* chain(e: unknown, depth = 0): Generator<unknown> {
  if (e === null || e === undefined || depth > 5) return;
  yield e;
  if (e instanceof AggregateError) for (const inner of e.errors) yield* chain(inner, depth + 1);
  if (typeof e === 'object' && 'cause' in e) yield* chain((e as { cause?: unknown }).cause, depth + 1);
}

/** True when `e` (or its cause) says the database cannot be reached right now; false for every other error. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (const x of chain(e)) {
    if (typeof x !== 'object' || x === null) continue;
    const { code, message, fatal } = x as { code?: unknown; message?: unknown; fatal?: unknown };
    if (typeof code === 'string' && DRIVER_CODES.has(code)) return true;
    if (fatal !== true) continue;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
    if (typeof message === 'string' && FATAL_MESSAGES.some((m) => m.test(message))) return true;
  }
  return false;
}

/**
 * A one-line, secret-free description of a database error for logs and /readyz: its code and the first line of its
 * message, without any URL (mysql2 never puts the password in a message, but a wrapper might echo a connection URL).
 */
export function describeDatabaseError(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const raw = e instanceof Error ? e.message : String(e);
  const line = (raw.split('\n')[0] ?? '').replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>').slice(0, 160);
  return typeof code === 'string' && !line.includes(code) ? `${code}: ${line}` : line;
}
