// scripts/ovn-local.sh against the real server stack: the endpoint it prints is registered as an OVN controller
// over HTTP, "Test connection" answers with the NB schema version of the installed schema, and after `stop` the same
// test reports the controller unreachable. Run: npx vitest run --root scripts/bench/ovn
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort, isOvsdbServerAvailable, OVN_NB_SCHEMA } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTest } from './inventory';
import { registerOvnInventory } from './inventory';
import { type Stack, startStack } from './stack';

const run = promisify(execFile);
const script = join(import.meta.dirname, '..', '..', 'ovn-local.sh');
const available = await isOvsdbServerAvailable();

describe.skipIf(!available)('scripts/ovn-local.sh', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'np-ovn-local-'));
  const env = { ...process.env, OVN_LOCAL_DIR: dir };
  let port: number;
  let stack: Stack;
  let printed: string;
  const ovnLocal = async (...args: string[]) => (await run('bash', [script, ...args], { env })).stdout;

  beforeAll(async () => {
    port = await findFreePort();
    printed = await ovnLocal('--port', String(port));
    stack = await startStack('sqlite');
  });
  afterAll(async () => {
    await ovnLocal('stop').catch(() => '');
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints loopback endpoints and keeps its files in its own directory', () => {
    expect(printed).toContain(`tcp:127.0.0.1:${port}`);
    expect(printed).toContain(`unix:${join(dir, 'ovnnb_db.sock')}`);
    expect(readFileSync(join(dir, 'ovsdb-server.pid'), 'utf8').trim()).toMatch(/^\d+$/);
  });

  it('reports the running server again instead of starting a second one', async () => {
    const pid = readFileSync(join(dir, 'ovsdb-server.pid'), 'utf8').trim();
    expect(await ovnLocal('--port', String(port))).toContain(`(pid ${pid})`);
  });

  it('gives a controller whose Test connection answers with the NB schema version, then unreachable after stop', async () => {
    const schema = JSON.parse(readFileSync(OVN_NB_SCHEMA, 'utf8')) as { version: string };
    const inv = await registerOvnInventory(stack.api, {
      endpoint: `tcp:127.0.0.1:${port}`,
      tiers: 0,
      services: ['Connectivity'],
    });
    expect(inv.connection.ok).toBe(true);
    expect(inv.connection.version).toBe(`OVN_Northbound ${schema.version}`);

    expect(await ovnLocal('stop')).toContain('stopped');
    const after = await stack.api.mutate<ConnectionTest & { category: string | null }>(
      'controllers.testConnection',
      { id: inv.controllerId },
    );
    expect(after).toMatchObject({ ok: false, version: null, category: 'UNREACHABLE' });
    await expect(ovnLocal('status')).rejects.toThrow();
  });
});
