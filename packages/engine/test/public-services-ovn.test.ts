// Static NAT and LB rules through the engine onto a real OVN Northbound (ovsdb-server, checked with ovn-nbctl), on
// both dialects: apply/revoke jobs and their call log phases, member changes, a public IP NATed by someone else
// (Error, RESOURCE_CONFLICT diagnosis, retry after it is removed), NIC release and tier destroy ordering, rules
// deleted behind our back (Synced=False, repair), and an issue the adapter reports on a tier (repair re-implements).
import { names } from '@netplane/adapter-ovn';
import { diagnosesRepo } from '@netplane/db';
import { expect, it } from 'vitest';
import { type Drift, listDiagnosisViews } from '../src/index';
import { ovnEdgeTier, phasesOf as phasesOfJob } from './edge';
import { describeOvnWorld, edgeProvider, findNb } from './ovn-world';
import * as scenario from './rule-scenarios';
import { waitForJob } from './world';

const EDGE_PROVIDER = edgeProvider('ovn-edge', ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb']);

describeOvnWorld('static NAT and LB rules', EDGE_PROVIDER, (ovn) => {
  let net = 60;

  /** A VPC with one implemented tier giving StaticNat and Lb on OVN, `count` Reserved NICs and an Lb algorithm. */
  async function edgeTier(count: number) {
    net += 1;
    const tier = await ovnEdgeTier(ovn, net, count);
    const algorithm = (await ovn.engine.publicServiceOptions(tier.tier.id)).lb?.algorithms[0];
    if (!algorithm) throw new Error('the OVN provider offers no Lb algorithm');
    return { ...tier, algorithm };
  }
  const phasesOf = (jobId: string) => phasesOfJob(ovn.engine, jobId);
  const natRows = async (vpcId: string) =>
    (await ovn.server.nbctl(['lr-nat-list', names.router(vpcId)]))
      .split('\n')
      .filter((l) => l.startsWith('dnat_and_snat'))
      .map((l) => l.split(/\s+/).slice(0, 3).join(' '));
  const lbOf = async (ruleId: string) =>
    (await findNb(ovn, 'Load_Balancer', 'vips', `name=${names.loadBalancer(ruleId)}`)).trim();

  it('enables a static NAT (Active, one apply call, a dnat_and_snat row) and disables it (revoke call, row gone)', async () => {
    const edge = await edgeTier(1);
    const vpcId = edge.vpc.id;
    await scenario.expectStaticNatRoundTrip(ovn.engine, edge, {
      applied: async (nic, ip) => expect(await natRows(vpcId)).toEqual([`dnat_and_snat ${ip} ${nic.ip}`]),
      revoked: async () => expect(await natRows(vpcId)).toEqual([]),
    });
  });

  it('creates an LB rule with two members, changes its members and deletes it', async () => {
    const edge = await edgeTier(3);
    await scenario.expectLbRuleLifecycle(ovn.engine, edge, {
      algorithm: edge.algorithm,
      created: async (ruleId, [a, b], ip) => {
        expect(await lbOf(ruleId)).toContain(`${ip}:80`);
        for (const n of [a, b]) expect(await lbOf(ruleId)).toContain(`${n.ip}:8080`);
      },
      changed: async (ruleId, _jobId, [a, , c]) => {
        expect(await lbOf(ruleId)).toContain(`${c.ip}:8080`);
        expect(await lbOf(ruleId)).not.toContain(`${a.ip}:8080`);
      },
      deleted: async (ruleId) => expect(await lbOf(ruleId)).toBe(''),
    });
  });

  it('puts a static NAT whose public IP someone else NATed in Error with a RESOURCE_CONFLICT diagnosis; retry after removing theirs makes it Active', async () => {
    const { vpc, nics, acquire } = await edgeTier(1);
    const nic = nics[0];
    if (!nic) throw new Error('nic');
    const router = names.router(vpc.id);
    const ip = await acquire();
    await ovn.server.nbctl(['lr-nat-add', router, 'dnat_and_snat', ip.address, '10.99.0.5']);
    const { rule, jobId } = await ovn.engine.enableStaticNat({ nicId: nic.id, publicIpId: ip.id }, 't');
    expect((await waitForJob(ovn.engine, jobId)).state).toBe('failed');
    const [failed] = await ovn.engine.listStaticNat(vpc.id);
    expect(failed).toMatchObject({ id: rule.id, state: 'Error' });
    expect(failed?.lastError).toMatch(/^RESOURCE_CONFLICT: /);
    expect(await phasesOf(jobId)).toEqual(['apply:staticNat:failed']);
    const [diagnosis, ...more] = await diagnosesRepo.listOpenForTarget(ovn.w.db.db, 'staticNat', rule.id);
    expect(more).toEqual([]);
    expect(diagnosis).toMatchObject({ category: 'RESOURCE_CONFLICT', vpcId: vpc.id, jobId });
    expect(diagnosis?.sentence).toContain(`The apply call to element ovn for static NAT ${ip.address}`);
    expect(diagnosis?.actions).toContain('retry');
    expect(diagnosis?.actions).not.toContain('adopt');

    await ovn.server.nbctl(['lr-nat-del', router, 'dnat_and_snat', ip.address]);
    const retry = await ovn.engine.retryStaticNat(rule.id, 't');
    expect((await waitForJob(ovn.engine, retry.jobId)).state).toBe('succeeded');
    expect((await ovn.engine.listStaticNat(vpc.id))[0]).toMatchObject({ state: 'Active', lastError: null });
    expect(await natRows(vpc.id)).toEqual([`dnat_and_snat ${ip.address} ${nic.ip}`]);
    // The diagnosis is resolved once the rule left Error (the open list closes it), and its name was the rule's.
    const views = await listDiagnosisViews(ovn.w.db.db, {
      vpcId: vpc.id,
      openOnly: true,
      limit: 100,
      now: Date.now(),
    });
    expect(views.filter((v) => v.targetId === rule.id)).toEqual([]);
    const all = await listDiagnosisViews(ovn.w.db.db, {
      vpcId: vpc.id,
      openOnly: false,
      limit: 100,
      now: Date.now(),
    });
    expect(all.find((v) => v.targetId === rule.id)).toMatchObject({
      targetType: 'staticNat',
      targetName: `${ip.address} → ${nic.ip}`,
    });
  });

  it('revokes a released NIC static NAT and shrinks its LB rule in the release job, before the port goes', async () => {
    const edge = await edgeTier(2);
    await scenario.expectReleaseDetaches(ovn.engine, edge, {
      algorithm: edge.algorithm,
      released: async (a, lbRuleId) => {
        expect(await natRows(edge.vpc.id)).toEqual([]);
        expect(await lbOf(lbRuleId)).not.toContain(a.ip);
      },
    });
  });

  it('revokes every rule of a tier before destroying it', async () => {
    const edge = await edgeTier(2);
    await scenario.expectDestroyRevokesRules(ovn.engine, edge, {
      algorithm: edge.algorithm,
      // On OVN the order is checked too: the static NAT, then the LB rule, then both ports.
      destroyed: async (phases, lbRuleId) => {
        expect(phases.slice(0, 2)).toEqual(['revoke:staticNat:ok', 'revoke:lbRule:ok']);
        expect(phases.slice(2, 4)).toEqual(['release:nic:ok', 'release:nic:ok']);
        expect(await lbOf(lbRuleId)).toBe('');
      },
    });
  });

  it('finds a static NAT and an LB rule deleted with ovn-nbctl, marks the VPC and tier not Synced, and repairs them', async () => {
    const edge = await edgeTier(2);
    const { vpc } = edge;
    let natIp = '';
    await scenario.expectRuleDriftRepaired(ovn.engine, edge, {
      algorithm: edge.algorithm,
      deleteBehindOurBack: async (natId, lbId) => {
        natIp = (await ovn.engine.listStaticNat(vpc.id)).find((r) => r.id === natId)?.publicIp ?? '';
        await ovn.server.nbctl(['lr-nat-del', names.router(vpc.id), 'dnat_and_snat', natIp]);
        await ovn.server.nbctl(['lb-del', names.loadBalancer(lbId)]);
      },
      repaired: async (a) => expect(await natRows(vpc.id)).toEqual([`dnat_and_snat ${natIp} ${a.ip}`]),
    });
  });

  it('reports an issue the adapter sees on a tier (its router port deleted) as drift and repairs it by implementing the tier again', async () => {
    const { vpc, tier } = await edgeTier(1);
    await ovn.server.nbctl(['lrp-del', names.routerPort(tier.id)]);
    const drifted = await waitForJob(ovn.engine, (await ovn.engine.reconcile(vpc.id, 't')).jobId);
    const drift = (drifted.result as { drift: Drift[] }).drift;
    const issue = drift.find((d) => d.message?.includes(names.routerPort(tier.id)));
    expect(issue).toMatchObject({
      kind: 'different',
      resource: 'network',
      id: tier.id,
      networkId: tier.id,
    });
    const tierSynced = (await ovn.engine.getTier(tier.id))?.conditions.find((c) => c.type === 'Synced');
    expect(tierSynced).toMatchObject({ status: 'False', reason: 'DriftDetected' });
    expect(tierSynced?.message).toContain(`router port ${names.routerPort(tier.id)}`);

    const repaired = await waitForJob(ovn.engine, (await ovn.engine.repair(vpc.id, 't')).jobId);
    expect(repaired.result).toMatchObject({ inSync: true, remaining: [] });
    expect(await phasesOf(repaired.id)).toContain('implement:network:ok');
    expect((await ovn.engine.getTier(tier.id))?.conditions.find((c) => c.type === 'Synced')?.status).toBe(
      'True',
    );
  });
});
