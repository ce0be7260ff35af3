// The request limits at the /trpc edge over real HTTP (docs/operations.md "Request limits"): deep JSON to every
// procedure, anonymous and signed in; batches over the cap; huge, broken and non-JSON bodies; a subscription
// without a session. Each is a tRPC-shaped 4xx, never a 500 or a hang, and the server stays healthy.
import { REQUEST_LIMITS } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProcedures } from '../../../packages/api/test/malformed-input-cases';
import { appRouter } from '../src/app-router';
import {
  errorOf,
  type RunningServer,
  startServerProcess,
  TrpcClient,
  type TrpcResult,
} from './server-process';

const PASSWORD = 'edge-limits-admin';
const { maxBatchSize, maxJsonDepth } = REQUEST_LIMITS;

/** JSON text nested `depth` levels deep, alternating objects and arrays (built as text: JSON.stringify of a
 * value 5,000 deep overflows the test's own stack). */
function nested(depth: number): string {
  const open = Array.from({ length: depth }, (_, i) => (i % 2 === 0 ? '{"a":' : '['));
  const close = Array.from({ length: depth }, (_, i) => (i % 2 === 0 ? '}' : ']')).reverse();
  return `${open.join('')}1${close.join('')}`;
}

async function send(c: TrpcClient, type: string, path: string, json: string): Promise<TrpcResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.cookie) headers.cookie = c.cookie;
  if (c.csrf) headers['x-csrf-token'] = c.csrf;
  const res =
    type === 'mutation'
      ? await fetch(`${c.baseUrl}/trpc/${path}`, { method: 'POST', headers, body: json })
      : await fetch(`${c.baseUrl}/trpc/${path}?input=${encodeURIComponent(json)}`, { headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertion below says so
  }
  return { status: res.status, body, text, headers: res.headers };
}

