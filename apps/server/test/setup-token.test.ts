import { describe, expect, it } from 'vitest';
import { dataOf, errorOf, startServerProcess, TrpcClient } from './server-process';

describe('first-run setup token over HTTP', () => {
  it('prints a one-time token; a wrong token is refused, the right one creates the admin, a second setup is refused', async () => {
    const server = await startServerProcess();
    try {
      const m = server
        .output()
        .match(/Netplane setup: open http:\/\/localhost:(\d+)\/setup and enter the token (\S+)/);
      expect(m).not.toBeNull();
      const token = m?.[2] ?? '';
      expect(server.url.endsWith(`:${m?.[1]}`)).toBe(true);
      // The token is printed on the banner only, never inside a structured log line.
      const logLines = server
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      expect(logLines.some((l) => l.includes(token))).toBe(false);

      const c = new TrpcClient(server.url);
      expect(dataOf(await c.query('auth.setupStatus'))).toEqual({ needsSetup: true });

      const wrong = await c.mutate('auth.setup', {
        token: 'not-the-token',
        username: 'root',
        password: 'root password',
      });
      expect(wrong.status).toBe(403);
      expect(errorOf(wrong).message).toMatch(/setup token/);

      const crossSite = await c.mutate(
        'auth.setup',
        { token, username: 'root', password: 'root password' },
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      );
      expect(crossSite.status).toBe(403);

      const ok = await c.mutate('auth.setup', { token, username: 'root', password: 'root password' });
      expect(ok.status).toBe(200);
      expect(dataOf<{ user: { role: string } }>(ok).user.role).toBe('admin');
      expect(c.cookie).toBeTruthy();
      expect(dataOf(await c.query('auth.setupStatus'))).toEqual({ needsSetup: false });

      const again = await new TrpcClient(server.url).mutate('auth.setup', {
        token,
        username: 'root2',
        password: 'root password',
      });
      expect(again.status).toBe(412);
      const login = await new TrpcClient(server.url).login('root', 'root password');
      expect(login.status).toBe(200);

      // Five wrong passwords from one address: the sixth attempt is 429 with Retry-After, even with the right one.
      const guesser = new TrpcClient(server.url);
      for (let i = 0; i < 5; i++) expect((await guesser.login('root', `guess-${i}`)).status).toBe(401);
      const limited = await guesser.login('root', 'root password');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(errorOf(limited).message).toMatch(/try again in \d+ seconds/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
