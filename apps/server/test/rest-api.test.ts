// The REST API over real HTTP against the bundled server, on both dialects: /api/openapi.json is an OpenAPI 3.1
// document listing the lifecycle's paths; then a whole VPC lifecycle with plain fetch and only a bearer token
// (zone → physical network → simulator provider → controller → offerings → VPC → tier → implement → bulk NICs →
// release one → destroy, each job polled to its end); bad input → 400, an unknown id → 404, no credentials → 401
// and a viewer token on a mutation → 403, all as { code, message, details }; the session cookie with the same CSRF
// and Origin rules as /trpc, the body size limit, and guessed tokens throttled (429, Retry-After). The tokens are
// made once through tRPC (cookie + CSRF).
import { createTestDatabaseUrl, testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, type RunningServer, startServerProcess, TrpcClient } from './server-process';

type Reply = { status: number; body: Record<string, unknown>; text: string };

function restClient(base: string, token?: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
  };
  const ok = async <T>(method: string, path: string, body?: unknown, status = 200): Promise<T> => {
    const r = await call(method, path, body);
    expect(r.status, `${method} ${path}: ${r.text}`).toBe(status);
    return r.body as T;
  };
  /** Polls GET /jobs/{id} until the job ends (a generous deadline, no fixed sleep as a wait). */
  const jobEnds = async (jobId: string): Promise<string> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = await ok<{ state: string }>('GET', `/jobs/${jobId}`);
      if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job.state;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { call, ok, jobEnds };
}

