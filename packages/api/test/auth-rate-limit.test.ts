// The login limiter's MySQL store is shared: failures counted by one node block the same ip+username on another.
import { memoryRateLimitStore, openRateLimitStore } from '@netplane/db';
import { createTestDatabaseUrl, testDialects } from '@netplane/db/testing';
import { describe, expect, it, vi } from 'vitest';
import { createLoginLimiter } from '../src/services/auth-rate-limit';

vi.setConfig({ testTimeout: 30_000 });

describe.skipIf(!testDialects().includes('mysql'))('login limiter on MariaDB', () => {
  it('shares counts across two nodes (two pools on one database) and tells the seconds to wait', async () => {
    const database = await createTestDatabaseUrl('mysql');
    const storeA = openRateLimitStore(database.url);
    const storeB = openRateLimitStore(database.url);
    try {
      expect(storeA.kind).toBe('mysql');
      const a = await createLoginLimiter(storeA);
      const b = await createLoginLimiter(storeB);
      for (let i = 0; i < 5; i++) await a.recordFailure('10.0.0.7', 'Alice');
      const wait = await b.secondsBlocked('10.0.0.7', 'alice');
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(15 * 60);
      expect(await b.secondsBlocked('10.0.0.8', 'alice')).toBe(0);
      await b.recordSuccess('10.0.0.7', 'alice');
      expect(await a.secondsBlocked('10.0.0.7', 'alice')).toBe(0);
    } finally {
      await storeA.close();
      await storeB.close();
      await database.drop();
    }
  });
});

describe('login limiter in memory', () => {
  it('blocks one address after too many failures across usernames (per-ip limit)', async () => {
    const l = await createLoginLimiter(memoryRateLimitStore(), {
      perUserIp: { points: 100, windowSec: 60, blockSec: 60 },
      perIp: { points: 3, windowSec: 60, blockSec: 60 },
    });
    for (const u of ['a', 'b', 'c']) await l.recordFailure('10.0.0.9', u);
    expect(await l.secondsBlocked('10.0.0.9', 'someone-else')).toBeGreaterThan(0);
    expect(await l.secondsBlocked('10.0.0.10', 'a')).toBe(0);
  });
});
