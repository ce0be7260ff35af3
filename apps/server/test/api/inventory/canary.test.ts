// The canary: a unique password that must appear nowhere but inside the ciphertext — no raw row of any table,
// no API response, no audit row, no log line, no error message. An API token (and its secret part) is held to the
// same: only the tokens.create answer carries it.
import { randomUUID } from 'node:crypto';
import { resolveBearer } from '@netplane/api';
import { usersRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, TEST_ADAPTER_ID, type TestDeps } from '../fixtures';
import { makeChain, unique } from './helpers';

const CANARY = `canary-${randomUUID()}`;
const ROTATED = `canary-rotated-${randomUUID()}`;
const FORMS = [CANARY, ROTATED].flatMap((c) => [
  c,
  Buffer.from(c).toString('base64'),
  Buffer.from(c).toString('base64url'),
  Buffer.from(c).toString('hex'),
]);

/** The API token made in beforeAll, whole and its secret part. */
const TOKEN_FORMS: string[] = [];

function expectClean(what: string, value: unknown) {
  const text =
    typeof value === 'string'
      ? value
      : (JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ?? '');
  for (const form of FORMS) expect(text, `${what} leaks the canary`).not.toContain(form);
  for (const form of TOKEN_FORMS) expect(text, `${what} leaks the API token`).not.toContain(form);
}

async function errorOf(fn: () => Promise<unknown>, what = 'call'): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error(`expected a rejection: ${what}`);
}

function expectCleanError(what: string, e: Error) {
  const cause = (e as { cause?: unknown }).cause;
  expectClean(`${what} message`, e.message);
  expectClean(`${what} cause`, cause instanceof Error ? { ...cause, message: cause.message } : cause);
}

