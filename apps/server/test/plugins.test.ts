// Installed adapters with the built server (built once by globalSetup, never rebuilt here): an adapter package in a
// temporary directory outside the repository is Fully Loaded after a restart, through NETPLANE_ADAPTERS and through
// the default <data dir>/adapters/; one built for another SDK is refused with one line; broken ones are Unable to
// load with the reason while the server starts and serves; its JSON Schema manifests validate controllers.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADAPTER_SDK_VERSION } from '@netplane/adapter-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { writePlugin } from './plugin-fixture';
import { runCli } from './run-cli';
import { dataOf, errorOf, startServerProcess, TrpcClient } from './server-process';

const ADMIN_PASSWORD = 'plugins-admin-password';
type Listed = {
  id: string;
  status: string;
  reason: string | null;
  version: string | null;
  source: string;
  sdkRange: string | null;
};

const home = mkdtempSync(join(tmpdir(), 'netplane-plugins-'));
const dataDir = join(home, 'data');
const vendorDir = join(home, 'vendor');
const baseEnv = {
  NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD,
  NETPLANE_DATA_DIR: dataDir,
  DATABASE_URL: `sqlite:${join(dataDir, 'netplane.db')}`,
};
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function listAdapters(env: Record<string, string>) {
  const server = await startServerProcess({ ...baseEnv, ...env });
  const c = new TrpcClient(server.url);
  expect((await c.login('admin', ADMIN_PASSWORD)).status).toBe(200);
  const list = dataOf<Listed[]>(await c.query('adapters.list'));
  return { server, c, list, byId: (id: string) => list.find((a) => a.id === id) };
}

