// API tokens over real HTTP against the bundled server, on both dialects: a token made through tRPC (cookie + CSRF)
// then used with plain fetch and only an Authorization header on a query and a mutation; the role ceiling at create
// and at use (a demoted user's token, a viewer token); wrong, malformed, revoked, expired, disabled and deleted
// tokens refused with typed 401s that never repeat the token; a bearer request ignores a cookie beside it; audit rows
// (create, one use row however many requests, revoke); last use in tokens.list; refused tokens throttled per ip (429
// with Retry-After, last: it blocks this ip); and no token in the server's log at trace level. A change made with a
// token is audited with the token's id.
import { connect, type DialectName } from '@netplane/db';
import { createTestDatabaseUrl, testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dataOf,
  type RunningServer,
  startServerProcess,
  TrpcClient,
  type TrpcResult,
} from './server-process';

const ADMIN_PASSWORD = 'api-tokens-admin-pw';
const tokens: string[] = [];

type Tok = { token: string; item: { id: string; prefix: string; role: string } };

/** A plain HTTP client with only a bearer token: no cookie jar, no CSRF header. */
function bearer(url: string, token: string) {
  const read = async (res: Response): Promise<TrpcResult> => {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the assertion says so
    }
    return { status: res.status, body, text, headers: res.headers };
  };
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
  return {
    query: async (path: string, input?: unknown) =>
      read(
        await fetch(
          `${url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          { headers: headers() },
        ),
      ),
    mutate: async (path: string, input?: unknown, extra: Record<string, string> = {}) =>
      read(
        await fetch(`${url}/trpc/${path}`, {
          method: 'POST',
          headers: headers({ 'content-type': 'application/json', ...extra }),
          body: JSON.stringify(input ?? {}),
        }),
      ),
  };
}

const reasonOf = (r: TrpcResult) =>
  (r.body as { error?: { data?: { details?: { reason?: string } } } }).error?.data?.details?.reason;

function expectRefused(r: TrpcResult, status: number, reason: string) {
  expect(r.status, r.text).toBe(status);
  expect(reasonOf(r)).toBe(reason);
  for (const t of tokens) expect(r.text).not.toContain(t);
}

describe.each(testDialects())('API tokens over HTTP on %s', (dialect: DialectName) => {
  let server: RunningServer;
  let admin: TrpcClient;
  let operator: TrpcClient;
  let databaseUrl = '';
  let dropDatabase = async () => {};
  let operatorId = '';

  const create = async (c: TrpcClient, name: string, role: string, expiresInDays = 30) => {
    const r = await c.mutate('tokens.create', { name, role, expiresInDays });
    expect(r.status, r.text).toBe(200);
    const t = dataOf<Tok>(r);
    tokens.push(t.token);
    return t;
  };

  beforeAll(async () => {
    const env: Record<string, string> = { NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'trace' };
    if (dialect === 'mysql') {
      const d = await createTestDatabaseUrl('mysql');
      databaseUrl = d.url;
      dropDatabase = d.drop;
      env.DATABASE_URL = d.url;
    }
    server = await startServerProcess(env);
    if (dialect === 'sqlite') databaseUrl = `sqlite:${server.dataDir}/data/netplane.db`;
    admin = new TrpcClient(server.url);
    expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    const op = await admin.mutate('users.create', {
      username: 'op',
      password: 'op-password-1',
      role: 'operator',
    });
    operatorId = dataOf<{ id: string }>(op).id;
    operator = new TrpcClient(server.url);
    expect((await operator.login('op', 'op-password-1')).status).toBe(200);
  });
  afterAll(async () => {
    const code = await server?.stop();
    await dropDatabase();
    expect(code).toBe(0);
  });

  it('a token made in tRPC drives a query and a mutation with only an Authorization header', async () => {
    const t = await create(admin, 'ci', 'admin');
    expect(t.token).toMatch(/^npt_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    expect(t.item.prefix).toBe(t.token.slice(0, 16));
    const c = bearer(server.url, t.token);
    const zone = await c.mutate('zones.create', { name: 'z-token' });
    expect(zone.status, zone.text).toBe(200);
    const list = await c.query('zones.list');
    expect(list.status).toBe(200);
    expect(list.text).toContain('z-token');
    const me = await c.query('auth.me');
    expect(dataOf<{ user: { username: string; role: string } }>(me).user).toMatchObject({
      username: 'admin',
      role: 'admin',
    });
    // The mutation is audited as the token's user, naming the token.
    const audit = dataOf<{ items: { actorName: string; actorTokenId: string | null }[] }>(
      await admin.query('audit.list', { action: 'zones.create' }),
    );
    expect(audit.items[0]).toMatchObject({ actorName: 'admin', actorTokenId: t.item.id });
  });

  it('keeps the role ceiling: at create, for a viewer token, and for a demoted user', async () => {
    expectRefused(
      await operator.mutate('tokens.create', { name: 'too-high', role: 'admin', expiresInDays: 1 }),
      403,
      'ROLE_ABOVE_OWN',
    );
    const far = await operator.mutate('tokens.create', {
      name: 'forever',
      role: 'viewer',
      expiresInDays: 366,
    });
    expect(far.status).toBe(400);
    const viewer = bearer(server.url, (await create(operator, 'read-only', 'viewer')).token);
    expect((await viewer.query('zones.list')).status).toBe(200);
    expect((await viewer.mutate('zones.create', { name: 'nope' })).status).toBe(403);
    const op = bearer(server.url, (await create(operator, 'ops', 'operator')).token);
    expect((await op.query('auth.me')).text).toContain('"role":"operator"');
    // A token cannot mint tokens.
    expectRefused(
      await op.mutate('tokens.create', { name: 'child', role: 'viewer', expiresInDays: 1 }),
      403,
      'TOKEN_CANNOT_CREATE_TOKEN',
    );
    await admin.mutate('users.updateRole', { id: operatorId, role: 'viewer' });
    expect((await op.query('auth.me')).text).toContain('"role":"viewer"');
    await admin.mutate('users.updateRole', { id: operatorId, role: 'operator' });
    expect((await op.query('auth.me')).text).toContain('"role":"operator"');
  });

  it('refuses wrong, malformed, revoked and expired tokens with typed 401s, and ignores a cookie beside them', async () => {
    const t = await create(admin, 'soon-gone', 'viewer');
    const wrongSecret = `${t.item.prefix}_${'A'.repeat(43)}`;
    expectRefused(await bearer(server.url, wrongSecret).query('zones.list'), 401, 'TOKEN_INVALID');
    expectRefused(await bearer(server.url, 'not-a-token').query('zones.list'), 401, 'TOKEN_MALFORMED');
    // A valid session cookie does not rescue a bad bearer token, nor does it need CSRF on a public procedure.
    const withCookie = await fetch(`${server.url}/trpc/zones.list`, {
      headers: { authorization: `Bearer ${wrongSecret}`, cookie: admin.cookie ?? '' },
    });
    expect(withCookie.status).toBe(401);
    expect((await bearer(server.url, t.token).query('auth.setupStatus')).status).toBe(200);
    const revoked = await admin.mutate('tokens.revoke', { id: t.item.id });
    expect(dataOf<{ status: string }>(revoked).status).toBe('revoked');
    expectRefused(await bearer(server.url, t.token).query('zones.list'), 401, 'TOKEN_REVOKED');
    expectRefused(await bearer(server.url, t.token).query('auth.setupStatus'), 401, 'TOKEN_REVOKED');

    const old = await create(admin, 'expiring', 'viewer', 1);
    const db = connect(databaseUrl);
    try {
      await db.db
        .updateTable('api_tokens')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', old.item.id)
        .execute();
    } finally {
      await db.close();
    }
    const expired = await bearer(server.url, old.token).query('zones.list');
    expectRefused(expired, 401, 'TOKEN_EXPIRED');
    expect(expired.text).toContain('expired at');
  });

  it('stops the tokens of a disabled or deleted user', async () => {
    await admin.mutate('users.create', { username: 'temp', password: 'temp-password-1', role: 'operator' });
    const temp = new TrpcClient(server.url);
    expect((await temp.login('temp', 'temp-password-1')).status).toBe(200);
    const t = await create(temp, 'temp-token', 'support');
    const c = bearer(server.url, t.token);
    expect((await c.query('zones.list')).status).toBe(200);
    const users = dataOf<{ id: string; username: string }[]>(await admin.query('users.list'));
    const id = users.find((u) => u.username === 'temp')?.id ?? '';
    await admin.mutate('users.setDisabled', { id, disabled: true });
    expectRefused(await c.query('zones.list'), 401, 'TOKEN_REVOKED');
    await admin.mutate('users.setDisabled', { id, disabled: false });
    expectRefused(await c.query('zones.list'), 401, 'TOKEN_REVOKED');
    expect((await temp.login('temp', 'temp-password-1')).status).toBe(200);
    const again = await create(temp, 'temp-token-2', 'support');
    await admin.mutate('users.delete', { id });
    expectRefused(await bearer(server.url, again.token).query('zones.list'), 401, 'TOKEN_INVALID');
  });

  it('audits create, revoke and one use per hour, and shows the last use', async () => {
    const t = await create(operator, 'audited', 'viewer');
    const c = bearer(server.url, t.token);
    for (let i = 0; i < 5; i++) expect((await c.query('zones.list')).status).toBe(200);
    await operator.mutate('tokens.revoke', { id: t.item.id });
    const audit = dataOf<{ items: { action: string; targetId: string; actorName: string }[] }>(
      await admin.query('audit.list', { targetType: 'apiToken', targetId: t.item.id }),
    );
    expect(audit.items.map((a) => a.action).sort()).toEqual(['tokens.create', 'tokens.revoke', 'tokens.use']);
    expect(new Set(audit.items.map((a) => a.actorName))).toEqual(new Set(['op']));
    const mine = dataOf<{ items: { id: string; lastUsedAt: number | null; lastUsedIp: string | null }[] }>(
      await operator.query('tokens.list'),
    );
    const row = mine.items.find((i) => i.id === t.item.id);
    expect(row?.lastUsedAt).toBeGreaterThan(0);
    expect(row?.lastUsedIp).toMatch(/127\.0\.0\.1/);
    // Admins may list everyone's; others may not.
    const all = await admin.query('tokens.list', { all: true });
    expect(dataOf<{ items: { username: string }[] }>(all).items.map((i) => i.username)).toContain('op');
    expect((await operator.query('tokens.list', { all: true })).status).toBe(403);
    // Nobody else can revoke op's token (it is "not found" to them).
    const other = await create(admin, 'admins', 'viewer');
    const opTokens = dataOf<{ items: { id: string }[] }>(await operator.query('tokens.list')).items;
    expect(opTokens.map((i) => i.id)).not.toContain(other.item.id);
    expect((await operator.mutate('tokens.revoke', { id: other.item.id })).status).toBe(404);
  });

  it('throttles refused tokens per ip (429 with Retry-After), then refuses even a good token from there', async () => {
    const good = await create(admin, 'good', 'viewer');
    let last: TrpcResult | undefined;
    for (let i = 0; i < 30; i++) {
      last = await bearer(server.url, `npt_${'x'.repeat(12)}_${'y'.repeat(43)}`).query('zones.list');
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(reasonOf(last as TrpcResult)).toBe('TOKEN_FAILURES');
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expectRefused(await bearer(server.url, good.token).query('zones.list'), 429, 'TOKEN_FAILURES');
    // The cookie path is not throttled by it.
    expect((await admin.query('zones.list')).status).toBe(200);
  });

  it('never writes a token to the server log', () => {
    const log = server.output();
    expect(log).toContain('API token refused');
    expect(tokens.length).toBeGreaterThan(5);
    for (const t of tokens) expect(log).not.toContain(t);
    for (const t of tokens) expect(log).not.toContain(t.slice(17));
  });
});
