// The provisioning API end to end through createCaller on both dialects: create VPC and tier, implement, prepare
// NICs in bulk, read jobs, steps and the call log, negotiation traces, roles, audit, and no credential in any output.
import { randomUUID } from 'node:crypto';
import { SimulatorHub } from '@netplane/adapter-simulator';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertOffering,
  insertSimulatorProvider,
  insertZone,
} from '../../../../packages/api/test/fixtures/inventory';
import { makeTestDeps, simulatorRegistration, type TestDeps, waitDone } from './fixtures';

describe.each(testDialects())('provisioning API on %s', (dialect) => {
  let t: TestDeps;
  let zoneId: string;
  let vpcOfferingId: string;
  let netOfferingId: string;
  beforeAll(async () => {
    const hub = new SimulatorHub('api-test');
    t = await makeTestDeps(dialect, {
      adapters: [simulatorRegistration(hub)],
      engineOptions: { pollMs: 20, heartbeatMs: 200, leaseMs: 2000 },
    });
    const db = t.db.db;
    const now = Date.now();
    zoneId = await insertZone(db, { name: 'z1', now });
    await insertSimulatorProvider(db, t.keyring, {
      zoneId,
      vlan: { start: 300, end: 310 },
      providerName: 'sim',
      enabledServices: ['Connectivity', 'Dhcp'],
      capabilityOverrides: {},
      password: 'canary-pw-7731',
      now,
    });
    const serviceProviders = { Connectivity: 'simulator', Dhcp: 'simulator' };
    vpcOfferingId = await insertOffering(db, { name: 'vpc-o', kind: 'vpc', serviceProviders, now });
    netOfferingId = await insertOffering(db, { name: 'network-o', kind: 'network', serviceProviders, now });
    await t.deps.engine.start();
  });
  afterAll(async () => {
    await t.deps.engine.stop();
    await t.cleanup();
  });

  it('provisions a VPC, a tier and 50 NICs through the API, with jobs, steps, calls and traces readable', async () => {
    const op = t.callerAs('operator');
    const vpc = await op.vpcs.create({
      name: 'shop',
      zoneId,
      offeringId: vpcOfferingId,
      cidr: '10.9.0.0/16',
    });
    const tier = await op.tiers.create({
      vpcId: vpc.id,
      name: 'web',
      offeringId: netOfferingId,
      cidr: '10.9.1.0/24',
    });
    expect(tier.broadcastUri).toBe('vlan://300');
    const impl = await op.tiers.implement({ id: tier.id });
    expect((await waitDone(t, impl.jobId)).state).toBe('succeeded');
    const bulk = await op.nics.prepareBulk({
      tierId: tier.id,
      nics: Array.from({ length: 50 }, (_, i) => ({ vmName: `vm${i}` })),
    });
    const job = await waitDone(t, bulk.jobId);
    expect(job).toMatchObject({ state: 'succeeded', progressDone: 50, progressTotal: 50 });
    expect(job.steps.length).toBe(50);

    const viewer = t.callerAs('viewer');
    const detail = await viewer.vpcs.get({ id: vpc.id });
    expect(detail.tiers[0]).toMatchObject({ state: 'Implemented', nicCounts: { Reserved: 50 } });
    expect((await viewer.nics.list({ tierId: tier.id })).total).toBe(50);
    expect((await viewer.calls.byJob({ jobId: impl.jobId })).items.map((c) => c.phase)).toEqual([
      'implement',
      'implement',
    ]);
    expect((await viewer.calls.byVpc({ vpcId: vpc.id })).items.length).toBeGreaterThanOrEqual(3);
    // The dashboard's rate counts every call of the window in SQL: here, every call the log holds.
    const rates = await viewer.calls.rates();
    expect(rates.buckets).toHaveLength(5);
    const counted = rates.buckets.reduce((n, b) => n + b.ok + b.failed + b.inFlight + b.abandoned, 0);
    expect(counted).toBe((await viewer.calls.recent({ limit: 1 })).total);
    const [trace] = await viewer.tiers.traces({ id: tier.id });
    expect(trace?.trace.map((e) => e.verdict)).toEqual(['CHOSEN', 'CHOSEN']);
    expect(
      (await viewer.vpcs.list({ condition: { type: 'Ready', status: 'True' } })).items.map((v) => v.id),
    ).toContain(vpc.id);

    const everything = JSON.stringify([
      detail,
      await viewer.calls.byVpc({ vpcId: vpc.id }),
      await viewer.jobs.list({}),
    ]);
    expect(everything).not.toContain('canary-pw-7731');
    expect(JSON.stringify(t.logs)).not.toContain('canary-pw-7731');

    const audits = await t.db.db.selectFrom('audit_log').select('action').execute();
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['vpc.create', 'tier.create', 'tier.implement', 'nic.prepareBulk']),
    );
  });

  it('refuses provisioning to viewers and support, and lets support retry', async () => {
    await expect(
      t
        .callerAs('viewer')
        .vpcs.create({ name: 'x', zoneId, offeringId: vpcOfferingId, cidr: '10.10.0.0/16' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.callerAs('support').tiers.implement({ id: randomUUID() })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(t.callerAs('support').jobs.retry({ jobId: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers a typed 4xx for a tier CIDR outside its VPC', async () => {
    const op = t.callerAs('operator');
    const vpc = await op.vpcs.create({ name: 'v2', zoneId, offeringId: vpcOfferingId, cidr: '10.20.0.0/16' });
    await expect(
      op.tiers.create({ vpcId: vpc.id, name: 't', offeringId: netOfferingId, cidr: '10.21.0.0/24' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('streams job progress through the watch subscription until the job ends', async () => {
    const op = t.callerAs('operator');
    const vpc = await op.vpcs.create({ name: 'v3', zoneId, offeringId: vpcOfferingId, cidr: '10.30.0.0/16' });
    const tier = await op.tiers.create({
      vpcId: vpc.id,
      name: 't',
      offeringId: netOfferingId,
      cidr: '10.30.1.0/24',
    });
    const { jobId } = await op.tiers.implement({ id: tier.id });
    const states: string[] = [];
    const stream = await t.callerAs('viewer').jobs.watch({ id: jobId });
    for await (const j of stream as AsyncIterable<{ state: string }>) states.push(j.state);
    expect(states.at(-1)).toBe('succeeded');
  });
});
