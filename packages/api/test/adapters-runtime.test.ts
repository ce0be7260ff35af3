// adapters.list shows how each adapter runs, and adapters.reload asks a process adapter's runtime to reload. The
// registrations here carry runtime() and reload() as plain functions: the API's side of the seam, tested without a
// child process (apps/server's and the e2e tests run the real runtime).
import type { AdapterReloadResult, AdapterRuntimeInfo } from '@netplane/adapter-sdk';
import { testDialects } from '@netplane/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdapterRegistration } from '../src/deps';
import { makeTestDeps, type TestDeps } from './fixtures/deps';
import { testAdapterRegistrations, testSdnModule } from './fixtures/test-adapters';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const STARTED = '2026-12-04T10:00:00.000Z';
const NOW = Date.parse('2026-12-04T10:02:05.500Z');

/** A process adapter whose runtime is state in this test: reload swaps the module when `next` says it may. */
type Next = { version: string; services?: Record<string, Record<string, unknown>> } | { refuse: string };
function processAdapter(id: string, next: Next) {
  let module = { ...testSdnModule, manifest: { ...testSdnModule.manifest, id, version: '1.2.0' } };
  let pid = 4242;
  let gate: Promise<void> = Promise.resolve();
  const info = (): AdapterRuntimeInfo => ({
    kind: 'process',
    command: `node ${id}/index.js`,
    state: 'running',
    pid,
    startedAt: STARTED,
    restarts: 2,
    lastExit: {
      at: '2026-12-04T09:59:59.000Z',
      code: null,
      signal: 'SIGKILL',
      reason: 'was killed by SIGKILL',
    },
    rssBytes: 52_428_800,
    protocolVersion: 1,
  });
  const reload = async (): Promise<AdapterReloadResult> => {
    await gate;
    if ('refuse' in next) return { ok: false, reason: next.refuse };
    const previousVersion = module.manifest.version;
    const services = (next.services ?? module.manifest.services) as typeof module.manifest.services;
    module = { ...module, manifest: { ...module.manifest, version: next.version, services } };
    pid += 1;
    return { ok: true, previousVersion, version: next.version };
  };
  const reg: AdapterRegistration = {
    id,
    status: 'Fully Loaded',
    get module() {
      return module;
    },
    source: `directory /srv/adapters/${id}`,
    sdkRange: '^1.0.0',
    runtime: info,
    reload,
  };
  return { reg, hold: (p: Promise<void>) => (gate = p) };
}

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError)
      return { code: e.code, message: e.message, details: (e.cause as { details?: unknown })?.details };
  }
  throw new Error('expected an error');
}

