import { createHash } from 'node:crypto';
import { settingsRepo, usersRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { describe, expect, it, vi } from 'vitest';
import { createContextInner } from '../src/context';
import { hashPassword } from '../src/services/auth-passwords';
import { purgeExpiredSessions } from '../src/services/sessions';
import { prepareFirstRun, SETUP_TOKEN_KEY, setupTokenKey } from '../src/services/setup';
import { createCallerFactory } from '../src/trpc';
import { browserCaller, type Jar, jarCookies, rejectsWith } from './auth-harness';
import { testAppRouter as appRouter } from './fixtures/app-router';
import { makeTestDeps, type TestDeps } from './fixtures/deps';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });
const createCaller = createCallerFactory(appRouter);

async function withDeps(
  dialect: 'sqlite' | 'mysql',
  fn: (t: TestDeps, clock: { now: number }) => Promise<void>,
) {
  const clock = { now: Date.now() };
  const t = await makeTestDeps(dialect, { now: () => clock.now });
  try {
    await fn(t, clock);
  } finally {
    await t.cleanup();
  }
}

async function addUser(t: TestDeps, username: string, password: string, role = 'admin' as const) {
  const id = crypto.randomUUID();
  await usersRepo.insertUser(
    t.db.db,
    { id, username, passwordHash: await hashPassword(password), role },
    Date.now(),
  );
  return id;
}

