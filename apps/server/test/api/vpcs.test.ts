// The provisioning API end to end through createCaller on both dialects: create VPC and tier, implement, prepare
// NICs in bulk, read jobs, steps and the call log, negotiation traces, roles, audit, and no credential in any output.
import { randomUUID } from 'node:crypto';
import { SimulatorHub } from '@netplane/adapter-simulator';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, simulatorRegistration, type TestDeps } from './fixtures';

async function waitDone(t: TestDeps, jobId: string) {
  const caller = t.callerAs('viewer');
  for (let i = 0; i < 600; i++) {
    const job = await caller.jobs.get({ id: jobId });
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

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
    zoneId = randomUUID();
    const pnId = randomUUID();
    const providerId = randomUUID();
    const controllerId = randomUUID();
    await db
      .insertInto('zones')
      .values({
        id: zoneId,
        name: 'z1',
        description: '',
        state: 'Enabled',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    await db
      .insertInto('physical_networks')
      .values({
        id: pnId,
        zone_id: zoneId,
        name: 'pn',
        isolation_methods: '["VLAN"]',
        tags: '[]',
        broadcast_ranges: JSON.stringify([{ kind: 'vlan', start: 300, end: 310 }]),
        traffic_types: '[]',
        state: 'Enabled',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    await db
      .insertInto('providers')
      .values({
        id: providerId,
        physical_network_id: pnId,
        name: 'sim',
        adapter_id: 'simulator',
        state: 'Enabled',
        enabled_services: '["Connectivity","Dhcp"]',
        capability_overrides: '{}',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    const sealed = t.keyring.encrypt(
      JSON.stringify({ username: 'u', password: 'canary-pw-7731' }),
      controllerId,
    );
    await db
      .insertInto('controllers')
      .values({
        id: controllerId,
        provider_id: providerId,
        name: 'ctl',
        endpoint: `sim://${controllerId}`,
        protocol: 'SIMULATED',
        config: '{}',
        credentials_ciphertext: sealed.ciphertext,
        credentials_key_id: sealed.keyId,
        max_concurrent: 8,
        calls_per_second: 500,
        timeout_ms: 5000,
        resource_state: 'Enabled',
        health_ok: 1,
        health_checked_at: now,
        health_latency_ms: 1,
        health_version: 'x',
        health_error: null,
        conditions: '[]',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    const offering = (kind: string, id: string) =>
      db
        .insertInto('offerings')
        .values({
          id,
          name: `${kind}-o`,
          description: '',
          kind,
          guest_type: 'Isolated',
          service_providers: '{"Connectivity":"simulator","Dhcp":"simulator"}',
          tags: '[]',
          isolation_method: 'VLAN',
          required_capabilities: '{}',
          state: 'Enabled',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
    vpcOfferingId = randomUUID();
    netOfferingId = randomUUID();
    await offering('vpc', vpcOfferingId);
    await offering('network', netOfferingId);
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