describe.each(testDialects())('canary credentials on %s', (dialect) => {
  let t: TestDeps;
  const responses: [string, unknown][] = [];
  let controllerId = '';
  let providerId = '';

  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const admin = t.callerAs('admin');
    const chain = await makeChain(admin);
    providerId = chain.provider.id;
    const created = await admin.controllers.create({
      providerId,
      name: 'canary-controller',
      endpoint: 'sim://canary',
      credentials: { username: 'netplane', password: CANARY },
    });
    controllerId = created.id;
    responses.push(['create', created]);
    responses.push(['get', await admin.controllers.get({ id: controllerId })]);
    responses.push(['list', await t.callerAs('viewer').controllers.list({ providerId })]);
    responses.push([
      'update',
      await admin.controllers.update({ id: controllerId, limits: { timeoutMs: 5000 } }),
    ]);
    responses.push(['testConnection', await admin.controllers.testConnection({ id: controllerId })]);
    responses.push([
      'rotateCredentials',
      await admin.controllers.rotateCredentials({
        id: controllerId,
        credentials: { username: 'netplane', password: ROTATED },
      }),
    ]);
    responses.push([
      'setResourceState',
      await admin.controllers.setResourceState({ id: controllerId, state: 'Disabled' }),
    ]);
    responses.push(['healthHistory', await admin.controllers.healthHistory({ id: controllerId })]);
    responses.push(['matrix', await admin.capabilities.matrix({})]);
    // An API token of a real user (the token row's foreign key), used and misused as scripts would.
    const me = t.contextAs('admin').user;
    if (!me) throw new Error('no admin');
    await usersRepo.insertUser(
      t.db.db,
      { id: me.id, username: me.username, passwordHash: 'x', role: 'admin' },
      1,
    );
    const { token, item } = await admin.tokens.create({
      name: 'canary-token',
      role: 'viewer',
      expiresInDays: 1,
    });
    TOKEN_FORMS.push(token, token.slice(17));
    expect(item.prefix).toBe(token.slice(0, 16));
    expect((await resolveBearer(t.deps, token, '127.0.0.1')).status).toBe('ok');
    const wrong = await resolveBearer(t.deps, `${token}x`, '127.0.0.1');
    responses.push([
      'refused token',
      wrong.status === 'refused' ? { ...wrong.error, m: wrong.error.message } : wrong,
    ]);
    responses.push(['tokens.list', await admin.tokens.list({})]);
    responses.push(['tokens.revoke', await admin.tokens.revoke({ id: item.id })]);
    responses.push(['audit.list', await admin.audit.list({ limit: 200 })]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('the controller really holds the canary (so the checks below can fail)', async () => {
    const secret = await t.db.db
      .selectFrom('controllers')
      .select(['credentials_ciphertext'])
      .where('id', '=', controllerId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(t.keyring.decrypt(secret.credentials_ciphertext, controllerId))).toEqual({
      username: 'netplane',
      password: ROTATED,
    });
    expect(responses.length).toBe(13);
    expect(TOKEN_FORMS.length).toBeGreaterThanOrEqual(2);
  });

  it('appears in no API response', () => {
    for (const [what, body] of responses) expectClean(what, body);
    const created = responses[0]?.[1] as Record<string, unknown>;
    expect(created.hasCredentials).toBe(true);
    expect(Object.keys(created)).not.toContain('credentials');
  });

  it('appears in no raw row of any table', async () => {
    const tables =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(t.db.db)
        : await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = database()`.execute(
            t.db.db,
          );
    const names = tables.rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['controllers', 'audit_log', 'controller_health']));
    let rowsSeen = 0;
    for (const name of names) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(t.db.db);
      rowsSeen += rows.rows.length;
      expectClean(`table ${name}`, rows.rows);
    }
    expect(rowsSeen).toBeGreaterThan(5);
  });

  it('appears in no error message of rejected input', async () => {
    const admin = t.callerAs('admin');
    const base = { providerId, name: unique('c'), endpoint: 'sim://x' };
    const cases: [string, () => Promise<unknown>][] = [
      [
        'bad endpoint',
        () =>
          admin.controllers.create({
            ...base,
            endpoint: `not a url ${CANARY}`,
            credentials: { username: 'u', password: CANARY },
          }),
      ],
      ['missing username', () => admin.controllers.create({ ...base, credentials: { password: CANARY } })],
      [
        'empty username',
        () =>
          admin.controllers.create({
            ...base,
            credentials: { username: '', password: CANARY },
          }),
      ],
      [
        'huge password',
        () =>
          admin.controllers.create({
            ...base,
            credentials: { username: 'u', password: CANARY.repeat(1000) },
          }),
      ],
      [
        'bad config',
        () =>
          admin.controllers.create({
            ...base,
            config: { latencyMs: CANARY },
            credentials: { username: 'u', password: CANARY },
          }),
      ],
      [
        'canary in a non-secret field',
        () => admin.physicalNetworks.create({ zoneId: 'x', name: 'n', vlanRanges: [CANARY] }),
      ],
      [
        'rotate with bad credentials',
        () => admin.controllers.rotateCredentials({ id: controllerId, credentials: { user: CANARY } }),
      ],
      [
        'rotate as viewer',
        () =>
          t.callerAs('viewer').controllers.rotateCredentials({
            id: controllerId,
            credentials: { username: 'u', password: CANARY },
          }),
      ],
    ];
    for (const [what, fn] of cases) expectCleanError(what, await errorOf(fn, what));
  });

  it('is scrubbed from a vendor error that quotes the login', async () => {
    const admin = t.callerAs('admin');
    const { controller } = await makeChain(admin, {
      adapterId: TEST_ADAPTER_ID,
      endpoint: 'https://echo.example:1',
      password: CANARY,
    });
    const result = await admin.controllers.testConnection({ id: controller.id });
    expect(result).toMatchObject({ ok: false, category: 'AUTH_FAILED' });
    expect(result.detail).toContain('[redacted]');
    expectClean('testConnection detail', result);
    expectClean('stored health', await admin.controllers.get({ id: controller.id }));
  });

  it('a tampered ciphertext fails closed with a message that holds no secret', async () => {
    const admin = t.callerAs('admin');
    const row = await t.db.db
      .selectFrom('controllers')
      .select(['credentials_ciphertext'])
      .where('id', '=', controllerId)
      .executeTakeFirstOrThrow();
    const parts = row.credentials_ciphertext.split('.');
    const body = Buffer.from(parts[5] as string, 'base64url');
    body[0] = (body[0] as number) ^ 0xff;
    parts[5] = body.toString('base64url');
    await t.db.db
      .updateTable('controllers')
      .set({ credentials_ciphertext: parts.join('.') })
      .where('id', '=', controllerId)
      .execute();
    const result = await admin.controllers.testConnection({ id: controllerId });
    expect(result).toMatchObject({ ok: false, category: 'SECRET_UNREADABLE' });
    expectClean('tampered testConnection', result);
    const direct = await errorOf(async () => t.keyring.decrypt(parts.join('.'), controllerId));
    expect((direct as { code?: string }).code).toBe('SECRET_UNREADABLE');
    expectCleanError('tampered decrypt', direct);
    // The same ciphertext restored is readable again: the failure came from the flipped byte only.
    await t.db.db
      .updateTable('controllers')
      .set({ credentials_ciphertext: row.credentials_ciphertext })
      .where('id', '=', controllerId)
      .execute();
    expect(t.keyring.decrypt(row.credentials_ciphertext, controllerId)).toContain(ROTATED);
  });

  it('appears in no log line', () => {
    expect(t.logs.length).toBeGreaterThan(0);
    expectClean('logs', t.logs);
  });
});
