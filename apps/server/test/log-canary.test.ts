// A canary password given to the real server (controller credentials, login attempts, bad input) never shows up in
// the server's stdout/stderr, even at debug level; nor does an API token, used, misused, revoked or pasted into input.
import { describe, expect, it } from 'vitest';
import { dataOf, startServerProcess, TrpcClient } from './server-process';

const CANARY = `Canary-${Math.random().toString(36).slice(2)}-S3cret`;
const ADMIN_PASSWORD = 'log-canary-admin-pw';

describe('log canary', () => {
  it('never writes a controller credential or a password to the server log', async () => {
    const server = await startServerProcess({ NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'trace' });
    let code: number | null = null;
    let token = '';
    try {
      const c = new TrpcClient(server.url);
      expect((await c.login('admin', ADMIN_PASSWORD)).status).toBe(200);
      const zone = dataOf<{ id: string }>(await c.mutate('zones.create', { name: 'canary-zone' }));
      const pn = dataOf<{ id: string }>(
        await c.mutate('physicalNetworks.create', {
          zoneId: zone.id,
          name: 'canary-pn',
          isolationMethods: ['VLAN'],
          tags: [],
          vlanRanges: [],
        }),
      );
      const provider = dataOf<{ id: string }>(
        await c.mutate('providers.create', { physicalNetworkId: pn.id, adapterId: 'simulator' }),
      );
      const created = await c.mutate('controllers.create', {
        providerId: provider.id,
        name: 'canary-controller',
        endpoint: 'sim://canary',
        credentials: { username: 'netplane', password: CANARY },
      });
      expect(created.status).toBe(200);
      const controller = dataOf<{ id: string }>(created);
      expect(created.text).not.toContain(CANARY);

      // Failures that carry the canary: wrong logins, bad input around credentials, a bad rotation.
      const failures = [
        await new TrpcClient(server.url).login('admin', CANARY),
        await new TrpcClient(server.url).login('nobody-here', CANARY),
        await c.mutate('controllers.create', {
          providerId: provider.id,
          name: 'bad',
          endpoint: 'sim://bad',
          credentials: { username: 'u', password: CANARY.repeat(5000) },
        }),
        await c.mutate('controllers.create', { providerId: provider.id, credentials: { password: CANARY } }),
        await c.mutate('controllers.rotateCredentials', { id: controller.id, credentials: { nope: CANARY } }),
        await c.mutate('auth.changePassword', { currentPassword: CANARY, newPassword: `${CANARY}-new` }),
        await c.mutate('users.create', { username: 'x', password: CANARY, role: 'nope' }),
      ];
      for (const f of failures) {
        expect(f.status).toBeGreaterThanOrEqual(400);
        expect(f.status).toBeLessThan(500);
        expect(f.text).not.toContain(CANARY);
      }
      const rotated = await c.mutate('controllers.rotateCredentials', {
        id: controller.id,
        credentials: { username: 'netplane', password: `${CANARY}-2` },
      });
      expect(rotated.status).toBe(200);
      await c.mutate('controllers.testConnection', { id: controller.id });

      const made = dataOf<{ token: string; item: { id: string } }>(
        await c.mutate('tokens.create', { name: 'canary-token', role: 'viewer', expiresInDays: 1 }),
      );
      token = made.token;
      const asToken = (t: string) =>
        fetch(`${server.url}/trpc/zones.list`, { headers: { authorization: `Bearer ${t}` } });
      expect((await asToken(token)).status).toBe(200);
      const tokenFailures = [
        await asToken(`${token}x`),
        await asToken(`${token.slice(0, 17)}${token.slice(17).split('').reverse().join('')}`),
        await fetch(`${server.url}/trpc/zones.list`, { headers: { authorization: `Basic ${token}` } }),
      ];
      await c.mutate('tokens.revoke', { id: made.item.id });
      tokenFailures.push(await asToken(token));
      for (const f of tokenFailures) expect(await f.text()).not.toContain(token.slice(17));
      // Pasted into input: stored as the user typed it, but never logged.
      expect(
        (await c.mutate('zones.create', { name: 'z-pasted', description: `token=${token}` })).status,
      ).toBe(200);
    } finally {
      code = await server.stop();
    }
    expect(code).toBe(0);
    const log = server.output();
    expect(log).toContain('Login failed'); // the failures were logged...
    expect(log).not.toContain(CANARY); // ...without the secret
    expect(log).not.toContain(ADMIN_PASSWORD);
    expect(token).toMatch(/^npt_/);
    expect(log).toContain('API token refused');
    expect(log).not.toContain(token.slice(17));
  });
});
