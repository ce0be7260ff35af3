// nics.prepareBulk through createCaller on both dialects: concurrent bulk requests on one tier get distinct IPs and
// MACs and one job each; a request the tier's range cannot hold, or that asks for an address in use, fails with its
// typed code and leaves no NIC, job or audit row behind.
import { SimulatorHub } from '@netplane/adapter-simulator';
import { seedSimulatorInventory, testDialects } from '@netplane/db/testing';
import { AppError } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, simulatorRegistration, type TestDeps, waitDone } from './fixtures';

/** The AppError behind a rejected call (tRPC wraps it as the cause). */
async function appErrorOf(p: Promise<unknown>): Promise<AppError> {
  const e = (await p.then(
    () => undefined,
    (err: unknown) => err,
  )) as { cause?: unknown } | undefined;
  expect(e?.cause).toBeInstanceOf(AppError);
  return e?.cause as AppError;
}

describe.each(testDialects())('nics.prepareBulk on %s', (dialect) => {
  let t: TestDeps;
  let vpcId: string;
  let networkOfferingId: string;
  let next = 1;

  async function implementedTier(prefix: number) {
    const op = t.callerAs('operator');
    const tier = await op.tiers.create({
      vpcId,
      name: `t${next}`,
      offeringId: networkOfferingId,
      cidr: `10.7.${next++}.0/${prefix}`,
    });
    expect((await waitDone(t, (await op.tiers.implement({ id: tier.id })).jobId)).state).toBe('succeeded');
    return tier;
  }

  const counts = async (tierId: string) => {
    const db = t.db.db;
    const nics = await db.selectFrom('nics').select('id').where('network_id', '=', tierId).execute();
    const jobs = await db
      .selectFrom('jobs')
      .select('id')
      .where('target_id', '=', tierId)
      .where('kind', '=', 'nic.prepare')
      .execute();
    const audits = await db
      .selectFrom('audit_log')
      .select('id')
      .where('target_id', '=', tierId)
      .where('action', '=', 'nic.prepareBulk')
      .execute();
    return { nics: nics.length, jobs: jobs.length, audits: audits.length };
  };

  beforeAll(async () => {
    const hub = new SimulatorHub('nics-api-test');
    t = await makeTestDeps(dialect, {
      adapters: [simulatorRegistration(hub)],
      engineOptions: { pollMs: 20, heartbeatMs: 200, leaseMs: 2000 },
    });
    const seed = await seedSimulatorInventory(t.db.db, {
      label: 'nics-api',
      vlanRange: { start: 400, end: 420 },
      credentials: (id) => t.keyring.encrypt(JSON.stringify({ username: 'u', password: 'p' }), id),
      limits: { maxConcurrent: 8, callsPerSecond: 500, timeoutMs: 5000 },
    });
    hub.controller(seed.controllerId);
    networkOfferingId = seed.networkOfferingId;
    await t.deps.engine.start();
    const vpc = await t.callerAs('operator').vpcs.create({
      name: 'nics-api',
      zoneId: seed.zoneId,
      offeringId: seed.vpcOfferingId,
      cidr: '10.7.0.0/16',
    });
    vpcId = vpc.id;
  });
  afterAll(async () => {
    await t.deps.engine.stop();
    await t.cleanup();
  });

  it('gives concurrent bulk requests on one tier distinct addresses and a job each, all Reserved', async () => {
    const tier = await implementedTier(24);
    const op = t.callerAs('operator');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, r) =>
        op.nics.prepareBulk({
          tierId: tier.id,
          nics: Array.from({ length: 20 }, (_, i) => ({ vmName: `r${r}-${i}` })),
        }),
      ),
    );
    const nics = results.flatMap((r) => r.nics);
    expect(new Set(nics.map((n) => n.ip)).size).toBe(100);
    expect(new Set(nics.map((n) => n.mac)).size).toBe(100);
    expect(new Set(results.map((r) => r.jobId)).size).toBe(5);
    for (const r of results) {
      const job = await waitDone(t, r.jobId);
      expect(job, JSON.stringify({ error: job.error, result: job.result })).toMatchObject({
        state: 'succeeded',
      });
    }
    const listed = await t.callerAs('viewer').nics.list({ tierId: tier.id, limit: 200 });
    expect(listed.items.map((n) => n.state)).toEqual(Array(100).fill('Reserved'));
    expect(listed).toMatchObject({ total: 100, nextCursor: null });
    expect(await counts(tier.id)).toEqual({ nics: 100, jobs: 5, audits: 5 });
  });

  it('refuses a request its tier cannot hold, or that asks for an IP in use, and writes nothing', async () => {
    const tier = await implementedTier(28); // 13 NIC addresses
    const op = t.callerAs('operator');
    const tooMany = await appErrorOf(
      op.nics.prepareBulk({
        tierId: tier.id,
        nics: Array.from({ length: 14 }, (_, i) => ({ vmName: `x${i}` })),
      }),
    );
    expect(tooMany.code).toBe('PRECONDITION_FAILED');
    expect(tooMany.details).toMatchObject({ reason: 'IP_RANGE_EXHAUSTED', free: 13, asked: 14 });
    expect(await counts(tier.id)).toEqual({ nics: 0, jobs: 0, audits: 0 });

    const first = await op.nics.prepareBulk({ tierId: tier.id, nics: [{ vmName: 'a' }] });
    const taken = await appErrorOf(
      op.nics.prepareBulk({
        tierId: tier.id,
        nics: [{ vmName: 'b' }, { vmName: 'c', ip: first.nics[0]?.ip }],
      }),
    );
    expect(taken.code).toBe('CONFLICT');
    expect(await counts(tier.id)).toEqual({ nics: 1, jobs: 1, audits: 1 });
  });
});
