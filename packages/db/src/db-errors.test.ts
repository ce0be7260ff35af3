// The outage classifier: connection errors of the drivers say "unavailable"; bad input, constraints and other
// processes' socket errors (a controller refusing a call) do not.
import { describe, expect, it } from 'vitest';
import { describeDatabaseError, isDatabaseUnavailable } from './db-errors';

const err = (message: string, props: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), props);

describe('isDatabaseUnavailable', () => {
  it.each([
    [
      'a lost connection',
      err('Connection lost: The server closed the connection.', {
        code: 'PROTOCOL_CONNECTION_LOST',
        fatal: true,
      }),
    ],
    ['a refused connect', err('connect ECONNREFUSED 127.0.0.1:3306', { code: 'ECONNREFUSED', fatal: true })],
    ['a reset read', err('read ECONNRESET', { code: 'ECONNRESET', fatal: true })],
    ['a connect timeout', err('connect ETIMEDOUT', { code: 'ETIMEDOUT', fatal: true })],
    [
      'a command on a dead connection',
      err("Can't add new command when connection is in closed state", { fatal: true }),
    ],
    ['a busy SQLite', err('database is locked', { code: 'SQLITE_BUSY' })],
    ['MariaDB shutting down', err('Server shutdown in progress', { code: 'ER_SERVER_SHUTDOWN' })],
    [
      'a wrapped cause',
      new Error('query failed', { cause: err('read ECONNRESET', { code: 'ECONNRESET', fatal: true }) }),
    ],
  ])('says yes to %s', (_name, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it.each([
    ['a duplicate key', err("Duplicate entry 'x' for key 'PRIMARY'", { code: 'ER_DUP_ENTRY', fatal: false })],
    ['bad SQL', err('You have an error in your SQL syntax', { code: 'ER_PARSE_ERROR' })],
    ['a SQLite constraint', err('UNIQUE constraint failed', { code: 'SQLITE_CONSTRAINT_UNIQUE' })],
    // A controller call failing on the network is an adapter error: only mysql2 marks its socket errors fatal.
    [
      'a controller refusing a call',
      new TypeError('fetch failed', { cause: err('connect ECONNREFUSED', { code: 'ECONNREFUSED' }) }),
    ],
    ['a plain error', new Error('boom')],
    ['undefined', undefined],
    ['a string', 'PROTOCOL_CONNECTION_LOST'],
  ])('says no to %s', (_name, e) => {
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});

describe('describeDatabaseError', () => {
  it('gives code and first line, and never a connection URL', () => {
    const e = err('connect failed for mysql://root:hunter2@db:3306/np\nsecond line', {
      code: 'ECONNREFUSED',
    });
    const text = describeDatabaseError(e);
    expect(text).toBe('ECONNREFUSED: connect failed for <url>');
    expect(text).not.toContain('hunter2');
  });

  it('does not repeat a code the message already names', () => {
    expect(describeDatabaseError(err('read ECONNRESET', { code: 'ECONNRESET' }))).toBe('read ECONNRESET');
  });
});