describe('installed adapters (the built server, no rebuild)', () => {
  it('loads only the built-ins before anything is installed', async () => {
    const { server, list } = await listAdapters({});
    try {
      expect(list.map((a) => [a.id, a.status, a.source])).toEqual([
        ['simulator', 'Fully Loaded', 'built-in'],
        ['ovn', 'Fully Loaded', 'built-in'],
        // Out of process by default (built-in-adapters.ts).
        ['virtual-router', 'Fully Loaded', 'built-in (process)'],
      ]);
    } finally {
      await server.stop();
    }
  });

  it('after a restart with NETPLANE_ADAPTERS: Fully Loaded, an incompatible SDK refused in one line, broken ones said why', async () => {
    const acme = writePlugin(vendorDir, { id: 'acme' });
    const future = writePlugin(vendorDir, { id: 'future', sdk: '^2.0' });
    const thrower = writePlugin(vendorDir, {
      id: 'thrower',
      body: "export default () => { throw new Error('no licence file'); };",
    });
    const syntax = writePlugin(vendorDir, { id: 'syntax', body: 'export default {{' });
    const { server, c, byId } = await listAdapters({
      NETPLANE_ADAPTERS: [acme, future, thrower, syntax, 'not-installed'].join(','),
    });
    try {
      expect(byId('acme')).toMatchObject({
        status: 'Fully Loaded',
        version: '1.2.0',
        sdkRange: '^1.0.0',
        source: `directory ${acme}`,
      });
      const refusal = `built for adapter-sdk ^2.0, this server implements ${ADAPTER_SDK_VERSION}`;
      expect(byId('future')).toMatchObject({
        status: 'Unable to load',
        version: '1.2.0',
        sdkRange: '^2.0',
        reason: refusal,
      });
      expect(server.output()).toContain(`"msg":"Unable to load adapter future 1.2.0: ${refusal}"`);
      expect(byId('thrower')).toMatchObject({
        status: 'Unable to load',
        reason: 'its factory threw: no licence file',
      });
      expect(byId('syntax')?.reason).toMatch(/^cannot import .*syntax\/index\.js: .*Unexpected token/);
      expect(byId('not-installed')?.reason).toContain(`is not installed in ${join(dataDir, 'adapters')}`);
      expect(byId('simulator')?.status).toBe('Fully Loaded');

      // Its manifest crossed as JSON Schema: the console's fields, and the same typed 400s as a built-in's.
      const all = dataOf<
        { id: string; manifest: { credentialFields: string[]; configFields: unknown[] } | null }[]
      >(await c.query('adapters.list'));
      expect(all.find((a) => a.id === 'acme')?.manifest).toMatchObject({
        credentialFields: ['token'],
        configFields: [
          { name: 'site', optional: true },
          { name: 'verifyTls', optional: true },
        ],
      });
      const zone = dataOf<{ id: string }>(await c.mutate('zones.create', { name: 'plugin-zone' }));
      const pn = dataOf<{ id: string }>(
        await c.mutate('physicalNetworks.create', {
          zoneId: zone.id,
          name: 'plugin-pn',
          isolationMethods: ['VLAN'],
          tags: [],
          vlanRanges: [],
        }),
      );
      const provider = dataOf<{ id: string }>(
        await c.mutate('providers.create', { physicalNetworkId: pn.id, adapterId: 'acme' }),
      );
      const base = { providerId: provider.id, name: 'fabric-1', endpoint: 'https://fabric.acme.example' };
      const noToken = await c.mutate('controllers.create', { ...base, credentials: {} });
      expect(noToken.status).toBe(400);
      expect(errorOf(noToken).message).toBe('Credentials do not match what acme needs: token: is required');
      const badConfig = await c.mutate('controllers.create', {
        ...base,
        config: { site: 'x'.repeat(17), nope: 1 },
        credentials: { token: 't0ken-secret' },
      });
      expect(badConfig.status).toBe(400);
      expect(errorOf(badConfig).message).toMatch(
        /^Config does not match what acme needs: .*site: must NOT have more than 16 characters/,
      );
      expect(errorOf(badConfig).message).toContain('nope: is not a known field');
      const created = await c.mutate('controllers.create', {
        ...base,
        config: { site: 'par1' },
        credentials: { token: 't0ken-secret' },
      });
      expect(created.status).toBe(200);
      expect(dataOf<{ config: unknown }>(created).config).toEqual({ site: 'par1', verifyTls: true });
      expect(created.text).not.toContain('t0ken-secret');
    } finally {
      await server.stop();
    }
  });

  it('after a restart without NETPLANE_ADAPTERS: every package of <data dir>/adapters/', async () => {
    mkdirSync(join(dataDir, 'adapters'), { recursive: true });
    cpSync(join(vendorDir, 'acme'), join(dataDir, 'adapters', 'acme'), { recursive: true });
    const { server, byId, list } = await listAdapters({});
    try {
      expect(list).toHaveLength(4);
      expect(byId('acme')).toMatchObject({
        status: 'Fully Loaded',
        source: `directory ${join(dataDir, 'adapters', 'acme')}`,
      });
    } finally {
      await server.stop();
    }
  });

  it('netplane adapters list shows each one with its source and the refusal line, exit 1 when one cannot load', async () => {
    const env = {
      NETPLANE_DATA_DIR: dataDir,
      NETPLANE_ADAPTERS: `${join(vendorDir, 'acme')},${join(vendorDir, 'future')}`,
    };
    const r = await runCli(['adapters', 'list'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^acme +1\.2\.0 +Fully Loaded +\^1\.0\.0 +in-process +directory .*vendor\/acme$/m,
    );
    expect(r.stdout).toMatch(/^simulator +\S+ +Fully Loaded +- +in-process +built-in$/m);
    expect(r.stdout).toMatch(
      /^virtual-router +\S+ +Fully Loaded +- +process \(configured\) +built-in \(process\)$/m,
    );
    expect(r.stdout).toContain(
      `Unable to load adapter future 1.2.0: built for adapter-sdk ^2.0, this server implements ${ADAPTER_SDK_VERSION}\n`,
    );
    const json = await runCli(['adapters', 'list', '--json'], {
      ...env,
      NETPLANE_ADAPTERS: join(vendorDir, 'acme'),
    });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as Listed[]).map((a) => a.id)).toEqual([
      'simulator',
      'ovn',
      'virtual-router',
      'acme',
    ]);
  });
});