describe.each(testDialects())('adapters runtime and reload on %s', (dialect) => {
  let t: TestDeps;
  const acme = processAdapter('acme', { version: '1.3.0' });
  // Its next version narrows Lb to one algorithm and drops Gateway: the matrix must show that, not what was at start.
  const lbAlgorithms = ['roundrobin'];
  const acmecap = processAdapter('acmecap', {
    version: '2.0.0',
    services: Object.fromEntries(
      Object.entries({
        ...testSdnModule.manifest.services,
        Lb: { ...testSdnModule.manifest.services.Lb, SupportedLbAlgorithms: lbAlgorithms },
      }).filter(([k]) => k !== 'Gateway'),
    ),
  });
  // The runtime's own reason may end with the version that keeps running; the answer carries that as `version`.
  const broken = processAdapter('brokenup', {
    refuse: 'the new version did not start: its factory threw: boom; version 1.2.0 keeps running',
  });
  beforeAll(async () => {
    t = await makeTestDeps(dialect, {
      adapters: testAdapterRegistrations([acme.reg, broken.reg, acmecap.reg]),
      now: () => NOW,
    });
  });
  afterAll(async () => t.cleanup());

  it('lists in-process and process runtimes, with uptime computed by the server, and none for a broken adapter', async () => {
    const list = await t.callerAs('viewer').adapters.list();
    const by = (id: string) => list.find((a) => a.id === id);
    expect(by('test-sdn')?.runtime).toEqual({ kind: 'in-process' });
    expect(by('broken-vendor')?.runtime).toBeNull();
    expect(by('acme')).toMatchObject({
      status: 'Fully Loaded',
      version: '1.2.0',
      source: 'directory /srv/adapters/acme',
      sdkRange: '^1.0.0',
      runtime: {
        kind: 'process',
        pid: 4242,
        state: 'running',
        startedAt: STARTED,
        uptimeSeconds: 125,
        restarts: 2,
        lastExit: { code: null, signal: 'SIGKILL', reason: 'was killed by SIGKILL' },
        rssBytes: 52_428_800,
        protocolVersion: 1,
      },
    });
  });

  it('reloads a process adapter, audits before/after versions, and the list shows the new version', async () => {
    const r = await t.callerAs('admin').adapters.reload({ id: 'acme' });
    expect(r).toEqual({ ok: true, id: 'acme', previousVersion: '1.2.0', version: '1.3.0' });
    const listed = (await t.callerAs('viewer').adapters.list()).find((a) => a.id === 'acme');
    expect(listed?.version).toBe('1.3.0');
    expect(listed?.runtime).toMatchObject({ pid: 4243 });
    const audit = await t.callerAs('admin').audit.list({ action: 'adapters.reload', targetId: 'acme' });
    expect(audit.items[0]).toMatchObject({
      actorName: 'test-admin',
      targetType: 'adapter',
      before: { version: '1.2.0' },
      after: { version: '1.3.0', ok: true },
    });
  });

  it('after a reload the capability matrix and adapters.list read the new version’s manifest', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: 'zone-reload-caps' });
    const pn = await admin.physicalNetworks.create({
      zoneId: zone.id,
      name: 'pn-reload-caps',
      isolationMethods: ['VLAN'],
      tags: [],
      vlanRanges: [],
    });
    // A provider without a controller stays Disabled: its cells say why, the adapter's not offering a service first.
    const provider = await admin.providers.create({ physicalNetworkId: pn.id, adapterId: 'acmecap' });
    const cell = async (service: string) =>
      (await admin.capabilities.matrix({ physicalNetworkId: pn.id })).rows
        .find((r) => r.providerId === provider.id)
        ?.cells.find((c) => c.service === service);
    expect(await cell('Gateway')).toMatchObject({ offered: false, reason: 'PROVIDER_DISABLED' });
    expect(await admin.adapters.reload({ id: 'acmecap' })).toMatchObject({ ok: true, version: '2.0.0' });
    expect(await cell('Gateway')).toMatchObject({
      offered: false,
      reason: 'NOT_OFFERED',
      detail: 'acmecap does not offer Gateway',
    });
    const listed = (await admin.adapters.list()).find((a) => a.id === 'acmecap');
    expect(listed?.version).toBe('2.0.0');
    expect(listed?.manifest?.services).not.toHaveProperty('Gateway');
    expect(listed?.manifest?.services.Lb).toMatchObject({ SupportedLbAlgorithms: lbAlgorithms });
  });

  it('answers a refused reload with its reason and the version that keeps running, audited too', async () => {
    const r = await t.callerAs('admin').adapters.reload({ id: 'brokenup' });
    expect(r).toEqual({
      ok: false,
      id: 'brokenup',
      reason: 'the new version did not start: its factory threw: boom',
      version: '1.2.0',
    });
    const audit = await t.callerAs('admin').audit.list({ action: 'adapters.reload', targetId: 'brokenup' });
    expect(audit.items[0]).toMatchObject({
      before: { version: '1.2.0' },
      after: { version: '1.2.0', ok: false, reason: r.ok ? '' : r.reason },
    });
  });

  it('refuses unknown, in-process and unloadable adapters with typed errors', async () => {
    const admin = t.callerAs('admin');
    expect(await errorOf(admin.adapters.reload({ id: 'nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/^No adapter with id nope is registered/),
    });
    expect(await errorOf(admin.adapters.reload({ id: 'test-sdn' }))).toEqual({
      code: 'CONFLICT',
      message: 'Adapter test-sdn runs in process and cannot be reloaded without a restart',
      details: { adapterId: 'test-sdn', reason: 'IN_PROCESS' },
    });
    expect(await errorOf(admin.adapters.reload({ id: 'broken-vendor' }))).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'UNABLE_TO_LOAD' },
    });
    expect(await errorOf(admin.adapters.reload({ id: '' }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await errorOf(t.callerAs('operator').adapters.reload({ id: 'acme' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('refuses a second reload of the same adapter while one runs on this node', async () => {
    let release = () => {};
    acme.hold(new Promise<void>((r) => (release = r)));
    const first = t.callerAs('admin').adapters.reload({ id: 'acme' });
    // The first reload is parked on its gate; wait until it holds the adapter (a condition, not a delay).
    await vi.waitFor(async () =>
      expect(await errorOf(t.callerAs('admin').adapters.reload({ id: 'acme' }))).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'RELOAD_RUNNING' },
      }),
    );
    release();
    expect(await first).toMatchObject({ ok: true, previousVersion: '1.3.0', version: '1.3.0' });
  });
});
