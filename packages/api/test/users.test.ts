import { usersRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareFirstRun } from '../src/services/setup';
import { browserCaller, rejectsWith } from './auth-harness';
import { makeTestDeps, type TestDeps } from './fixtures/deps';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

describe.each(testDialects())('users on %s', (dialect) => {
  let t: TestDeps;
  let adminId: string;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    await prepareFirstRun(t.deps, 'first admin password');
    adminId = (await usersRepo.findUserByUsername(t.db.db, 'admin'))?.id ?? '';
  });
  afterAll(async () => t.cleanup());

  const asAdmin = () => t.callerAs('admin', { id: adminId, username: 'admin' });

  it('creates, lists and never returns a password hash', async () => {
    const u = await asAdmin().users.create({
      username: 'viewer1',
      password: 'viewer password',
      role: 'viewer',
    });
    expect(u).toMatchObject({ username: 'viewer1', role: 'viewer', disabled: false });
    const list = await asAdmin().users.list();
    expect(list.map((x) => x.username)).toEqual(expect.arrayContaining(['admin', 'viewer1']));
    expect(JSON.stringify(list)).not.toMatch(/argon2|password/i);
  });

  it('refuses a taken username with CONFLICT', async () => {
    await rejectsWith(
      asAdmin().users.create({ username: 'viewer1', password: 'other password', role: 'viewer' }),
      'CONFLICT',
    );
  });

  it('changes a role, disables (ending sessions) and re-enables a user', async () => {
    const u = await asAdmin().users.create({
      username: 'op1',
      password: 'operator password',
      role: 'viewer',
    });
    expect((await asAdmin().users.updateRole({ id: u.id, role: 'operator' })).role).toBe('operator');
    const jar = { token: undefined as string | undefined };
    await (await browserCaller(t, jar)).auth.login({ username: 'op1', password: 'operator password' });
    await asAdmin().users.setDisabled({ id: u.id, disabled: true });
    await rejectsWith((await browserCaller(t, jar)).auth.me(), 'UNAUTHORIZED');
    await rejectsWith(
      (await browserCaller(t, { token: undefined })).auth.login({
        username: 'op1',
        password: 'operator password',
      }),
      'FORBIDDEN',
    );
    await asAdmin().users.setDisabled({ id: u.id, disabled: false });
    await expect(
      (await browserCaller(t, { token: undefined })).auth.login({
        username: 'op1',
        password: 'operator password',
      }),
    ).resolves.toBeTruthy();
  });

  it('resets a password: the new one works, the old one does not', async () => {
    const u = await asAdmin().users.create({
      username: 'sup1',
      password: 'support password',
      role: 'support',
    });
    await asAdmin().users.resetPassword({ id: u.id, password: 'brand new password' });
    const c = await browserCaller(t, { token: undefined }, { ip: '10.2.2.2' });
    await rejectsWith(c.auth.login({ username: 'sup1', password: 'support password' }), 'UNAUTHORIZED');
    await expect(c.auth.login({ username: 'sup1', password: 'brand new password' })).resolves.toBeTruthy();
  });

  it('keeps the last enabled admin: no self-delete, no demotion, no disabling', async () => {
    await rejectsWith(asAdmin().users.delete({ id: adminId }), 'PRECONDITION_FAILED');
    await rejectsWith(asAdmin().users.updateRole({ id: adminId, role: 'viewer' }), 'PRECONDITION_FAILED');
    await rejectsWith(asAdmin().users.setDisabled({ id: adminId, disabled: true }), 'PRECONDITION_FAILED');
  });

  it('deletes a user and answers NOT_FOUND for an unknown id', async () => {
    const u = await asAdmin().users.create({ username: 'temp1', password: 'temp password', role: 'viewer' });
    await asAdmin().users.delete({ id: u.id });
    expect((await asAdmin().users.list()).some((x) => x.id === u.id)).toBe(false);
    await rejectsWith(asAdmin().users.delete({ id: u.id }), 'NOT_FOUND');
  });

  it('is admin only', async () => {
    for (const role of ['operator', 'support', 'viewer'] as const) {
      await rejectsWith(t.callerAs(role).users.list(), 'FORBIDDEN');
    }
  });
});
