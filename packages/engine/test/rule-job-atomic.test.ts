// A rule row and the job that acts on it commit together or not at all: with every job insert failing (a trigger,
// standing in for a crash or a lost connection between the two writes), enabling, revoking and re-membering rules
// leave the rules exactly as they were, on both dialects.
import { jobsRepo } from '@netplane/db';
import { failInsertsInto, testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index';
import { lbRule, worldEdgeTier } from './edge';
import { makeWorld, type World, waitForJob } from './world';

describe.each(testDialects())('rule rows and their jobs on %s', (dialect) => {
  let w: World;
  let engine: Engine;
  let offeringId = '';
  beforeAll(async () => {
    w = await makeWorld(dialect);
    offeringId = await w.addOffering({
      kind: 'network',
      services: { Connectivity: 'simulator', Dhcp: 'simulator', StaticNat: 'simulator', Lb: 'simulator' },
    });
    engine = w.engine();
    await engine.start();
  });
  afterAll(async () => {
    await w.cleanup();
  });

  const failJobInserts = () => failInsertsInto(w.db, 'jobs');
  /** An implemented tier (10.<net>.1.0/24) with two Reserved NICs. */
  async function twoNics(net: number) {
    const edge = await worldEdgeTier(w, engine, { offeringId, net, count: 2 });
    const [a, b] = edge.nics;
    if (!a || !b) throw new Error('nics');
    return { ...edge, a, b };
  }
  const jobCount = async () => (await jobsRepo.listJobs(w.db.db, { limit: 1000 })).length;

  it('writes no static NAT and no LB rule when their apply job cannot be written', async () => {
    const { vpc, tier, a, b, acquire } = await twoNics(71);
    const [natIp, lbIp] = [await acquire(), await acquire()];
    const jobsBefore = await jobCount();
    const restore = await failJobInserts();
    try {
      await expect(engine.enableStaticNat({ nicId: a.id, publicIpId: natIp.id }, 't')).rejects.toThrow(
        /injected/,
      );
      const lb = lbRule(tier.id, 'web-80', lbIp.id, [a.id, b.id], { privatePort: 8080 });
      await expect(engine.createLbRule(lb, 't')).rejects.toThrow(/injected/);
    } finally {
      await restore();
    }
    expect(await engine.listStaticNat(vpc.id)).toEqual([]);
    expect(await engine.listLbRules(vpc.id)).toEqual([]);
    expect(await jobCount()).toBe(jobsBefore);
    // The same commands succeed once jobs can be written again: nothing half-written is in their way.
    const nat = await engine.enableStaticNat({ nicId: a.id, publicIpId: natIp.id }, 't');
    expect((await waitForJob(engine, nat.jobId)).state).toBe('succeeded');
  });

  it('leaves an Active rule Active (same job, same members) when its revoke or member job cannot be written', async () => {
    const { vpc, tier, a, b, acquire } = await twoNics(72);
    const nat = await engine.enableStaticNat({ nicId: a.id, publicIpId: (await acquire()).id }, 't');
    const lb = await engine.createLbRule(
      lbRule(tier.id, 'web-80', (await acquire()).id, [a.id], { privatePort: 8080 }),
      't',
    );
    expect((await waitForJob(engine, nat.jobId)).state).toBe('succeeded');
    expect((await waitForJob(engine, lb.jobId)).state).toBe('succeeded');
    const natBefore = await engine.listStaticNat(vpc.id);
    const lbBefore = await engine.listLbRules(vpc.id);
    expect(natBefore[0]).toMatchObject({ state: 'Active', jobId: nat.jobId });
    expect(lbBefore[0]).toMatchObject({ state: 'Active', jobId: lb.jobId });

    const restore = await failJobInserts();
    try {
      await expect(engine.disableStaticNat(nat.rule.id, 't')).rejects.toThrow(/injected/);
      await expect(engine.deleteLbRule(lb.rule.id, 't')).rejects.toThrow(/injected/);
      await expect(engine.setLbMembers(lb.rule.id, [b.id], 't')).rejects.toThrow(/injected/);
    } finally {
      await restore();
    }
    expect(await engine.listStaticNat(vpc.id)).toEqual(natBefore);
    expect(await engine.listLbRules(vpc.id)).toEqual(lbBefore);
  });
});
