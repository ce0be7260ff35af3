// `netplane adapters reload <id>` and `adapters list` against a real running server over HTTP with an API token:
// the built CLI (dist/main.js) as an operator runs it. Without the out-of-process runtime every built-in runs in
// process, so a reload is refused with the typed 409; unknown ids, a missing token and an unreachable server each
// say so in one line and exit 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';
import { dataOf, type RunningServer, startServerProcess, TrpcClient } from './server-process';

const ADMIN_PASSWORD = 'adapters-cli-admin-pw';

describe('netplane adapters reload / list against a running server', () => {
  let server: RunningServer;
  let adminToken = '';
  let viewerToken = '';
  beforeAll(async () => {
    server = await startServerProcess({ NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const c = new TrpcClient(server.url);
    expect((await c.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    const make = async (role: string) =>
      dataOf<{ token: string }>(
        await c.mutate('tokens.create', { name: `cli-${role}`, role, expiresInDays: 1 }),
      ).token;
    adminToken = await make('admin');
    viewerToken = await make('viewer');
  });
  afterAll(async () => server?.stop());

  const cli = (args: string[], token?: string, extra: Record<string, string> = {}) =>
    runCli(args, {
      NETPLANE_DATA_DIR: server.dataDir,
      NETPLANE_URL: server.url,
      ...(token ? { NETPLANE_TOKEN: token } : {}),
      ...extra,
    });

  it('list asks the server with a token and shows each adapter’s runtime', async () => {
    const r = await cli(['adapters', 'list'], adminToken);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ID +VERSION +STATUS +SDK +RUNTIME +SOURCE$/m);
    expect(r.stdout).toMatch(/^simulator +\S+ +Fully Loaded +- +in-process +built-in$/m);
    expect(r.stdout).toContain(`Runtime from the server at ${server.url}\n`);
    const json = JSON.parse((await cli(['adapters', 'list', '--json'], viewerToken)).stdout) as {
      id: string;
      runtime: unknown;
    }[];
    expect(json.find((a) => a.id === 'simulator')?.runtime).toEqual({ kind: 'in-process' });
  });

  it('list without a token, or with the server down, shows the runtime as configured and says so', async () => {
    const local = await cli(['adapters', 'list'], undefined, {
      NETPLANE_ADAPTER_RUNTIME: 'simulator=process',
    });
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/^simulator +\S+ +Fully Loaded +- +process \(configured\) +built-in$/m);
    expect(local.stdout).toMatch(/^ovn +\S+ +Fully Loaded +- +in-process +built-in$/m);
    expect(local.stdout).toContain('Runtime as configured (no server asked');
    const down = await cli(['adapters', 'list', '--url', 'http://127.0.0.1:9'], adminToken);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(
      /Runtime as configured \(the server did not answer: cannot reach the server at http:\/\/127\.0\.0\.1:9/,
    );
    expect(down.stdout).not.toContain(adminToken);
  });

  it('reload of an in-process adapter is refused with the typed reason, exit 1', async () => {
    const r = await cli(['adapters', 'reload', 'simulator'], adminToken);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Reload of simulator failed: Adapter simulator runs in process and cannot be reloaded without a restart (INVALID_STATE)\n',
    );
  });

  it('reload of an unknown adapter, without a token, as a viewer, or with no server: one line each, exit 1', async () => {
    const unknown = await cli(['adapters', 'reload', 'acme'], adminToken);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^Reload of acme failed: No adapter with id acme is registered .*\(NOT_FOUND\)\n$/,
    );
    const noToken = await cli(['adapters', 'reload', 'simulator']);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/^Reload of simulator failed: NETPLANE_TOKEN is not set/);
    const viewer = await cli(['adapters', 'reload', 'simulator'], viewerToken);
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toMatch(/\(FORBIDDEN\)\n$/);
    const down = await cli(['adapters', 'reload', 'simulator', '--url', 'http://127.0.0.1:9'], adminToken);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^Reload of simulator failed: cannot reach the server at http:\/\/127\.0\.0\.1:9 /,
    );
    for (const r of [unknown, viewer, down]) expect(r.stdout + r.stderr).not.toContain('npt_');
    const usage = await cli(['adapters', 'reload']);
    expect(usage.code).toBe(2);
  });
});
