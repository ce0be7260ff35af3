// The simulator router against a real hub and a real standalone simulator, on both database dialects.
import { randomUUID } from 'node:crypto';
import {
  createSimulatorAdapter,
  SimulatorHub,
  type SimulatorServer,
  startSimulatorServer,
} from '@netplane/adapter-simulator';
import { auditRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/fixtures/deps';

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'OK',
    (e: { code?: string }) => e.code ?? 'no code',
  );
}

describe.each(testDialects())('simulator router on %s', (dialect) => {
  let t: TestDeps;
  let hub: SimulatorHub;
  const controllerId = randomUUID();
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    hub = new SimulatorHub('test');
    hub.controller(controllerId);
    t.deps.simulator = hub;
  });
  afterAll(async () => t.cleanup());

  it('lets an operator script a fault that the controller then answers with, and reports it in getState', async () => {
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
    const state = await t.callerAs('viewer').simulator.getState({ controllerId });
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
    const after = await t.callerAs('support').simulator.getState({ controllerId });
    expect(after.faults[0]).toMatchObject({ remaining: 1, fired: 1 });
    expect(after.stats.calls).toMatchObject({ health: 1, implement: 1 });
    expect(after.stats.errors).toEqual({ VENDOR_ERROR: 1 });
    expect(await t.callerAs('admin').simulator.clearFaults({ controllerId })).toEqual({ cleared: 1 });
    expect((await t.callerAs('viewer').simulator.getState({ controllerId })).faults).toEqual([]);
  });

  it('merges a profile change, resets stats, and audits every change with before and after', async () => {
    const profile = await t.callerAs('operator').simulator.setProfile({
      controllerId,
      profile: { latencyMs: 20, rateLimitPerSecond: 200, maxConcurrent: 16 },
    });
    expect(profile).toMatchObject({ latencyMs: 20, rateLimitPerSecond: 200, maxConcurrent: 16, jitterMs: 0 });
    expect(await t.callerAs('operator').simulator.resetStats({ controllerId })).toEqual({ ok: true });
    expect((await t.callerAs('viewer').simulator.getState({ controllerId })).stats.totalCalls).toBe(0);
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
    const state = await t.callerAs('viewer').simulator.getState({ controllerId });
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
    ]);
    expect(catalog.find((c) => c.kind === 'foreignOwner')?.diagnosis).toBe('RESOURCE_CONFLICT');
    expect(catalog.find((c) => c.kind === 'rateLimited')?.diagnosis).toBe('RATE_LIMITED');
  });

  it('lets every role read but only admin and operator change', async () => {
    for (const role of ['support', 'viewer'] as const) {
      expect(await codeOf(t.callerAs(role).simulator.clearFaults({ controllerId }))).toBe('FORBIDDEN');
      expect(
        await codeOf(
          t.callerAs(role).simulator.injectFault({ controllerId, fault: { kind: 'authFailure' } }),
        ),
      ).toBe('FORBIDDEN');
      expect(await codeOf(t.callerAs(role).simulator.getState({ controllerId }))).toBe('OK');
    }
    expect(await codeOf(t.anonymousCaller().simulator.getState({ controllerId }))).toBe('UNAUTHORIZED');
  });

  it('answers NOT_FOUND for an unknown controller and BAD_REQUEST for a malformed fault', async () => {
    expect(await codeOf(t.callerAs('viewer').simulator.getState({ controllerId: randomUUID() }))).toBe(
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

  it('answers PRECONDITION_FAILED when the server runs without a simulator hub', async () => {
    const saved = t.deps.simulator;
    delete t.deps.simulator;
    try {
      expect(await codeOf(t.callerAs('viewer').simulator.getState({ controllerId }))).toBe(
        'PRECONDITION_FAILED',
      );
    } finally {
      t.deps.simulator = saved;
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

describe('simulator router with registered controllers', () => {
  let t: TestDeps;
  let sim: SimulatorServer;
  beforeAll(async () => {
    const hub = new SimulatorHub('test');
    t = await makeTestDeps('sqlite', {
      adapters: [{ id: 'simulator', status: 'Fully Loaded', module: createSimulatorAdapter(hub) }],
    });
    t.deps.simulator = hub;
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
    const state = await t.callerAs('viewer').simulator.getState({ controllerId: id });
    expect(state.mode).toBe('remote');
    expect(state.faults).toHaveLength(1);
    expect((await sim.hub.getState(id))?.faults).toHaveLength(1);
  });

  it('meets a registered sim:// controller the hub has not seen yet with the profile its config asks for', async () => {
    const id = await registerController(t, 'sim://lab', { latencyMs: 15 });
    const state = await t.callerAs('viewer').simulator.getState({ controllerId: id });
    expect(state).toMatchObject({
      mode: 'hub',
      profile: { latencyMs: 15, rateLimitPerSecond: null },
      faults: [],
    });
  });
});
