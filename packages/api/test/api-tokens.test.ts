// API tokens in process, on both dialects, with a clock the test moves: the bearer resolution (role capped by the
// user's, use written once a minute or on a new address, `tokens.use` audited once an hour), the per-token request
// rate and the per-ip refusal block with small policies, a refused token refusing public procedures too, the list's
// shape (no hash, own vs all) and the cap on live tokens per user.
import { auditRepo, memoryRateLimitStore, usersRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { API_TOKEN_MAX_ACTIVE } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContextInner } from '../src/context';
import { resolveBearer } from '../src/services/token-auth';
import { createTokenLimiter } from '../src/services/token-limits';
import { createCallerFactory } from '../src/trpc';
import { rejectsWith } from './auth-harness';
import { testAppRouter } from './fixtures/app-router';
import { makeTestDeps, type TestDeps } from './fixtures/deps';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const createCaller = createCallerFactory(testAppRouter);

describe.each(testDialects())('API tokens on %s', (dialect) => {
  let t: TestDeps;
  let clock = 1_800_000_000_000;
  const users: Record<string, { id: string; username: string }> = {};
  const as = (name: string, role: 'admin' | 'operator' | 'viewer') =>
    t.callerAs(role, users[name] as { id: string; username: string });

  beforeAll(async () => {
    t = await makeTestDeps(dialect, { now: () => clock });
    for (const [username, role] of [
      ['root', 'admin'],
      ['ops', 'operator'],
      ['cap', 'viewer'],
    ] as const) {
      const id = crypto.randomUUID();
      await usersRepo.insertUser(t.db.db, { id, username, passwordHash: 'x', role }, clock);
      users[username] = { id, username };
    }
  });
  afterAll(async () => t.cleanup());

  const ok = async (token: string, ip = '198.51.100.1') => {
    const r = await resolveBearer(t.deps, token, ip);
    if (r.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
    return r;
  };

  it('resolves a token to its user with the token role, capped by the user’s current role', async () => {
    const { token, item } = await as('ops', 'operator').tokens.create({
      name: 'deploy',
      role: 'operator',
      expiresInDays: 7,
    });
    expect(item).toMatchObject({ status: 'active', lastUsedAt: null, expiresAt: clock + 7 * 86_400_000 });
    expect(Object.keys(item)).not.toContain('hash');
    const r = await ok(token);
    expect(r.user).toEqual({ id: users.ops?.id, username: 'ops', role: 'operator' });
    await usersRepo.updateUser(t.db.db, users.ops?.id ?? '', { role: 'viewer' }, clock);
    expect((await ok(token)).user.role).toBe('viewer');
    await usersRepo.updateUser(t.db.db, users.ops?.id ?? '', { role: 'operator' }, clock);
  });

  it('writes the last use once a minute (or from a new address) and audits a use once an hour', async () => {
    const { token, item } = await as('ops', 'operator').tokens.create({
      name: 'poller',
      role: 'viewer',
      expiresInDays: 30,
    });
    const lastUse = async () => {
      const { items } = await as('ops', 'operator').tokens.list({});
      const row = items.find((i) => i.id === item.id);
      return [row?.lastUsedAt, row?.lastUsedIp];
    };
    const uses = async () =>
      (await auditRepo.listAudit(t.db.db, { limit: 200, action: 'tokens.use', targetId: item.id })).total;
    const t0 = clock;
    await ok(token);
    clock += 30_000;
    await ok(token);
    expect(await lastUse()).toEqual([t0, '198.51.100.1']);
    await ok(token, '198.51.100.2');
    expect(await lastUse()).toEqual([clock, '198.51.100.2']);
    clock += 60_000;
    await ok(token, '198.51.100.2');
    expect(await lastUse()).toEqual([clock, '198.51.100.2']);
    expect(await uses()).toBe(1);
    const [use] = (await auditRepo.listAudit(t.db.db, { limit: 1, action: 'tokens.use', targetId: item.id }))
      .items;
    expect(use).toMatchObject({
      actorName: 'ops',
      actorTokenId: item.id,
      after: { name: 'poller', ip: '198.51.100.1' },
    });
    clock = t0 + 3_600_000;
    await ok(token);
    expect(await uses()).toBe(2);
  });

  it('limits requests per token and blocks an ip after too many refused tokens', async () => {
    const saved = t.deps.tokenLimiter;
    t.deps.tokenLimiter = await createTokenLimiter(
      memoryRateLimitStore(),
      {
        failuresPerIp: { points: 2, windowSec: 60, blockSec: 60 },
        requestsPerToken: { points: 3, windowSec: 60 },
      },
      () => clock,
    );
    try {
      const { token } = await as('ops', 'operator').tokens.create({
        name: 'burst',
        role: 'viewer',
        expiresInDays: 1,
      });
      for (let i = 0; i < 3; i++) await ok(token);
      const over = await resolveBearer(t.deps, token, '198.51.100.1');
      expect(over.status === 'refused' && over.error.code).toBe('RATE_LIMITED');
      expect(over.status === 'refused' && over.error.details).toMatchObject({ reason: 'TOKEN_RATE' });
      // A revoked token had its secret right: refused, but not counted towards the address's block.
      const stale = await as('ops', 'operator').tokens.create({
        name: 'stale',
        role: 'viewer',
        expiresInDays: 1,
      });
      await as('ops', 'operator').tokens.revoke({ id: stale.item.id });
      for (let i = 0; i < 3; i++) {
        const r = await resolveBearer(t.deps, stale.token, '203.0.113.8');
        expect(r.status === 'refused' && r.error.details).toMatchObject({ reason: 'TOKEN_REVOKED' });
      }
      const fresh = await as('ops', 'operator').tokens.create({
        name: 'fresh',
        role: 'viewer',
        expiresInDays: 1,
      });
      await ok(fresh.token, '203.0.113.8');
      const bad = `${token.slice(0, 17)}${'Z'.repeat(43)}`;
      for (let i = 0; i < 3; i++) await resolveBearer(t.deps, bad, '203.0.113.9');
      const blocked = await resolveBearer(t.deps, token, '203.0.113.9');
      expect(blocked.status === 'refused' && blocked.error.details).toMatchObject({
        reason: 'TOKEN_FAILURES',
      });
      expect(JSON.stringify(blocked)).not.toContain(token);
      // The block is this node's memory on the test's clock: past it, that address is served again (another
      // token: the request counter runs on the real clock).
      const { token: other } = await as('ops', 'operator').tokens.create({
        name: 'after-block',
        role: 'viewer',
        expiresInDays: 1,
      });
      clock += 61_000;
      await ok(other, '203.0.113.9');
    } finally {
      if (saved) t.deps.tokenLimiter = saved;
      else delete t.deps.tokenLimiter;
    }
  });

  it('a refused token refuses every procedure, public ones included', async () => {
    const r = await resolveBearer(t.deps, 'npt_garbage', '192.0.2.1');
    expect(r.status).toBe('refused');
    const caller = createCaller(
      createContextInner(t.deps, { tokenRefusal: r.status === 'refused' ? r.error : null }),
    );
    const e = await rejectsWith(caller.auth.setupStatus(), 'UNAUTHORIZED');
    expect(e.message).toContain('not a Netplane API token');
  });

  it('lists own tokens, every token for admins only, and caps live tokens per user', async () => {
    const own = await as('ops', 'operator').tokens.list({ limit: 200 });
    expect(own.items.every((i) => i.username === 'ops')).toBe(true);
    await rejectsWith(as('ops', 'operator').tokens.list({ all: true }), 'FORBIDDEN');
    const all = await as('root', 'admin').tokens.list({ all: true, limit: 200 });
    expect(all.total).toBe(own.total);
    await rejectsWith(
      as('cap', 'viewer').tokens.create({ name: 'x', role: 'operator', expiresInDays: 1 }),
      'FORBIDDEN',
    );
    for (let i = 0; i < API_TOKEN_MAX_ACTIVE; i++) {
      await as('cap', 'viewer').tokens.create({ name: `t${i}`, role: 'viewer', expiresInDays: 1 });
    }
    await rejectsWith(
      as('cap', 'viewer').tokens.create({ name: 'one-too-many', role: 'viewer', expiresInDays: 1 }),
      'PRECONDITION_FAILED',
    );
    // An expired token no longer counts.
    clock += 86_400_000;
    await as('cap', 'viewer').tokens.create({ name: 'after-expiry', role: 'viewer', expiresInDays: 1 });
    const page = await as('cap', 'viewer').tokens.list({ limit: 10 });
    expect(page.items[0]?.status).toBe('active');
    expect(page.items[1]?.status).toBe('expired');
    expect(page.nextCursor).not.toBeNull();
  });
});