describe.each(testDialects())('auth on %s', (dialect) => {
  it('logs in with the right password, sets a cookie whose hash alone is stored, and auth.me returns the csrf token', () =>
    withDeps(dialect, async (t) => {
      await addUser(t, 'alice', 'correct horse battery');
      const jar: Jar = { token: undefined };
      const session = await (await browserCaller(t, jar)).auth.login({
        username: 'alice',
        password: 'correct horse battery',
      });
      expect(jar.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.user).toMatchObject({ username: 'alice', role: 'admin' });
      const rows = await t.db.db.selectFrom('sessions').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.id).toBe(
        createHash('sha256')
          .update(jar.token ?? '')
          .digest('hex'),
      );
      expect(JSON.stringify(rows)).not.toContain(jar.token);
      const me = await (await browserCaller(t, jar)).auth.me();
      expect(me.csrfToken).toBe(session.csrfToken);
      expect(me.user.username).toBe('alice');
    }));

  it('refuses a wrong password and an unknown user with the same UNAUTHORIZED message', () =>
    withDeps(dialect, async (t) => {
      await addUser(t, 'bob', 'the real password');
      const c = await browserCaller(t, { token: undefined });
      const a = await rejectsWith(c.auth.login({ username: 'bob', password: 'wrong one!' }), 'UNAUTHORIZED');
      const b = await rejectsWith(
        c.auth.login({ username: 'nobody', password: 'wrong one!' }),
        'UNAUTHORIZED',
      );
      expect(a.message).toBe(b.message);
    }));

  it('rate-limits login after five failures for one ip+username, telling the seconds to wait', () =>
    withDeps(dialect, async (t) => {
      await addUser(t, 'carol', 'carol password');
      const c = await browserCaller(t, { token: undefined }, { ip: '10.9.9.9' });
      for (let i = 0; i < 5; i++) {
        await rejectsWith(c.auth.login({ username: 'carol', password: `guess ${i}` }), 'UNAUTHORIZED');
      }
      const err = await rejectsWith(
        c.auth.login({ username: 'carol', password: 'carol password' }),
        'TOO_MANY_REQUESTS',
      );
      expect(err.message).toMatch(/try again in \d+ seconds/);
      // Another address is not blocked by this one's failures.
      const other = await browserCaller(t, { token: undefined }, { ip: '10.9.9.10' });
      await expect(other.auth.login({ username: 'carol', password: 'carol password' })).resolves.toBeTruthy();
    }));

  it('refuses mutations without the session csrf token, and accepts them with it', () =>
    withDeps(dialect, async (t) => {
      await addUser(t, 'dave', 'dave password 1');
      const jar: Jar = { token: undefined };
      const s = await (await browserCaller(t, jar)).auth.login({
        username: 'dave',
        password: 'dave password 1',
      });
      const noCsrf = await browserCaller(t, jar);
      await rejectsWith(
        noCsrf.users.create({ username: 'eve', password: 'eve password', role: 'viewer' }),
        'FORBIDDEN',
      );
      await rejectsWith((await browserCaller(t, jar, { csrf: 'forged' })).auth.logout(), 'FORBIDDEN');
      const ok = await browserCaller(t, jar, { csrf: s.csrfToken });
      await expect(
        ok.users.create({ username: 'eve', password: 'eve password', role: 'viewer' }),
      ).resolves.toMatchObject({
        username: 'eve',
      });
    }));

  it('refuses a cross-site login (Origin check) even with good credentials', () =>
    withDeps(dialect, async (t) => {
      await addUser(t, 'frank', 'frank password');
      const c = await browserCaller(t, { token: undefined }, { originOk: false });
      await rejectsWith(c.auth.login({ username: 'frank', password: 'frank password' }), 'FORBIDDEN');
    }));

  it('ends an idle session after 30 minutes with "Your session expired", but slides while in use', () =>
    withDeps(dialect, async (t, clock) => {
      await addUser(t, 'gina', 'gina password');
      const jar: Jar = { token: undefined };
      await (await browserCaller(t, jar)).auth.login({ username: 'gina', password: 'gina password' });
      clock.now += 20 * 60_000;
      await (await browserCaller(t, jar)).auth.me();
      clock.now += 20 * 60_000; // 40 min after login, 20 after last use: still alive
      await (await browserCaller(t, jar)).auth.me();
      clock.now += 31 * 60_000;
      const err = await rejectsWith((await browserCaller(t, jar)).auth.me(), 'UNAUTHORIZED');
      expect(err.message).toContain('Your session expired');
    }));

  it('ends a session 12 hours after login even when used all the time', () =>
    withDeps(dialect, async (t, clock) => {
      await addUser(t, 'hank', 'hank password');
      const jar: Jar = { token: undefined };
      await (await browserCaller(t, jar)).auth.login({ username: 'hank', password: 'hank password' });
      for (let i = 0; i < 24; i++) {
        clock.now += 29 * 60_000;
        await (await browserCaller(t, jar)).auth.me();
      }
      clock.now += 29 * 60_000; // 12 h 5 min in total
      const err = await rejectsWith((await browserCaller(t, jar)).auth.me(), 'UNAUTHORIZED');
      expect(err.message).toContain('Your session expired');
    }));

  it('purges sessions past either expiry and keeps live ones', () =>
    withDeps(dialect, async (t, clock) => {
      await addUser(t, 'kim', 'kim password');
      const old: Jar = { token: undefined };
      await (await browserCaller(t, old)).auth.login({ username: 'kim', password: 'kim password' });
      clock.now += 31 * 60_000;
      const fresh: Jar = { token: undefined };
      await (await browserCaller(t, fresh)).auth.login({ username: 'kim', password: 'kim password' });
      expect(await purgeExpiredSessions(t.deps)).toBe(1);
      await expect((await browserCaller(t, fresh)).auth.me()).resolves.toBeTruthy();
    }));

  it('logs out: the session row is gone and the cookie cleared', () =>
    withDeps(dialect, async (t) => {
      await addUser(t, 'ivy', 'ivy password');
      const jar: Jar = { token: undefined };
      const s = await (await browserCaller(t, jar)).auth.login({ username: 'ivy', password: 'ivy password' });
      const token = jar.token;
      await (await browserCaller(t, jar, { csrf: s.csrfToken })).auth.logout();
      expect(jar.token).toBeUndefined();
      await rejectsWith((await browserCaller(t, { token })).auth.me(), 'UNAUTHORIZED');
    }));

  it('changes the password: the old one stops working, other sessions end, this one stays', () =>
    withDeps(dialect, async (t) => {
      await addUser(t, 'jo', 'jo old password');
      const mine: Jar = { token: undefined };
      const other: Jar = { token: undefined };
      const s = await (await browserCaller(t, mine)).auth.login({
        username: 'jo',
        password: 'jo old password',
      });
      await (await browserCaller(t, other)).auth.login({ username: 'jo', password: 'jo old password' });
      const c = await browserCaller(t, mine, { csrf: s.csrfToken });
      await rejectsWith(
        c.auth.changePassword({ currentPassword: 'not it', newPassword: 'jo new password' }),
        'FORBIDDEN',
      );
      await c.auth.changePassword({ currentPassword: 'jo old password', newPassword: 'jo new password' });
      await expect((await browserCaller(t, mine)).auth.me()).resolves.toBeTruthy();
      await rejectsWith((await browserCaller(t, other)).auth.me(), 'UNAUTHORIZED');
      const anon = await browserCaller(t, { token: undefined }, { ip: '10.1.1.1' });
      await rejectsWith(anon.auth.login({ username: 'jo', password: 'jo old password' }), 'UNAUTHORIZED');
      await expect(anon.auth.login({ username: 'jo', password: 'jo new password' })).resolves.toBeTruthy();
    }));

  it('first run: prints a token whose hash alone is stored; setup with a wrong token fails, the right one creates the admin once', () =>
    withDeps(dialect, async (t) => {
      const anon = createCaller(createContextInner(t.deps, { cookies: jarCookies({ token: undefined }) }));
      expect(await anon.auth.setupStatus()).toEqual({ needsSetup: true });
      const first = await prepareFirstRun(t.deps, undefined);
      if (first.kind !== 'token') throw new Error('expected a token');
      const hash = createHash('sha256').update(first.token).digest('hex');
      expect(await settingsRepo.getSetting(t.db.db, `${SETUP_TOKEN_KEY}:${hash}`)).toBe(hash);
      // A second node starting on the same empty database prints its own token: both work until setup is done.
      const second = await prepareFirstRun(t.deps, undefined);
      if (second.kind !== 'token') throw new Error('expected a token');
      expect(await settingsRepo.getSetting(t.db.db, setupTokenKey(second.token))).toBeDefined();
      await rejectsWith(
        anon.auth.setup({ token: 'nope', username: 'root', password: 'root password' }),
        'FORBIDDEN',
      );
      const s = await anon.auth.setup({ token: first.token, username: 'root', password: 'root password' });
      // Setup burnt every printed token, the other node's too.
      expect(await settingsRepo.getSetting(t.db.db, setupTokenKey(second.token))).toBeUndefined();
      await rejectsWith(
        anon.auth.setup({ token: second.token, username: 'root3', password: 'root password' }),
        'PRECONDITION_FAILED',
      );
      expect(s.user).toMatchObject({ username: 'root', role: 'admin' });
      expect(await anon.auth.setupStatus()).toEqual({ needsSetup: false });
      await rejectsWith(
        anon.auth.setup({ token: first.token, username: 'root2', password: 'root password' }),
        'PRECONDITION_FAILED',
      );
      expect(await settingsRepo.getSetting(t.db.db, setupTokenKey(first.token))).toBeUndefined();
      expect((await prepareFirstRun(t.deps, undefined)).kind).toBe('ready');
    }));

  it('first run on two nodes: setups racing with both printed tokens create exactly one admin', () =>
    withDeps(dialect, async (t) => {
      const a = await prepareFirstRun(t.deps, undefined);
      const b = await prepareFirstRun(t.deps, undefined);
      if (a.kind !== 'token' || b.kind !== 'token') throw new Error('expected tokens');
      const callerAt = (ip: string) =>
        createCaller(createContextInner(t.deps, { cookies: jarCookies({ token: undefined }), ip }));
      const results = await Promise.allSettled([
        callerAt('10.2.0.1').auth.setup({ token: a.token, username: 'ann', password: 'ann password 1' }),
        callerAt('10.2.0.2').auth.setup({ token: b.token, username: 'bob', password: 'bob password 1' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect((refused as PromiseRejectedResult).reason.code).toMatch(/CONFLICT|PRECONDITION_FAILED/);
      expect(await usersRepo.countUsers(t.db.db)).toBe(1);
    }));

  it('first run with NETPLANE_ADMIN_PASSWORD creates "admin" and no token', () =>
    withDeps(dialect, async (t) => {
      expect(await prepareFirstRun(t.deps, 'automation password')).toEqual({
        kind: 'admin-created',
        username: 'admin',
      });
      const keys = await t.db.db.selectFrom('settings').select('key').execute();
      expect(keys.filter((k) => k.key.startsWith(SETUP_TOKEN_KEY))).toEqual([]);
      const c = await browserCaller(t, { token: undefined });
      await expect(
        c.auth.login({ username: 'admin', password: 'automation password' }),
      ).resolves.toBeTruthy();
      const hash = (await usersRepo.findUserByUsername(t.db.db, 'admin'))?.passwordHash ?? '';
      expect(hash.startsWith('$argon2id$')).toBe(true);
    }));

  it('first run with NETPLANE_ADMIN_PASSWORD on nodes starting together creates one admin and fails none', () =>
    withDeps(dialect, async (t) => {
      // Both pass the "no user yet" check while their password hashes are computed, then race on the insert.
      const runs = await Promise.all([1, 2, 3].map(() => prepareFirstRun(t.deps, 'automation password')));
      expect(runs.map((r) => r.kind).sort()).toEqual(['admin-created', 'ready', 'ready']);
      expect(await usersRepo.countUsers(t.db.db)).toBe(1);
    }));
});