function expectError(r: Reply, status: number, code: string) {
  expect(r.status, r.text).toBe(status);
  expect(r.body).toMatchObject({ code, message: expect.any(String) });
  expect(Object.keys(r.body).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
}

describe.each(testDialects())('REST API over HTTP on %s', (dialect) => {
  let server: RunningServer;
  let dropDatabase = async () => {};
  let adminToken = '';
  let viewerToken = '';
  let session: TrpcClient;

  beforeAll(async () => {
    const env: Record<string, string> = { NETPLANE_ADMIN_PASSWORD: 'rest-admin-pw' };
    if (dialect === 'mysql') {
      const d = await createTestDatabaseUrl('mysql');
      dropDatabase = d.drop;
      env.DATABASE_URL = d.url;
    }
    server = await startServerProcess(env);
    session = new TrpcClient(server.url);
    expect((await session.login('admin', 'rest-admin-pw')).status).toBe(200);
    const make = async (role: string) =>
      dataOf<{ token: string }>(
        await session.mutate('tokens.create', { name: `rest-${role}`, role, expiresInDays: 1 }),
      ).token;
    adminToken = await make('admin');
    viewerToken = await make('viewer');
  });
  afterAll(async () => {
    const code = await server?.stop();
    await dropDatabase();
    expect(code).toBe(0);
  });

  it('serves an OpenAPI 3.1 document listing the lifecycle paths, with bearer and cookie security', async () => {
    const res = await fetch(`${server.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'cookie']);
    for (const [path, method] of [
      ['/zones', 'post'],
      ['/physical-networks', 'post'],
      ['/providers', 'post'],
      ['/providers/{id}/state', 'post'],
      ['/controllers', 'post'],
      ['/offerings', 'post'],
      ['/vpcs', 'get'],
      ['/vpcs', 'post'],
      ['/vpcs/{id}', 'delete'],
      ['/tiers', 'post'],
      ['/tiers/{id}/implement', 'post'],
      ['/tiers/{tierId}/nics', 'post'],
      ['/nics/{id}', 'delete'],
      ['/jobs/{id}', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      expect(doc.paths[path]?.[method]?.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    }
  });

  it('drives a whole VPC lifecycle with plain HTTP and a token only', async () => {
    const api = restClient(server.url, adminToken);
    const zone = await api.ok<{ id: string }>('POST', '/zones', { name: 'rest-zone', state: 'Enabled' });
    const pn = await api.ok<{ id: string }>('POST', '/physical-networks', {
      zoneId: zone.id,
      name: 'rest-physnet',
      isolationMethods: ['VLAN'],
      vlanRanges: [{ start: 500, end: 520 }],
      trafficTypes: [{ type: 'Guest', labels: { KVM: 'cloudbr0' } }],
      state: 'Enabled',
    });
    const provider = await api.ok<{ id: string }>('POST', '/providers', {
      physicalNetworkId: pn.id,
      adapterId: 'simulator',
    });
    await api.ok('POST', '/controllers', {
      providerId: provider.id,
      name: 'rest-sim',
      endpoint: 'sim://rest-sim',
      credentials: { username: 'netplane', password: 'rest-sim-password' },
    });
    expect(await api.ok('POST', `/providers/${provider.id}/state`, { state: 'Enabled' })).toMatchObject({
      state: 'Enabled',
    });
    const services = { Dhcp: 'simulator', Connectivity: 'simulator' };
    const vpcOffering = await api.ok<{ id: string }>('POST', '/offerings', {
      name: 'rest-vpc',
      kind: 'vpc',
      serviceProviders: { ...services, SourceNat: 'simulator' },
    });
    const tierOffering = await api.ok<{ id: string }>('POST', '/offerings', {
      name: 'rest-tier',
      kind: 'network',
      serviceProviders: services,
    });
    expect((await api.ok<{ id: string }[]>('GET', '/offerings')).length).toBe(2);

    const vpc = await api.ok<{ id: string }>('POST', '/vpcs', {
      name: 'rest-shop',
      zoneId: zone.id,
      offeringId: vpcOffering.id,
      cidr: '10.20.0.0/16',
    });
    const tier = await api.ok<{ id: string }>('POST', '/tiers', {
      vpcId: vpc.id,
      name: 'web',
      offeringId: tierOffering.id,
      cidr: '10.20.1.0/24',
    });
    // A bodiless POST, as `curl -X POST` sends it.
    const impl = await api.ok<{ jobId: string }>('POST', `/tiers/${tier.id}/implement`);
    expect(await api.jobEnds(impl.jobId)).toBe('succeeded');

    const bulk = await api.ok<{ jobId: string; nics: { id: string }[] }>('POST', `/tiers/${tier.id}/nics`, {
      nics: [{ vmName: 'web-1' }, { vmName: 'web-2' }, { vmName: 'web-3' }],
    });
    expect(bulk.nics).toHaveLength(3);
    expect(await api.jobEnds(bulk.jobId)).toBe('succeeded');
    const page = await api.ok<{ total: number }>('GET', `/tiers/${tier.id}/nics?limit=2`);
    expect(page.total).toBe(3);

    const release = await api.ok<{ jobId: string }>('DELETE', `/nics/${bulk.nics[0]?.id}`);
    expect(await api.jobEnds(release.jobId)).toBe('succeeded');

    const listed = await api.ok<{ items: { id: string }[] }>('GET', '/vpcs?name=rest-shop');
    expect(listed.items.map((v) => v.id)).toEqual([vpc.id]);
    expect(await api.ok('GET', `/vpcs/${vpc.id}`)).toMatchObject({ id: vpc.id, name: 'rest-shop' });

    const destroy = await api.ok<{ jobId: string }>('DELETE', `/vpcs/${vpc.id}`);
    expect(await api.jobEnds(destroy.jobId)).toBe('succeeded');
    expect(await api.ok('GET', `/vpcs/${vpc.id}`)).toMatchObject({ state: 'Destroy' });
  });

  it('answers bad input 400, an unknown id 404, no credentials 401 and a viewer mutation 403, never 500', async () => {
    const api = restClient(server.url, adminToken);
    const bad = await api.call('POST', '/vpcs', { name: '', zoneId: 'not-a-uuid' });
    expectError(bad, 400, 'BAD_INPUT');
    expect(bad.body.details).toBeDefined();
    expectError(await api.call('GET', '/vpcs?limit=abc'), 400, 'BAD_INPUT');
    expectError(await api.call('GET', '/vpcs?conditionStatus=False'), 400, 'BAD_INPUT');
    expect((await api.call('GET', '/vpcs?conditionType=Ready&conditionStatus=False')).status).toBe(200);
    expectError(await api.call('GET', '/jobs/not-a-uuid'), 400, 'BAD_INPUT');
    expectError(await api.call('GET', `/vpcs/${crypto.randomUUID()}`), 404, 'NOT_FOUND');
    expectError(await api.call('GET', '/no-such-thing'), 404, 'NOT_FOUND');
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    const r = await fetch(`${server.url}/api/v1/zones`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: deep,
    });
    expect(r.status).toBe(400);
    const form = await fetch(`${server.url}/api/v1/zones`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(form.status).toBe(415);
    const broken = await fetch(`${server.url}/api/v1/zones`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(broken.status).toBe(400);

    const anonymous = restClient(server.url);
    expectError(await anonymous.call('GET', '/vpcs'), 401, 'UNAUTHENTICATED');
    expectError(await anonymous.call('POST', '/zones', { name: 'anon' }), 401, 'UNAUTHENTICATED');
    const viewer = restClient(server.url, viewerToken);
    expect((await viewer.call('GET', '/zones')).status).toBe(200);
    expectError(await viewer.call('POST', '/zones', { name: 'viewer-zone' }), 403, 'FORBIDDEN');
  });

  it('takes the console session too, with the same CSRF and Origin rules as /trpc, and the body size limit', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${server.url}/api/v1/zones`, {
        method: 'POST',
        headers: { cookie: session.cookie ?? '', 'content-type': 'application/json', ...headers },
        body,
      });
    const noCsrf = await post({}, JSON.stringify({ name: 'cookie-zone' }));
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ code: 'FORBIDDEN' });
    const csrf = { 'x-csrf-token': session.csrf ?? '' };
    expect((await post(csrf, JSON.stringify({ name: 'cookie-zone' }))).status).toBe(200);
    const crossSite = await post(
      { ...csrf, origin: 'http://elsewhere.example' },
      JSON.stringify({ name: 'x' }),
    );
    expect(crossSite.status).toBe(403);
    const big = await post(csrf, JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'BAD_INPUT', details: { limit: 'maxBodyBytes' } });
  });

  // Last: it blocks this client address's bearer requests for the rest of the run.
  it('throttles guessed tokens with 429 RATE_LIMITED and Retry-After, as on /trpc', async () => {
    const guess = restClient(server.url, `npt_${'a'.repeat(12)}_${'b'.repeat(43)}`);
    let last: Reply | undefined;
    for (let i = 0; i < 25 && last?.status !== 429; i++) last = await guess.call('GET', '/zones');
    expect(last?.status, last?.text).toBe(429);
    expect(last?.body).toMatchObject({ code: 'RATE_LIMITED' });
    const res = await fetch(`${server.url}/api/v1/zones`, { headers: { authorization: 'Bearer npt_x' } });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
