// The API token repository on both dialects: insert and the one-statement authentication read (with the user's
// role and state), the keyset page (own and all), the active count, revoke (once), revoke-all of a user, the use
// marks, the one-winner use-audit claim, the unique prefix and the cascade when the user is deleted.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokensRepo, usersRepo } from '../src/index';
import { createTestDatabase, type TestDatabase, testDialects } from '../src/testing';

describe.each(testDialects())('API token repository on %s', (dialect) => {
  let t: TestDatabase;
  const alice = randomUUID();
  const bob = randomUUID();
  const t0 = 1_800_000_000_000;
  const token = (userId: string, n: number, over: Partial<apiTokensRepo.NewApiToken> = {}) => ({
    id: randomUUID(),
    userId,
    name: `t${n}`,
    role: 'viewer',
    prefix: `npt_${randomUUID().slice(0, 12)}`,
    hash: 'ab'.repeat(32),
    createdAt: t0 + n,
    expiresAt: t0 + 86_400_000,
    ...over,
  });
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await usersRepo.insertUser(
      t.db,
      { id: alice, username: 'alice', passwordHash: 'x', role: 'operator' },
      t0,
    );
    await usersRepo.insertUser(t.db, { id: bob, username: 'bob', passwordHash: 'x', role: 'viewer' }, t0);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stores a token and reads it back for authentication with its user', async () => {
    const a = token(alice, 1, { role: 'operator' });
    await apiTokensRepo.insertToken(t.db, a);
    const row = await apiTokensRepo.findForAuth(t.db, a.prefix);
    expect(row).toMatchObject({
      id: a.id,
      userId: alice,
      username: 'alice',
      role: 'operator',
      hash: a.hash,
      expiresAt: a.expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      useAuditedAt: null,
      userRole: 'operator',
      userDisabled: false,
    });
    expect(await apiTokensRepo.findForAuth(t.db, 'npt_nothere')).toBeUndefined();
    expect(await apiTokensRepo.findToken(t.db, a.id)).not.toHaveProperty('hash');
  });

  it('refuses a second token with the same prefix', async () => {
    const a = token(alice, 2);
    await apiTokensRepo.insertToken(t.db, a);
    await expect(apiTokensRepo.insertToken(t.db, { ...token(bob, 3), prefix: a.prefix })).rejects.toThrow();
  });

  it('pages a user’s tokens newest first, and everyone’s', async () => {
    for (let n = 10; n < 15; n++) await apiTokensRepo.insertToken(t.db, token(bob, n));
    const first = await apiTokensRepo.pageTokens(t.db, { userId: bob, limit: 3 });
    expect(first.items.map((i) => i.name)).toEqual(['t14', 't13', 't12']);
    expect(first.total).toBe(5);
    const second = await apiTokensRepo.pageTokens(t.db, {
      userId: bob,
      limit: 3,
      cursor: first.nextCursor ?? '',
    });
    expect(second.items.map((i) => i.name)).toEqual(['t11', 't10']);
    expect(second.nextCursor).toBeNull();
    const all = await apiTokensRepo.pageTokens(t.db, { limit: 200 });
    expect(all.total).toBe(7);
    expect(new Set(all.items.map((i) => i.username))).toEqual(new Set(['alice', 'bob']));
  });

  it('counts active tokens, revokes once, and revokes all of a user', async () => {
    const expired = token(bob, 20, { expiresAt: t0 });
    await apiTokensRepo.insertToken(t.db, expired);
    expect(await apiTokensRepo.countActiveOfUser(t.db, bob, t0 + 1)).toBe(5);
    const page = await apiTokensRepo.pageTokens(t.db, { userId: bob, limit: 2 });
    expect(page.items[0]?.id).toBe(expired.id);
    const id = page.items[1]?.id ?? '';
    expect(await apiTokensRepo.revokeToken(t.db, id, t0 + 5)).toBe(true);
    expect(await apiTokensRepo.revokeToken(t.db, id, t0 + 6)).toBe(false);
    expect((await apiTokensRepo.findToken(t.db, id))?.revokedAt).toBe(t0 + 5);
    expect(await apiTokensRepo.countActiveOfUser(t.db, bob, t0 + 1)).toBe(4);
    // The expired one is not yet revoked: revoke-all covers it too (5 = 4 active + the expired).
    expect(await apiTokensRepo.revokeTokensOfUser(t.db, bob, t0 + 7)).toBe(5);
    expect(await apiTokensRepo.countActiveOfUser(t.db, bob, t0 + 1)).toBe(0);
  });

  it('records a use and lets exactly one caller per interval claim the use audit', async () => {
    const a = token(alice, 30);
    await apiTokensRepo.insertToken(t.db, a);
    await apiTokensRepo.touchUse(t.db, a.id, t0 + 100, '203.0.113.7');
    expect(await apiTokensRepo.findToken(t.db, a.id)).toMatchObject({
      lastUsedAt: t0 + 100,
      lastUsedIp: '203.0.113.7',
    });
    const hour = 3_600_000;
    const claims = await Promise.all(
      Array.from({ length: 5 }, () => apiTokensRepo.claimUseAudit(t.db, a.id, t0 + 100, hour)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await apiTokensRepo.claimUseAudit(t.db, a.id, t0 + 100 + hour - 1, hour)).toBe(false);
    expect(await apiTokensRepo.claimUseAudit(t.db, a.id, t0 + 100 + hour, hour)).toBe(true);
  });

  it('deletes a user’s tokens with the user', async () => {
    const c = randomUUID();
    await usersRepo.insertUser(t.db, { id: c, username: 'carol', passwordHash: 'x', role: 'admin' }, t0);
    const a = token(c, 40);
    await apiTokensRepo.insertToken(t.db, a);
    await usersRepo.deleteUser(t.db, c);
    expect(await apiTokensRepo.findForAuth(t.db, a.prefix)).toBeUndefined();
  });
});
