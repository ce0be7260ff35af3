// `netplane adapters reload <id>` and `adapters list` against a real running server over HTTP with an API token:
// the built CLI (dist/main.js) as an operator runs it. In process, a reload is refused with the typed 409; unknown
// ids, a missing token and an unreachable server each say so in one line and exit 1. Out of process (an installed
// process adapter, and the simulator with NETPLANE_ADAPTER_RUNTIME), list shows the live process and a reload of a
// new version installed in place answers `Reloaded acmeproc 3.0.0 → 3.1.0`; a broken new version is refused and the
// old one keeps serving.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProcessPlugin } from './plugin-fixture';
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
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout).toMatch(
      /^simulator +\S+ +Fully Loaded +- +process \(configured\) +built-in \(process\)$/m,
    );
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

  // Five CLI processes in a row: at load ~35 each start took over 10 s, so a deadline for five, not for one.
  it('reload of an unknown adapter, without a token, as a viewer, or with no server: one line each, exit 1', {
    timeout: 300_000,
  }, async () => {
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

describe('netplane adapters reload of out-of-process adapters', () => {
  let server: RunningServer;
  let token = '';
  const vendor = mkdtempSync(join(tmpdir(), 'netplane-reload-vendor-'));
  const acme = writeProcessPlugin(vendor, { id: 'acmeproc' });
  const script = join(acme, 'adapter.mjs');
  beforeAll(async () => {
    server = await startServerProcess({
      NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      NETPLANE_ADAPTERS: acme,
      NETPLANE_ADAPTER_RUNTIME: 'simulator=process',
    });
    const c = new TrpcClient(server.url);
    expect((await c.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    token = dataOf<{ token: string }>(
      await c.mutate('tokens.create', { name: 'cli-reload', role: 'admin', expiresInDays: 1 }),
    ).token;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(vendor, { recursive: true, force: true });
  });
  const cli = (args: string[]) =>
    runCli(args, { NETPLANE_DATA_DIR: server.dataDir, NETPLANE_URL: server.url, NETPLANE_TOKEN: token });

  it('list shows the live processes; a new version installed in place is reloaded; a broken one is refused', async () => {
    const listed = await cli(['adapters', 'list']);
    expect(listed.code, listed.stdout).toBe(0);
    expect(listed.stdout).toMatch(
      /^simulator +\S+ +Fully Loaded +- +process pid \d+ running, up \S+( \S+)?, 0 restarts, [\d.]+ [KMG]iB +built-in \(process\)$/m,
    );
    expect(listed.stdout).toMatch(/^acmeproc +3\.0\.0 +Fully Loaded +\^1\.0\.0 +process pid \d+ running, /m);

    const sim = await cli(['adapters', 'reload', 'simulator']);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toMatch(/^Reloaded simulator (\S+) → \1\n$/);

    // The vendor's next release, installed over the old one: the new process reads the new script. It also offers
    // Dns and declares another SDK range in its handshake: the list must show those, not what was read at start.
    writeFileSync(
      script,
      readFileSync(script, 'utf8')
        .replace('"version":"3.0.0"', '"version":"3.1.0"')
        .replace('"services":{"Dhcp":{},', '"services":{"Dns":{},"Dhcp":{},')
        .replace("sdkRange: '^1.0.0'", "sdkRange: '>=1.0.0 <2'"),
    );
    const up = await cli(['adapters', 'reload', 'acmeproc']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toBe('Reloaded acmeproc 3.0.0 → 3.1.0\n');

    // A release that cannot start: refused with the reason, 3.1.0 keeps running.
    writeFileSync(
      script,
      readFileSync(script, 'utf8').replace('const mode = process.argv[2];', "const mode = 'throw';"),
    );
    const broken = await cli(['adapters', 'reload', 'acmeproc']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /^Reload of acmeproc refused: .*its factory threw: no licence file.*; 3\.1\.0 keeps running\n$/,
    );
    const after = JSON.parse((await cli(['adapters', 'list', '--json'])).stdout) as {
      id: string;
      version: string;
      runtime: { state: string };
    }[];
    expect(after.find((a) => a.id === 'acmeproc')).toMatchObject({
      version: '3.1.0',
      sdkRange: '>=1.0.0 <2',
      runtime: { state: 'running' },
    });
    // The server's own view (adapters.list over HTTP) has the new version's services.
    const c = new TrpcClient(server.url);
    expect((await c.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    type Listed = {
      id: string;
      version: string;
      sdkRange: string | null;
      manifest: { services: Record<string, unknown> } | null;
    };
    const served = dataOf<Listed[]>(await c.query('adapters.list')).find((a) => a.id === 'acmeproc');
    expect(served).toMatchObject({ version: '3.1.0', sdkRange: '>=1.0.0 <2' });
    expect(Object.keys(served?.manifest?.services ?? {}).sort()).toEqual(['Connectivity', 'Dhcp', 'Dns']);
  });
});
