// /readyz follows the database: ready on a migrated MariaDB database, 503 once that database is gone.
import { createTestDatabaseUrl, testDialects } from '@netplane/db/testing';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './server-process';

describe.skipIf(!testDialects().includes('mysql'))('readiness on MariaDB', () => {
  it('answers 200 when the database is migrated and 503 (with the reason) after it is dropped', async () => {
    const database = await createTestDatabaseUrl('mysql');
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      NETPLANE_ADMIN_PASSWORD: 'readiness-pw',
    });
    try {
      const ok = await fetch(`${server.url}/readyz`);
      expect(ok.status).toBe(200);
      await database.drop();
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      const body = (await down.json()) as { ready: boolean; checks: { migrations: string } };
      expect(body.ready).toBe(false);
      expect(body.checks.migrations).not.toBe('ok');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
