// Malformed input over real HTTP against the bundled server: every procedure, every probe, answers 4xx with a JSON
// body and no stack trace (or succeeds), never 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProcedures, malformedInputs } from '../../../packages/api/test/malformed-input-cases';
import { appRouter } from '../src/app-router';
import { type RunningServer, startServerProcess, TrpcClient, type TrpcResult } from './server-process';

const PASSWORD = 'malformed-http-admin';
const STACK = /\bat \S+ \(|\.(ts|js|mjs):\d+:\d+|node_modules/;

function problemOf(label: string, r: TrpcResult): string | undefined {
  // A 1 MB query string is refused by Node's HTTP parser before any code of ours runs: 431/414, no body.
  if (r.status === 431 || r.status === 414) return undefined;
  if (r.status >= 500) return `${label}: HTTP ${r.status} ${r.text.slice(0, 200)}`;
  if (!(r.headers.get('content-type') ?? '').includes('application/json')) return `${label}: not JSON`;
  if (typeof r.body !== 'object') return `${label}: body is not JSON`;
  if (STACK.test(r.text)) return `${label}: stack trace in the body`;
  return undefined;
}

describe('malformed input over HTTP (SQLite)', () => {
  let server: RunningServer;
  let c: TrpcClient;
  beforeAll(async () => {
    server = await startServerProcess({ NETPLANE_ADMIN_PASSWORD: PASSWORD });
    c = new TrpcClient(server.url);
    expect((await c.login('admin', PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('answers every probe of every procedure with 4xx JSON and no stack (or a success)', {
    timeout: 300_000,
  }, async () => {
    const problems: string[] = [];
    let calls = 0;
    // Logging out would end the admin session the other probes need; it is probed last.
    const procs = listProcedures(appRouter).filter((p) => p.type !== 'subscription');
    procs.sort((a, b) => Number(a.path === 'auth.logout') - Number(b.path === 'auth.logout'));
    for (const p of procs) {
      // Over HTTP one 1 MB field per procedure is enough (the in-process test sends one per field): time, not coverage.
      let bigFields = 0;
      const probes = malformedInputs(p).filter(
        (x) => !/^field .* a 1 MB string$/.test(x.label) || bigFields++ === 0,
      );
      for (const probe of probes) {
        calls++;
        const label = `${p.path} with ${probe.label}`;
        let r: TrpcResult;
        try {
          r = p.type === 'query' ? await c.query(p.path, probe.input) : await c.mutate(p.path, probe.input);
        } catch (e) {
          // Node's HTTP parser answers a URL over its 16 KB header limit with 431 and closes the socket, which the
          // client may see as a reset: no code of ours ran, so that is not a finding.
          const urlBytes = encodeURIComponent(JSON.stringify(probe.input) ?? '').length;
          if (p.type === 'query' && urlBytes > 16 * 1024) continue;
          problems.push(`${label}: ${String(e)}`);
          continue;
        }
        const problem = problemOf(label, r);
        if (problem) problems.push(problem);
      }
    }
    expect(calls).toBeGreaterThan(50);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(server.output()).not.toContain('"level":60');
  });

  it('answers 401 to every procedure but the public auth ones for a client without a session', async () => {
    const PUBLIC = new Set(['auth.login', 'auth.setup', 'auth.setupStatus']);
    const anon = new TrpcClient(server.url);
    const wrong: string[] = [];
    for (const p of listProcedures(appRouter).filter(
      (x) => x.type !== 'subscription' && !PUBLIC.has(x.path),
    )) {
      const r = p.type === 'query' ? await anon.query(p.path, {}) : await anon.mutate(p.path, {});
      if (r.status !== 401) wrong.push(`${p.path}: HTTP ${r.status}`);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('answers broken HTTP requests with 4xx JSON: bad JSON, a body over the limit, an unknown procedure, GET on a mutation', async () => {
    const post = (path: string, body: string) =>
      fetch(`${server.url}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const cases: [string, Promise<Response>, number][] = [
      ['bad JSON', post('auth.login', '{"username": '), 400],
      ['3 MB body', post('auth.login', JSON.stringify({ username: 'x'.repeat(3 * 1024 * 1024) })), 413],
      ['unknown procedure', post('nope.nothing', '{}'), 404],
      ['GET on a mutation', fetch(`${server.url}/trpc/auth.login`), 405],
    ];
    for (const [label, p, status] of cases) {
      const r = await p;
      const text = await r.text();
      expect(r.status, label).toBe(status);
      expect(r.headers.get('content-type') ?? '', label).toContain('application/json');
      expect(text, label).not.toMatch(STACK);
    }
  });
});
