import { createTestDatabaseUrl, testDialects } from '@netplane/db/testing';
import { describe, expect, it } from 'vitest';
import { dataOf, errorOf, startServerProcess, TrpcClient } from './server-process';

const ADMIN_PASSWORD = 'smoke-admin-password';

describe.each(testDialects())('smoke: the real server process on %s', (dialect) => {
  it('starts, logs in over HTTP, creates and reads back a zone, serves /readyz and /metrics, and exits 0 on SIGTERM', async () => {
    const database = await createTestDatabaseUrl(dialect);
    const server = await startServerProcess({
      NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...(dialect === 'mysql' ? { DATABASE_URL: database.url } : {}),
    });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const c = new TrpcClient(server.url);

      const anon = await c.query('auth.me');
      expect(anon.status).toBe(401);

      const login = await c.login('admin', ADMIN_PASSWORD);
      expect(login.status).toBe(200);
      const setCookie = login.headers.getSetCookie().join('\n');
      expect(setCookie).toMatch(/np_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
      expect(c.csrf).toBeTruthy();

      // A mutation without the CSRF header is refused even with the cookie.
      const noCsrf = await fetch(`${server.url}/trpc/zones.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: c.cookie ?? '' },
        body: JSON.stringify({ name: 'zone-no-csrf' }),
      });
      expect(noCsrf.status).toBe(403);

      const created = await c.mutate('zones.create', {
        name: 'smoke-zone',
        description: 'made by the smoke test',
      });
      expect(created.status).toBe(200);
      const zone = dataOf<{ id: string; name: string }>(created);
      expect(zone.name).toBe('smoke-zone');
      const read = await c.query('zones.get', { id: zone.id });
      expect(read.status).toBe(200);
      expect(dataOf<{ id: string; description: string }>(read)).toMatchObject({
        id: zone.id,
        description: 'made by the smoke test',
      });

      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, checks: { database: 'ok', migrations: 'ok' } });

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain('process_cpu_user_seconds_total');
      expect(metrics).toMatch(
        /netplane_http_request_duration_seconds_count\{[^}]*route="\/trpc\/zones.create"[^}]*status="200"/,
      );

      const bad = await c.mutate('zones.create', { name: 42 });
      expect(bad.status).toBe(400);
      expect(errorOf(bad).data.code).toBe('BAD_REQUEST');
      expect(bad.text).not.toMatch(/at .+\.(ts|js):\d+/);

      const page = await fetch(`${server.url}/vpcs/some/client/route`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Netplane');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`${server.url}/assets/missing-0000.js`)).status).toBe(404);
    } finally {
      const code = await server.stop('SIGTERM');
      await database.drop();
      expect(code).toBe(0);
      expect(server.output()).toContain('"msg":"Stopped"');
    }
  });
});
