// Static NAT and LB rules against the simulator on both dialects: apply/revoke jobs and their call log phases, member
// changes, a conflict on the controller (Error, RESOURCE_CONFLICT diagnosis, retry), NIC release and tier destroy
// ordering, and reconcile/repair of rules deleted behind our back and of issues the adapter reports.
import { diagnosesRepo } from '@netplane/db';
import { beforeAll, expect, it } from 'vitest';
import { describeWorld, simulatorOffering } from './describe-world';
import { lbRule, phasesOf as phasesOfJob, reconcileDrift, worldEdgeTier } from './edge';
import { vendorError } from './faults';
import * as scenario from './rule-scenarios';
import { waitForJob } from './world';

// A short call timeout, so that a hanging apply times out (and is retried) quickly.
describeWorld('static NAT and LB rules', { controllers: [{ timeoutMs: 400 }] }, (world) => {
  let offeringId = '';
  let net = 40;
  beforeAll(async () => {
    offeringId = await simulatorOffering(world.w, ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb']);
  });

  /** A VPC with one implemented tier offering StaticNat and Lb, and `count` Reserved NICs. */
  const edgeTier = (count: number) => worldEdgeTier(world.w, world.engine, { offeringId, net: ++net, count });
  const phasesOf = (jobId: string) => phasesOfJob(world.engine, jobId);

  it('enables a static NAT (Active, apply call) and disables it (revoke call, row gone)', async () => {
    await scenario.expectStaticNatRoundTrip(world.engine, await edgeTier(1));
  });

  it('creates an LB rule with two members, changes its members and deletes it', async () => {
    await scenario.expectLbRuleLifecycle(world.engine, await edgeTier(3), {
      // The apply after the change carries the new members only.
      changed: async (_ruleId, jobId, [, , c]) => {
        const [applied] = await world.engine.listCalls({ jobId });
        const request = applied?.request as { rule?: { members?: unknown } } | undefined;
        expect(request?.rule?.members).toEqual([{ nicId: c.id, ip: c.ip }]);
      },
    });
  });

  it('revokes a released NIC static NAT and shrinks its LB rule in the release job, before the port goes', async () => {
    await scenario.expectReleaseDetaches(world.engine, await edgeTier(2));
  });

  it('keeps a NIC whose static NAT cannot be revoked, fails the release, and releases it on retry', async () => {
    const { vpc, nics, acquire } = await edgeTier(1);
    const nic = nics[0];
    if (!nic) throw new Error('nic');
    const nat = await world.engine.enableStaticNat({ nicId: nic.id, publicIpId: (await acquire()).id }, 't');
    await waitForJob(world.engine, nat.jobId);
    const controllerId = world.w.controllerIds[0] as string;
    await world.w.hub.injectFault(
      controllerId,
      vendorError('NAT-LOCKED', 'NAT table is locked', 'revoke', 'nat'),
    );
    const release = await world.engine.releaseNics([nic.id], 't');
    const failed = await waitForJob(world.engine, release.jobId);
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'RELEASE_FAILED' } });
    expect(await phasesOf(release.jobId)).toEqual(['revoke:staticNat:failed']);
    expect((await world.engine.getNic(nic.id))?.state).toBe('Reserved');
    expect((await world.engine.listStaticNat(vpc.id))[0]).toMatchObject({ state: 'Error' });
    expect((await world.engine.listStaticNat(vpc.id))[0]?.lastError).toMatch(/^VENDOR_ERROR: /);

    const again = await world.engine.retry({ jobId: release.jobId }, 't');
    expect((await waitForJob(world.engine, again.jobId)).state).toBe('succeeded');
    expect(await phasesOf(again.jobId)).toEqual(['revoke:staticNat:ok', 'release:nic:ok']);
    expect(await world.engine.listStaticNat(vpc.id)).toEqual([]);
    expect((await world.engine.getNic(nic.id))?.state).toBe('Allocated');
  });

  it('revokes every rule of a tier before destroying it', async () => {
    await scenario.expectDestroyRevokesRules(world.engine, await edgeTier(2), { algorithm: 'source' });
  });

  it('revokes the rules of every tier when the VPC is destroyed', async () => {
    const { vpc, nics, acquire } = await edgeTier(1);
    const nic = nics[0];
    if (!nic) throw new Error('nic');
    await waitForJob(
      world.engine,
      (await world.engine.enableStaticNat({ nicId: nic.id, publicIpId: (await acquire()).id }, 't')).jobId,
    );
    const destroy = await world.engine.destroyVpc(vpc.id, 't');
    expect((await waitForJob(world.engine, destroy.jobId)).state).toBe('succeeded');
    const phases = await phasesOf(destroy.jobId);
    expect(phases[0]).toBe('revoke:staticNat:ok');
    expect(phases.at(-1)).toBe('destroy:vpc:ok');
    expect(await world.engine.listStaticNat(vpc.id)).toEqual([]);
  });

  it('puts a rule whose public IP is taken on the controller in Error with a RESOURCE_CONFLICT diagnosis; retry after clearing makes it Active', async () => {
    const { vpc, nics, acquire } = await edgeTier(1);
    const nic = nics[0];
    if (!nic) throw new Error('nic');
    const controllerId = world.w.controllerIds[0] as string;
    const ip = await acquire();
    const taken = ip.address;
    // Someone else's static NAT holds the address on the VPC's router until it is removed.
    const foreign = { kind: 'publicIp' as const, ip: taken, vpcId: vpc.id, owner: 'legacy-nat' };
    world.w.hub.plantForeign(controllerId, foreign);
    const { rule, jobId } = await world.engine.enableStaticNat({ nicId: nic.id, publicIpId: ip.id }, 't');
    const job = await waitForJob(world.engine, jobId);
    expect(job.state).toBe('failed');
    const [failed] = await world.engine.listStaticNat(vpc.id);
    expect(failed).toMatchObject({ id: rule.id, state: 'Error' });
    expect(failed?.lastError).toMatch(/^RESOURCE_CONFLICT: /);
    const diagnoses = await diagnosesRepo.listOpenForTarget(world.w.db.db, 'staticNat', rule.id);
    expect(diagnoses).toHaveLength(1);
    expect(diagnoses[0]).toMatchObject({ category: 'RESOURCE_CONFLICT', vpcId: vpc.id, jobId });
    expect(diagnoses[0]?.sentence).toContain('apply call');
    expect(diagnoses[0]?.actions).toContain('retry');

    world.w.hub.removeForeign(controllerId, foreign);
    const retry = await world.engine.retryStaticNat(rule.id, 't');
    expect((await waitForJob(world.engine, retry.jobId)).state).toBe('succeeded');
    expect((await world.engine.listStaticNat(vpc.id))[0]).toMatchObject({ state: 'Active', lastError: null });
  });

  it('diagnoses an LB apply that keeps timing out as CONTROLLER_TIMEOUT after the retries; a retry later succeeds', async () => {
    const { vpc, tier, nics, acquire } = await edgeTier(1);
    const nic = nics[0];
    if (!nic) throw new Error('nic');
    const controllerId = world.w.controllerIds[0] as string;
    // Every attempt of the job's call hangs (4 attempts); the next job's call goes through.
    await world.w.hub.injectFault(controllerId, {
      kind: 'timeout',
      operation: 'apply',
      resource: 'lb',
      count: 4,
    });
    const created = await world.engine.createLbRule(
      lbRule(tier.id, 'slow', (await acquire()).id, [nic.id]),
      't',
    );
    expect((await waitForJob(world.engine, created.jobId)).state).toBe('failed');
    expect(await phasesOf(created.jobId)).toEqual(Array(4).fill('apply:lbRule:failed'));
    const [failed] = await world.engine.listLbRules(vpc.id);
    expect(failed?.state).toBe('Error');
    expect(failed?.lastError).toMatch(/^TIMEOUT: /);
    const [diagnosis] = await diagnosesRepo.listOpenForTarget(world.w.db.db, 'lbRule', created.rule.id);
    expect(diagnosis).toMatchObject({ category: 'CONTROLLER_TIMEOUT', jobId: created.jobId });
    const retry = await world.engine.retryLbRule(created.rule.id, 't');
    expect((await waitForJob(world.engine, retry.jobId)).state).toBe('succeeded');
    expect((await world.engine.listLbRules(vpc.id))[0]).toMatchObject({ state: 'Active', lastError: null });
  });

  it('finds static NAT and LB rules deleted behind its back, marks the VPC and tier not Synced, and repairs them', async () => {
    const controllerId = world.w.controllerIds[0] as string;
    await scenario.expectRuleDriftRepaired(world.engine, await edgeTier(2), {
      algorithm: 'leastconn',
      deleteBehindOurBack: async (natId, lbId) => {
        world.w.hub.tamper(controllerId, { action: 'delete', kind: 'nat', id: natId });
        world.w.hub.tamper(controllerId, { action: 'delete', kind: 'lb', id: lbId });
      },
    });
  });

  it('reports an issue the adapter sees on a tier as drift and repairs it by implementing the tier again', async () => {
    const { vpc, tier } = await edgeTier(1);
    const controllerId = world.w.controllerIds[0] as string;
    const issue = 'ACL allow-egress of tier web was deleted';
    world.w.hub.tamper(controllerId, { action: 'issue', kind: 'network', id: tier.id, issue });
    const drift = await reconcileDrift(world.engine, vpc.id);
    expect(drift).toEqual([
      expect.objectContaining({ kind: 'different', networkId: tier.id, message: issue }),
    ]);
    const tierSynced = (await world.engine.getTier(tier.id))?.conditions.find((c) => c.type === 'Synced');
    expect(tierSynced).toMatchObject({ status: 'False', reason: 'DriftDetected' });
    expect(tierSynced?.message).toContain(issue);

    const repaired = await waitForJob(world.engine, (await world.engine.repair(vpc.id, 't')).jobId);
    expect(repaired.result).toMatchObject({ inSync: true });
    expect(await phasesOf(repaired.id)).toContain('implement:network:ok');
    expect((await world.engine.getTier(tier.id))?.conditions.find((c) => c.type === 'Synced')?.status).toBe(
      'True',
    );
  });
});
