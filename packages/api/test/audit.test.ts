import { usersRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareFirstRun } from '../src/services/setup';
import { browserCaller } from './auth-harness';
import { makeTestDeps, type TestDeps } from './fixtures/deps';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

describe.each(testDialects())('audit on %s', (dialect) => {
  let t: TestDeps;
  let adminId: string;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    await prepareFirstRun(t.deps, 'first admin password');
    adminId = (await usersRepo.findUserByUsername(t.db.db, 'admin'))?.id ?? '';
  });
  afterAll(async () => t.cleanup());
  const asAdmin = () => t.callerAs('admin', { id: adminId, username: 'admin' });

  it('records who did what to which user, with before/after and no password or token', async () => {
    const u = await asAdmin().users.create({
      username: 'audited',
      password: 'Canary-PW-12345',
      role: 'viewer',
    });
    await asAdmin().users.updateRole({ id: u.id, role: 'support' });
    await asAdmin().users.resetPassword({ id: u.id, password: 'Canary-PW-67890' });
    const jar = { token: undefined as string | undefined };
    const s = await (await browserCaller(t, jar)).auth.login({
      username: 'audited',
      password: 'Canary-PW-67890',
    });
    const page = await t.callerAs('viewer').audit.list({ targetId: u.id });
    expect(page.items.map((r) => r.action)).toEqual([
      'auth.login',
      'user.resetPassword',
      'user.updateRole',
      'user.create',
    ]);
    const role = page.items.find((r) => r.action === 'user.updateRole');
    expect(role).toMatchObject({
      actorName: 'admin',
      before: { role: 'viewer' },
      after: { role: 'support' },
    });
    const raw = JSON.stringify(await t.db.db.selectFrom('audit_log').selectAll().execute());
    for (const secret of ['Canary-PW-12345', 'Canary-PW-67890', jar.token ?? '?', s.csrfToken, '$argon2']) {
      expect(raw).not.toContain(secret);
    }
  });

  it('pages with a cursor and filters by actor', async () => {
    for (let i = 0; i < 5; i++) {
      await asAdmin().users.create({ username: `page${i}`, password: 'paging password', role: 'viewer' });
    }
    const first = await t.callerAs('support').audit.list({ limit: 3, actorName: 'admin' });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await t
      .callerAs('operator')
      .audit.list({ limit: 3, actorName: 'admin', cursor: first.nextCursor ?? '' });
    const lastOfFirst = first.items.at(-1)?.id ?? 0;
    expect(second.items.every((r) => r.id < lastOfFirst)).toBe(true);
    expect(second.total).toBe(first.total);
    expect(new Set([...first.items, ...second.items].map((r) => r.id)).size).toBe(
      first.items.length + second.items.length,
    );
    expect([...first.items, ...second.items].every((r) => r.actorName === 'admin')).toBe(true);
  });
});
