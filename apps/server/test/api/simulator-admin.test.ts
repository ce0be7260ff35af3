// simulator.* (the simulator adapter's admin procedures, mounted by the server's router) against a real hub and a
// real standalone simulator, on both database dialects.
import { randomUUID } from 'node:crypto';
import { SimulatorHub, type SimulatorServer, startSimulatorServer } from '@netplane/adapter-simulator';
import { auditRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from './fixtures';

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'OK',
    (e: { code?: string }) => e.code ?? 'no code',
  );
}

describe.each(testDialects())('simulator.* on %s', (dialect) => {
  let t: TestDeps;
  let hub: SimulatorHub;
  const controllerId = randomUUID();
  beforeAll(async () => {
    hub = new SimulatorHub('test');
    hub.controller(controllerId);
    t = await makeTestDeps(dialect, { hub });
  });
  afterAll(async () => t.cleanup());

  it('lets an operator script a fault that the controller then answers with, and reports it in getSummary', async () => {
    const fault = await t.callerAs('operator').simulator.injectFault({
      controllerId,
      fault: {
        kind: 'vendorError',
        code: 'E42',
        message: 'switch busy',
        operation: 'implement',
        resource: 'vpc',
        count: 2,
      },
    });
    expect(fault).toMatchObject({
      kind: 'vendorError',
      resource: 'vpc',
      remaining: 2,
      fired: 0,
      code: 'E42',
    });
    const state = await t.callerAs('viewer').simulator.getSummary({ controllerId });
    expect(state.mode).toBe('hub');
    expect(state.faults).toEqual([fault]);
    await expect(
      hub.controller(controllerId).execute({ op: 'healthCheck' }, AbortSignal.timeout(1000)),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      hub
        .controller(controllerId)
        .execute(
          { op: 'implementVpc', vpc: { vpcId: 'v', name: 'v', cidr: '10.0.0.0/16' } },
          AbortSignal.timeout(1000),
        ),
    ).rejects.toMatchObject({ category: 'VENDOR_ERROR', vendorCode: 'E42' });
    const after = await t.callerAs('support').simulator.getSummary({ controllerId });
    expect(after.faults[0]).toMatchObject({ remaining: 1, fired: 1 });
    expect(after.stats.calls).toMatchObject({ health: 1, implement: 1 });
    expect(after.stats.errors).toEqual({ VENDOR_ERROR: 1 });
    expect(await t.callerAs('admin').simulator.clearFaults({ controllerId })).toEqual({ cleared: 1 });
    expect((await t.callerAs('viewer').simulator.getSummary({ controllerId })).faults).toEqual([]);
  });

  it('merges a profile change, resets stats, and audits every change with before and after', async () => {
    const profile = await t.callerAs('operator').simulator.setProfile({
      controllerId,
      profile: { latencyMs: 20, rateLimitPerSecond: 200, maxConcurrent: 16 },
    });
    expect(profile).toMatchObject({ latencyMs: 20, rateLimitPerSecond: 200, maxConcurrent: 16, jitterMs: 0 });
    expect(await t.callerAs('operator').simulator.resetStats({ controllerId })).toEqual({ ok: true });
    expect((await t.callerAs('viewer').simulator.getSummary({ controllerId })).stats.totalCalls).toBe(0);
    const { items: audit } = await auditRepo.listAudit(t.db.db, { limit: 20, targetId: controllerId });
    expect(audit.map((a) => a.action)).toEqual([
      'simulator.resetStats',
      'simulator.setProfile',
      'simulator.clearFaults',
      'simulator.injectFault',
    ]);
    expect(audit[1]).toMatchObject({ before: { latencyMs: 0 }, after: { latencyMs: 20, maxConcurrent: 16 } });
  });

  it('keeps every field of a fault in its output, such as afterCommit', async () => {
    const fault = await t.callerAs('admin').simulator.injectFault({
      controllerId,
      fault: { kind: 'timeout', operation: 'prepare', afterCommit: true, count: 1 },
    });
    expect(fault).toMatchObject({ kind: 'timeout', operation: 'prepare', afterCommit: true, remaining: 1 });
    await t.callerAs('admin').simulator.clearFaults({ controllerId });
  });

  it('accepts a scripted 429 (rateLimited) with its Retry-After and lists it among the active faults', async () => {
    const fault = await t.callerAs('operator').simulator.injectFault({
      controllerId,
      fault: { kind: 'rateLimited', operation: 'implement', resource: 'network', retryAfterMs: 2_000 },
    });
    expect(fault).toMatchObject({ kind: 'rateLimited', retryAfterMs: 2_000, remaining: null });
    const state = await t.callerAs('viewer').simulator.getSummary({ controllerId });
    expect(state.faults).toEqual([expect.objectContaining({ id: fault.id, kind: 'rateLimited' })]);
    await t.callerAs('admin').simulator.clearFaults({ controllerId });
  });

  it('lists every fault kind with the diagnosis it provokes', async () => {
    const catalog = await t.callerAs('viewer').simulator.faultCatalog();
    expect(catalog.map((c) => c.kind)).toEqual([
      'timeout',
      'connectionReset',
      'authFailure',
      'foreignOwner',
      'capacityExhausted',
      'vendorError',
      'slowness',
      'rateLimited',
      'unrealized',
    ]);
    expect(catalog.find((c) => c.kind === 'foreignOwner')?.diagnosis).toBe('RESOURCE_CONFLICT');
    expect(catalog.find((c) => c.kind === 'rateLimited')?.diagnosis).toBe('RATE_LIMITED');
    expect(catalog.find((c) => c.kind === 'unrealized')?.diagnosis).toBe('NOT_REALIZED');
  });

  it('injects an unrealized fault with its reason, and refuses a reason it does not model', async () => {
    const admin = t.callerAs('admin');
    const fault = await admin.simulator.injectFault({
      controllerId,
      fault: { kind: 'unrealized', reason: 'PortNotBound', resource: 'nic' },
    });
    expect(fault).toMatchObject({ kind: 'unrealized', reason: 'PortNotBound', resource: 'nic' });
    expect(
      await codeOf(
        admin.simulator.injectFault({
          controllerId,
          fault: { kind: 'unrealized', reason: 'Bogus' as never },
        }),
      ),
    ).toBe('BAD_REQUEST');
    await admin.simulator.clearFaults({ controllerId });
  });

  it('lets every role read but only admin and operator change', async () => {
    for (const role of ['support', 'viewer'] as const) {
      expect(await codeOf(t.callerAs(role).simulator.clearFaults({ controllerId }))).toBe('FORBIDDEN');
      expect(
        await codeOf(
          t.callerAs(role).simulator.injectFault({ controllerId, fault: { kind: 'authFailure' } }),
        ),
      ).toBe('FORBIDDEN');
      expect(await codeOf(t.callerAs(role).simulator.getSummary({ controllerId }))).toBe('OK');
    }
    expect(await codeOf(t.anonymousCaller().simulator.getSummary({ controllerId }))).toBe('UNAUTHORIZED');
  });

  it('answers NOT_FOUND for an unknown controller and BAD_REQUEST for a malformed fault', async () => {
    expect(await codeOf(t.callerAs('viewer').simulator.getSummary({ controllerId: randomUUID() }))).toBe(
      'NOT_FOUND',
    );
    expect(
      await codeOf(
        t.callerAs('admin').simulator.injectFault({ controllerId: randomUUID(), fault: { kind: 'timeout' } }),
      ),
    ).toBe('NOT_FOUND');
    const bad = { controllerId, fault: { kind: 'slowness', delayMs: -5 } } as never;
    expect(await codeOf(t.callerAs('admin').simulator.injectFault(bad))).toBe('BAD_REQUEST');
    expect(hub.controller(controllerId).faults.list()).toEqual([]);
  });

  it('pages switches and ports in name order with the total, and ports of one switch only', async () => {
    const c = hub.controller(controllerId);
    const ctx = AbortSignal.timeout(5000);
    await c.execute({ op: 'implementVpc', vpc: { vpcId: 'pv', name: 'pv', cidr: '10.9.0.0/16' } }, ctx);
    for (const net of ['n1', 'n2']) {
      await c.execute(
        {
          op: 'implementNetwork',
          network: {
            vpcId: 'pv',
            networkId: net,
            name: net,
            cidr: net === 'n1' ? '10.9.1.0/24' : '10.9.2.0/24',
            gateway: net === 'n1' ? '10.9.1.1' : '10.9.2.1',
            isolation: { method: 'VLAN', segmentId: net === 'n1' ? 101 : 102 },
            services: ['Connectivity'],
          },
        },
        ctx,
      );
    }
    for (let i = 0; i < 5; i++) {
      await c.execute(
        {
          op: 'prepareNic',
          nic: {
            vpcId: 'pv',
            networkId: i < 3 ? 'n1' : 'n2',
            nicId: `nic-${i}`,
            mac: `02:00:00:00:00:0${i}`,
            ip: `10.9.${i < 3 ? 1 : 2}.${10 + i}`,
            vmName: `vm-${i}`,
          },
        },
        ctx,
      );
    }
    const viewer = t.callerAs('viewer').simulator;
    const switches = await viewer.listSwitches({ controllerId, limit: 1 });
    expect(switches).toMatchObject({ total: 2, items: [{ id: 'n1', vpcId: 'pv' }] });
    const second = await viewer.listSwitches({ controllerId, limit: 1, cursor: switches.nextCursor ?? '' });
    expect(second).toMatchObject({ total: 2, nextCursor: null, items: [{ id: 'n2' }] });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await viewer.listPorts({ controllerId, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(5);
      seen.push(...page.items.map((p) => p.id ?? ''));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['nic-0', 'nic-1', 'nic-2', 'nic-3', 'nic-4']);
    const ofN2 = await viewer.listPorts({ controllerId, networkId: 'n2' });
    expect(ofN2.total).toBe(2);
    expect(ofN2.items.map((p) => [p.id, p.networkId, p.attributes.ip])).toEqual([
      ['nic-3', 'n2', '10.9.2.13'],
      ['nic-4', 'n2', '10.9.2.14'],
    ]);
    const summary = await viewer.getSummary({ controllerId });
    expect(summary.counts).toMatchObject({ networks: 2, ports: 5 });
    expect(summary.stats).toMatchObject({ nicsCreated: 5, nicsCreatedMoreThanOnce: 0 });
    expect(summary.stats).not.toHaveProperty('portCreations');
    expect(await codeOf(viewer.listPorts({ controllerId, cursor: 'not-a-cursor' }))).toBe('BAD_REQUEST');
  });

  it('answers PRECONDITION_FAILED when the server could not load the simulator adapter', async () => {
    const saved = t.deps.adapters;
    t.deps.adapters = saved.filter((a) => a.id !== 'simulator');
    try {
      expect(await codeOf(t.callerAs('viewer').simulator.getSummary({ controllerId }))).toBe(
        'PRECONDITION_FAILED',
      );
    } finally {
      t.deps.adapters = saved;
    }
  });
});

/** zone → physical network → simulator provider → controller, through the real API. */
async function registerController(
  t: TestDeps,
  endpoint: string,
  config: Record<string, unknown> = {},
): Promise<string> {
  const admin = t.callerAs('admin');
  const name = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;
  const zone = await admin.zones.create({ name: name('zone') });
  const pn = await admin.physicalNetworks.create({
    zoneId: zone.id,
    name: name('pn'),
    isolationMethods: ['VLAN'],
    tags: [],
    vlanRanges: [],
  });
  const provider = await admin.providers.create({ physicalNetworkId: pn.id, adapterId: 'simulator' });
  const controller = await admin.controllers.create({
    providerId: provider.id,
    name: name('ctl'),
    endpoint,
    config,
    credentials: { username: 'admin', password: 'pw-not-a-canary' },
  });
  return controller.id;
}

describe('simulator.* with registered controllers', () => {
  let t: TestDeps;
  let sim: SimulatorServer;
  beforeAll(async () => {
    t = await makeTestDeps('sqlite', { hub: new SimulatorHub('test') });
    sim = await startSimulatorServer({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
    await t.cleanup();
  });

  it('scripts the remote controller when the registered controller endpoint is http://', async () => {
    const id = await registerController(t, sim.url);
    await t
      .callerAs('operator')
      .simulator.injectFault({ controllerId: id, fault: { kind: 'authFailure', count: 1 } });
    const state = await t.callerAs('viewer').simulator.getSummary({ controllerId: id });
    expect(state.mode).toBe('remote');
    expect(state.faults).toHaveLength(1);
    expect((await sim.hub.getState(id))?.faults).toHaveLength(1);
  });

  it('meets a registered sim:// controller the hub has not seen yet with the profile its config asks for', async () => {
    const id = await registerController(t, 'sim://lab', { latencyMs: 15 });
    const state = await t.callerAs('viewer').simulator.getSummary({ controllerId: id });
    expect(state).toMatchObject({
      mode: 'hub',
      profile: { latencyMs: 15, rateLimitPerSecond: null },
      faults: [],
    });
  });
});
