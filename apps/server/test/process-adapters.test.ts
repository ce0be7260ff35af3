// Out-of-process adapters with the built server (built once by globalSetup): an installed package that asks for the
// process runtime (a script speaking the wire protocol, no JS entry) is Fully Loaded and reports its process; one
// whose factory throws is Unable to load with the reason while the server starts; NETPLANE_ADAPTER_RUNTIME runs the
// built-in simulator out of process (dist/adapters/), and a bad value is refused at start with a typed line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeProcessPlugin } from './plugin-fixture';
import { runCli } from './run-cli';
import { dataOf, startServerProcess, TrpcClient } from './server-process';

const ADMIN_PASSWORD = 'process-admin-password';
const home = mkdtempSync(join(tmpdir(), 'netplane-process-adapters-'));
const dataDir = join(home, 'data');
const vendorDir = join(home, 'vendor');
const baseEnv = {
  NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD,
  NETPLANE_DATA_DIR: dataDir,
  DATABASE_URL: `sqlite:${join(dataDir, 'netplane.db')}`,
};
afterAll(() => rmSync(home, { recursive: true, force: true }));

type Listed = {
  id: string;
  status: string;
  reason: string | null;
  version: string | null;
  source: string;
  sdkRange: string | null;
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not met within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('out-of-process adapters (the built server)', () => {
  it('an installed process adapter is Fully Loaded, a throwing one Unable to load, the simulator runs as a process', async () => {
    const good = writeProcessPlugin(vendorDir, { id: 'acmeproc' });
    const bad = writeProcessPlugin(vendorDir, { id: 'brokenproc', mode: 'throw' });
    const server = await startServerProcess({
      ...baseEnv,
      NETPLANE_ADAPTERS: `${good},${bad}`,
      NETPLANE_ADAPTER_RUNTIME: 'simulator=process',
    });
    try {
      const c = new TrpcClient(server.url);
      expect((await c.login('admin', ADMIN_PASSWORD)).status).toBe(200);
      const list = dataOf<Listed[]>(await c.query('adapters.list'));
      const byId = (id: string) => list.find((a) => a.id === id);
      expect(byId('acmeproc')).toMatchObject({
        status: 'Fully Loaded',
        version: '3.0.0',
        sdkRange: '^1.0.0', // from its handshake: its package.json declares none
        source: `directory ${good} (process)`,
      });
      expect(byId('brokenproc')).toMatchObject({
        status: 'Unable to load',
        reason: 'initialize failed: its factory threw: no licence file',
      });
      expect(byId('simulator')).toMatchObject({ status: 'Fully Loaded', source: 'built-in (process)' });
      expect(byId('ovn')).toMatchObject({ status: 'Fully Loaded', source: 'built-in' });
      const pid = Number(
        /"msg":"Fully Loaded adapter simulator \S+ \(process (\d+)\)"/.exec(server.output())?.[1],
      );
      expect(pid).toBeGreaterThan(0);
      expect(alive(pid)).toBe(true);
      await server.stop();
      // The server's shutdown stopped its adapter processes.
      await until(() => !alive(pid), 'the simulator adapter process exits with the server');
      expect(server.output()).toContain(
        '"msg":"Unable to load adapter brokenproc 3.0.0: initialize failed: its factory threw: no licence file"',
      );
    } finally {
      await server.stop();
    }
  });

  it('netplane adapters list shows a process adapter with the SDK range of its handshake and its source', async () => {
    const good = writeProcessPlugin(vendorDir, { id: 'listproc' });
    const r = await runCli(['adapters', 'list'], { NETPLANE_DATA_DIR: dataDir, NETPLANE_ADAPTERS: good });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^listproc +3\.0\.0 +Fully Loaded +\^1\.0\.0 +process \(configured\) +directory .*listproc \(process\)$/m,
    );
  });

  it('a bad NETPLANE_ADAPTER_RUNTIME is refused at start with one line naming it', async () => {
    const r = await runCli(['adapters', 'list'], {
      NETPLANE_DATA_DIR: dataDir,
      NETPLANE_ADAPTER_RUNTIME: 'simulator=sideways',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'Invalid environment: NETPLANE_ADAPTER_RUNTIME: adapter simulator: runtime "sideways" is neither process nor in-process',
    );
  });
});
