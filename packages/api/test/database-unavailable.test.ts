// While the database is away a procedure answers a typed 503 (SERVICE_UNAVAILABLE, appCode DATABASE_UNAVAILABLE,
// details.retryAfterSeconds for the Retry-After header), bad input is still a 400, and the same call works once the
// database is back. The API reaches MariaDB through a TCP proxy the test cuts (never the shared server itself).
import { connect, type DbHandle } from '@netplane/db';
import { startTcpProxy, type TcpProxy, testDialects } from '@netplane/db/testing';
import { AppError } from '@netplane/domain';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableError } from '../src/database-unavailable';
import { makeTestDeps, type TestDeps } from './fixtures/deps';

describe('databaseUnavailableError', () => {
  it('maps a lost connection to a 503 AppError and leaves other errors alone', () => {
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', fatal: true });
    const e = databaseUnavailableError(lost) as TRPCError;
    expect(e).toBeInstanceOf(TRPCError);
    expect(e.code).toBe('SERVICE_UNAVAILABLE');
    expect(e.cause).toBeInstanceOf(AppError);
    expect((e.cause as AppError).details).toEqual({ retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
    expect(databaseUnavailableError(new Error('boom'))).toBeUndefined();
    expect(
      databaseUnavailableError(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' })),
    ).toBeUndefined();
  });
});

describe.skipIf(!testDialects().includes('mysql'))('procedures while MariaDB is unreachable', () => {
  let t: TestDeps;
  let proxy: TcpProxy;
  let through: DbHandle;

  beforeAll(async () => {
    t = await makeTestDeps('mysql');
    const target = new URL(t.db.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
    through = connect(proxy.urlThrough(t.db.url));
    (t.deps as { db: DbHandle }).db = through;
  });

  afterAll(async () => {
    proxy?.restore();
    await through?.close();
    await proxy?.close();
    await t?.cleanup();
  });

  it('answers SERVICE_UNAVAILABLE with retryAfterSeconds during a cut, BAD_REQUEST for bad input, and works after restore', async () => {
    const admin = t.callerAs('admin');
    expect(await admin.zones.list()).toEqual(expect.any(Array));
    proxy.cut();
    const err = (await admin.zones.list().catch((e: unknown) => e)) as TRPCError;
    expect(err).toBeInstanceOf(TRPCError);
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    expect((err.cause as AppError).code).toBe('DATABASE_UNAVAILABLE');
    expect((err.cause as AppError).details?.retryAfterSeconds).toBe(DATABASE_RETRY_AFTER_SECONDS);
    const bad = (await admin.zones
      .get({ id: 42 as unknown as string })
      .catch((e: unknown) => e)) as TRPCError;
    expect(bad.code).toBe('BAD_REQUEST');
    proxy.restore();
    expect(await admin.zones.list()).toEqual(expect.any(Array));
  });
});
