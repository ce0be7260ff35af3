// SIGTERM with a request in flight: the request completes, new connections are refused, the process exits 0.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './server-process';

const PASSWORD = 'drain-admin-password';

describe('graceful drain', () => {
  it('finishes an in-flight request after SIGTERM, then exits 0', async () => {
    const server = await startServerProcess({ NETPLANE_ADMIN_PASSWORD: PASSWORD });
    const url = new URL(`${server.url}/trpc/auth.login`);
    const body = JSON.stringify({ username: 'admin', password: PASSWORD });
    // Headers now, body later: the request is in flight (accepted, unfinished) when SIGTERM arrives.
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      // 100-continue: the server answers "100 Continue" once it has parsed the headers, the event that the request
      // is really in flight there (a fixed sleep only hoped so).
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const response = new Promise<{ status: number; text: string; setCookie: string[] }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => {
          text += String(d);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, setCookie: res.headers['set-cookie'] ?? [] }),
        );
      });
      req.on('error', reject);
    });
    const accepted = new Promise<void>((resolve) => req.once('continue', () => resolve()));
    req.flushHeaders();
    await accepted;
    const exited = server.stop('SIGTERM');
    const deadline = Date.now() + 30_000;
    while (!server.output().includes('Draining') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(server.output()).toContain('Draining');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    req.end(body);
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.text).toContain('csrfToken');
    expect(await exited).toBe(0);
  });

  it('marks the session cookie Secure behind a TLS-terminating proxy on this host', async () => {
    const server = await startServerProcess({ NETPLANE_ADMIN_PASSWORD: PASSWORD });
    try {
      const login = (headers: Record<string, string>) =>
        fetch(`${server.url}/trpc/auth.login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ username: 'admin', password: PASSWORD }),
        });
      const plain = (await login({})).headers.getSetCookie().join(';');
      expect(plain).toContain('np_session=');
      expect(plain).not.toContain('Secure');
      const tls = await login({ 'x-forwarded-proto': 'https' });
      expect(tls.headers.getSetCookie().join(';')).toMatch(/np_session=[^;]+;.*Secure/);
      expect(tls.headers.get('strict-transport-security')).toContain('max-age');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
