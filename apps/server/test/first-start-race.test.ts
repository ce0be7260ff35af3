// Two nodes started at the same moment on one empty MariaDB database with NETPLANE_ADMIN_PASSWORD: both come up
// (migrations and the admin bootstrap race) and exactly one admin row exists. Five rounds, each on a fresh database.
import { connect } from '@netplane/db';
import { createTestDatabaseUrl, testDialects } from '@netplane/db/testing';
import { describe, expect, it } from 'vitest';
import { newMasterKey } from './cluster-world';
import { type RunningServer, startServerProcess } from './server-process';

const ROUNDS = 5;

describe.skipIf(!testDialects().includes('mysql'))('two nodes starting together on an empty MariaDB', () => {
  it(`both become ready with exactly one admin (${ROUNDS} rounds)`, { timeout: 1_200_000 }, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const database = await createTestDatabaseUrl('mysql');
      const env = {
        DATABASE_URL: database.url,
        NETPLANE_ADMIN_PASSWORD: 'race-admin-pw',
        NETPLANE_MASTER_KEY: newMasterKey(),
      };
      const started = await Promise.allSettled([
        startServerProcess({ ...env, NODE_ID: `race-${round}-a` }),
        startServerProcess({ ...env, NODE_ID: `race-${round}-b` }),
      ]);
      const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
        expect(failures, `round ${round}`).toEqual([]);
        for (const s of servers as RunningServer[])
          expect((await fetch(`${s.url}/readyz`)).status, `round ${round}`).toBe(200);
        const c = connect(database.url);
        try {
          const rows = await c.db.selectFrom('users').select(['username', 'role']).execute();
          expect(rows, `round ${round}`).toEqual([{ username: 'admin', role: 'admin' }]);
        } finally {
          await c.close();
        }
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
        await database.drop();
      }
    }
  });
});