describe('request limits at the /trpc edge (SQLite)', () => {
  let server: RunningServer;
  let admin: TrpcClient;
  beforeAll(async () => {
    server = await startServerProcess({ NETPLANE_ADMIN_PASSWORD: PASSWORD });
    admin = new TrpcClient(server.url);
    expect((await admin.login('admin', PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  const healthy = async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.output()).not.toContain('"level":60');
  };

  it('refuses input nested past the limit to every procedure with 400 BAD_REQUEST, anonymous and signed in', {
    timeout: 300_000,
  }, async () => {
    const wrong: string[] = [];
    const procs = listProcedures(appRouter).filter((p) => p.type !== 'subscription');
    expect(procs.length).toBeGreaterThan(40);
    for (const client of [new TrpcClient(server.url), admin]) {
      const who = client === admin ? 'admin' : 'anonymous';
      for (const p of procs) {
        // A body 5,000 deep (the overflow once seen); a query string only holds ~100 levels inside 16 KB.
        const r = await send(client, p.type, p.path, nested(p.type === 'mutation' ? 5000 : 100));
        const e = r.status === 400 ? errorOf(r) : undefined;
        if (e?.data.code !== 'BAD_REQUEST' || !e.message.includes(`${maxJsonDepth} levels`)) {
          wrong.push(`${who} ${p.path}: HTTP ${r.status} ${r.text.slice(0, 120)}`);
        }
      }
    }
    // Within the limit the input reaches the procedure (a validation or auth answer, not the edge's).
    const within = await send(admin, 'mutation', 'auth.login', `{"username":${nested(maxJsonDepth - 1)}}`);
    expect(within.status).toBe(400);
    expect(errorOf(within).message).not.toContain('levels deep');
    expect(wrong, wrong.join('\n')).toEqual([]);
    await healthy();
  });

  it('refuses a batch over the cap with 400 naming the limit, and serves one at the cap', async () => {
    const paths = (n: number) => Array(n).fill('calls.recent').join(',');
    const big = await fetch(`${server.url}/trpc/${paths(100)}?batch=1`, {
      headers: { cookie: admin.cookie ?? '' },
    });
    const body = (await big.json()) as { error: { message: string; data: { code: string } } };
    expect(big.status).toBe(400);
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(body.error.message).toContain(`at most ${maxBatchSize} procedures`);
    // Commas encoded as %2C are the same batch.
    const encoded = await fetch(`${server.url}/trpc/${paths(11).replaceAll(',', '%2C')}?batch=1`);
    expect(encoded.status).toBe(400);
    const post = await admin.mutate(`${Array(11).fill('jobs.cancel').join(',')}?batch=1`, {});
    expect(post.status).toBe(400);
    const ok = await fetch(`${server.url}/trpc/${paths(maxBatchSize)}?batch=1`, {
      headers: { cookie: admin.cookie ?? '' },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as unknown[]).length).toBe(maxBatchSize);
    await healthy();
  });

  it('keeps /healthz answering while the heaviest allowed batches run', { timeout: 120_000 }, async () => {
    const heavy = `${Array(maxBatchSize).fill('calls.recent').join(',')}?batch=1&input=${encodeURIComponent(
      JSON.stringify(
        Object.fromEntries(
          Array.from({ length: maxBatchSize }, (_, i) => [i, { limit: REQUEST_LIMITS.maxPageSize }]),
        ),
      ),
    )}`;
    const batches = Array.from({ length: 8 }, () =>
      fetch(`${server.url}/trpc/${heavy}`, { headers: { cookie: admin.cookie ?? '' } }).then((r) => r.status),
    );
    const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
    expect(health.status).toBe(200);
    expect(await Promise.all(batches)).toEqual(Array(8).fill(200));
  });

  it('answers huge, broken and non-JSON bodies with tRPC-shaped 4xx', async () => {
    const post = (body: string, type?: string) =>
      fetch(`${server.url}/trpc/auth.login`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body,
      });
    const cases: [string, Promise<Response>, number, string][] = [
      [
        '3 MB body',
        post(JSON.stringify({ username: 'x'.repeat(3 * 1024 * 1024) }), 'application/json'),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['bad JSON', post('{"username": ', 'application/json'), 400, 'BAD_REQUEST'],
      ['text/plain', post('{"username":"a","password":"b"}', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [
        'form data',
        post('--x\r\n\r\n--x--', 'multipart/form-data; boundary=x'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['octet-stream', post('\u0000\u0001', 'application/octet-stream'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['no content type', post('{}'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a bad charset', post('{}', 'application/json; charset=klingon'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [label, p, status, code] of cases) {
      const r = await p;
      const body = (await r.json()) as { error?: { data?: { code?: string; httpStatus?: number } } };
      expect([label, r.status, body.error?.data?.code]).toEqual([label, status, code]);
      expect(body.error?.data?.httpStatus, label).toBe(status);
    }
    await healthy();
  });

  it('answers jobs.watch without a session with 401 before any stream, and a malformed id with 400', async () => {
    const subs = listProcedures(appRouter).filter((p) => p.type === 'subscription');
    expect(subs.map((p) => p.path)).toContain('jobs.watch');
    const id = '3f1c7a52-1d7e-4a1e-9e55-6b1f0c2d9a10';
    for (const p of subs) {
      const anon = await fetch(
        `${server.url}/trpc/${p.path}?input=${encodeURIComponent(JSON.stringify({ id }))}`,
      );
      expect([p.path, anon.status]).toEqual([p.path, 401]);
      expect(anon.headers.get('content-type')).toContain('application/json');
      expect(((await anon.json()) as { error: { data: { code: string } } }).error.data.code).toBe(
        'UNAUTHORIZED',
      );
    }
    const bad = await fetch(`${server.url}/trpc/jobs.watch?input=${encodeURIComponent('{"id":"nope"}')}`, {
      headers: { cookie: admin.cookie ?? '' },
    });
    expect(bad.status).toBe(400);
    // Signed in with a well-formed id the stream starts as before.
    const ctl = new AbortController();
    const ok = await fetch(
      `${server.url}/trpc/jobs.watch?input=${encodeURIComponent(JSON.stringify({ id }))}`,
      {
        headers: { cookie: admin.cookie ?? '' },
        signal: ctl.signal,
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/event-stream');
    ctl.abort();
    await healthy();
  });
});
