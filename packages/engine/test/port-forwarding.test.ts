// Port forwarding against the simulator on both dialects: the apply and revoke jobs and their calls, the paged list,
// every conflict the create refuses (overlapping range, static NAT on the address, LB rule on a port, an address of
// another VPC, two racing creates), the rule and its job written together, a failed apply (Error, diagnosis, retry),
// and the rules revoked by NIC release and tier destroy.
import { randomUUID } from 'node:crypto';
import { diagnosesRepo, publicIpsRepo } from '@netplane/db';
import { failInsertsInto } from '@netplane/db/testing';
import { AppError, ipv4ToInt } from '@netplane/domain';
import { beforeAll, expect, it } from 'vitest';
import { describeWorld, simulatorOffering } from './describe-world';
import {
  edgeTier as edgeTierOf,
  lbRule,
  phasesOf as phasesOfJob,
  RULE_SERVICES,
  reconcileDrift,
} from './edge';
import { vendorError } from './faults';
import { waitForJob } from './world';

const ssh = {
  protocol: 'tcp' as const,
  publicPortStart: 2222,
  publicPortEnd: 2222,
  privatePortStart: 22,
  privatePortEnd: 22,
};

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

describeWorld('port forwarding rules', { controllers: [{ timeoutMs: 400 }] }, (world) => {
  let offeringId = '';
  let net = 80;
  beforeAll(async () => {
    offeringId = await simulatorOffering(world.w, RULE_SERVICES);
    const gateway = '198.51.100.1';
    await publicIpsRepo.insertRange(
      world.w.db.db,
      {
        id: randomUUID(),
        cidr: '198.51.100.0/24',
        gateway,
        vlan: null,
        zoneId: world.w.zoneId,
        physicalNetworkId: world.w.physicalNetworkId,
        startIp: '198.51.100.10',
        endIp: '198.51.100.250',
        startNum: ipv4ToInt('198.51.100.10') ?? 0,
        endNum: ipv4ToInt('198.51.100.250') ?? 0,
        gatewayNum: ipv4ToInt(gateway) ?? 0,
      },
      Date.now(),
    );
  });

  /** A VPC with one implemented tier, `count` Reserved NICs and one acquired (User) public IP. */
  async function edgeTier(count: number) {
    const edge = await edgeTierOf(world.engine, {
      zoneId: world.w.zoneId,
      vpcOfferingId: world.w.vpcOfferingId,
      offeringId,
      net: ++net,
      count,
    });
    const ip = await acquire(edge.vpc.id);
    return { ...edge, ip, nic: edge.nics[0] as (typeof edge.nics)[number] };
  }
  async function acquire(vpcId: string) {
    const r = await publicIpsRepo.acquirePublicIp(world.w.db.db, {
      zoneId: world.w.zoneId,
      vpcId,
      purpose: 'User',
      acquiredBy: 't',
      now: Date.now(),
    });
    if (!r.ok) throw new Error(`no public IP: ${r.reason}`);
    return r.ip;
  }
  const phasesOf = (jobId: string) => phasesOfJob(world.engine, jobId);
  const pf = () => world.engine.portForwarding;
  const list = async (vpcId: string) => (await pf().list({ vpcId, limit: 50 })).items;

  it('applies a rule (Active, one apply call with the v1 spec), pages the list and deletes it (revoke call, row gone)', async () => {
    const { vpc, ip, nic } = await edgeTier(1);
    const input = { ...ssh, publicIpId: ip.id, nicId: nic.id, publicPortEnd: 2224, privatePortEnd: 24 };
    const { rule, jobId } = await pf().create(input, 't');
    expect(rule).toMatchObject({
      state: 'Add',
      publicIp: ip.address,
      privateIp: nic.ip,
      vmName: nic.vmName,
      jobId,
    });
    expect((await waitForJob(world.engine, jobId)).state).toBe('succeeded');
    expect(await phasesOf(jobId)).toEqual(['apply:portForward:ok']);
    const [call] = await world.engine.listCalls({ jobId });
    expect((call?.request as { rule: unknown } | undefined)?.rule).toEqual({
      version: 1,
      ruleId: rule.id,
      vpcId: vpc.id,
      networkId: rule.networkId,
      nicId: nic.id,
      publicIp: ip.address,
      privateIp: nic.ip,
      protocol: 'tcp',
      publicPortStart: 2222,
      publicPortEnd: 2224,
      privatePortStart: 22,
      privatePortEnd: 24,
    });
    const udp = await pf().create({ ...ssh, protocol: 'udp', publicIpId: ip.id, nicId: nic.id }, 't');
    await waitForJob(world.engine, udp.jobId);
    const first = await pf().list({ vpcId: vpc.id, limit: 1 });
    expect(first).toMatchObject({ total: 2, items: [{ id: rule.id, state: 'Active' }] });
    expect(first.nextCursor).not.toBeNull();
    const second = await pf().list({ vpcId: vpc.id, limit: 1, cursor: first.nextCursor ?? '' });
    expect(second).toMatchObject({ nextCursor: null, items: [{ id: udp.rule.id }] });

    const del = await pf().delete(rule.id, 't');
    expect((await list(vpc.id)).find((r) => r.id === rule.id)?.state).toBe('Revoke');
    expect((await waitForJob(world.engine, del.jobId)).state).toBe('succeeded');
    expect(await phasesOf(del.jobId)).toEqual(['revoke:portForward:ok']);
    expect((await list(vpc.id)).map((r) => r.id)).toEqual([udp.rule.id]);
  });

  it('refuses overlapping ranges, a static NAT address, an LB port and another VPC’s address with a reason; static NAT and LB refuse it back', async () => {
    const { vpc, tier, ip, nic } = await edgeTier(2);
    const { jobId } = await pf().create(
      { ...ssh, publicIpId: ip.id, nicId: nic.id, publicPortEnd: 2230, privatePortEnd: 30 },
      't',
    );
    await waitForJob(world.engine, jobId);
    const overlap = await rejection(
      pf().create(
        {
          ...ssh,
          publicIpId: ip.id,
          nicId: nic.id,
          publicPortStart: 2230,
          publicPortEnd: 2231,
          privatePortEnd: 23,
        },
        't',
      ),
    );
    expect(overlap).toMatchObject({ code: 'CONFLICT', details: { reason: 'PORT_RANGE_OVERLAP' } });
    // The next port and the other protocol are free.
    const next = await pf().create(
      { ...ssh, publicIpId: ip.id, nicId: nic.id, publicPortStart: 2231, publicPortEnd: 2231 },
      't',
    );
    await waitForJob(world.engine, next.jobId);
    // Static NAT and LB rules name the address by its string.
    const nat = await rejection(world.engine.enableStaticNat({ nicId: nic.id, publicIpId: ip.id }, 't'));
    expect(nat).toMatchObject({ code: 'CONFLICT', details: { reason: 'PUBLIC_IP_IN_USE' } });
    const lbOnPort = lbRule(tier.id, 'ssh', ip.id, [nic.id], { publicPort: 2225, privatePort: 22 });
    expect(await rejection(world.engine.createLbRule(lbOnPort, 't'))).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'PUBLIC_IP_IN_USE' },
    });
    const lb = await world.engine.createLbRule({ ...lbOnPort, publicPort: 80, privatePort: 80 }, 't');
    await waitForJob(world.engine, lb.jobId);
    const onLb = await rejection(
      pf().create(
        {
          ...ssh,
          publicIpId: ip.id,
          nicId: nic.id,
          publicPortStart: 80,
          publicPortEnd: 80,
          privatePortStart: 80,
          privatePortEnd: 80,
        },
        't',
      ),
    );
    expect(onLb).toMatchObject({ code: 'CONFLICT', details: { reason: 'LB_PORT_OVERLAP' } });

    const natIp = await acquire(vpc.id);
    const natted = await world.engine.enableStaticNat({ nicId: nic.id, publicIpId: natIp.id }, 't');
    await waitForJob(world.engine, natted.jobId);
    expect(await rejection(pf().create({ ...ssh, publicIpId: natIp.id, nicId: nic.id }, 't'))).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'PUBLIC_IP_STATIC_NAT' },
    });

    const other = await edgeTier(1);
    expect(
      await rejection(pf().create({ ...ssh, publicIpId: other.ip.id, nicId: nic.id }, 't')),
    ).toMatchObject({
      code: 'BAD_INPUT',
      details: { reason: 'PUBLIC_IP_OTHER_VPC' },
    });
    expect(
      await rejection(pf().create({ ...ssh, publicIpId: randomUUID(), nicId: nic.id }, 't')),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets exactly one of two racing creates of overlapping ranges commit', async () => {
    const { vpc, ip, nics } = await edgeTier(2);
    const [a, b] = nics as [(typeof nics)[number], (typeof nics)[number]];
    const results = await Promise.allSettled([
      pf().create({ ...ssh, publicIpId: ip.id, nicId: a.id }, 't'),
      pf().create({ ...ssh, publicIpId: ip.id, nicId: b.id }, 't'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    expect(await list(vpc.id)).toHaveLength(1);
  });

  it('writes no rule when its apply job cannot be written, and keeps an Active rule when its revoke job cannot', async () => {
    const { vpc, ip, nic } = await edgeTier(1);
    const restore = await failInsertsInto(world.w.db, 'jobs');
    try {
      await expect(pf().create({ ...ssh, publicIpId: ip.id, nicId: nic.id }, 't')).rejects.toThrow(
        /injected/,
      );
    } finally {
      await restore();
    }
    expect(await list(vpc.id)).toEqual([]);
    const { rule, jobId } = await pf().create({ ...ssh, publicIpId: ip.id, nicId: nic.id }, 't');
    await waitForJob(world.engine, jobId);
    const before = await list(vpc.id);
    expect(before[0]).toMatchObject({ id: rule.id, state: 'Active', jobId });
    const again = await failInsertsInto(world.w.db, 'jobs');
    try {
      await expect(pf().delete(rule.id, 't')).rejects.toThrow(/injected/);
    } finally {
      await again();
    }
    expect(await list(vpc.id)).toEqual(before);
  });

  it('puts a rule whose apply fails in Error with a diagnosis; retry makes it Active', async () => {
    const { vpc, ip, nic } = await edgeTier(1);
    const controllerId = world.w.controllerIds[0] as string;
    await world.w.hub.injectFault(
      controllerId,
      vendorError('PF-TABLE-FULL', 'forwarding table is full', 'apply', 'pf'),
    );
    const { rule, jobId } = await pf().create({ ...ssh, publicIpId: ip.id, nicId: nic.id }, 't');
    expect((await waitForJob(world.engine, jobId)).state).toBe('failed');
    const [failed] = await list(vpc.id);
    expect(failed).toMatchObject({ id: rule.id, state: 'Error' });
    expect(failed?.lastError).toMatch(/^VENDOR_ERROR: /);
    const diagnoses = await diagnosesRepo.listOpenForTarget(world.w.db.db, 'portForward', rule.id);
    expect(diagnoses).toHaveLength(1);
    expect(diagnoses[0]).toMatchObject({ vpcId: vpc.id, jobId });
    expect(diagnoses[0]?.actions).toContain('retry');
    const retry = await pf().retry(rule.id, 't');
    expect((await waitForJob(world.engine, retry.jobId)).state).toBe('succeeded');
    expect((await list(vpc.id))[0]).toMatchObject({ state: 'Active', lastError: null });
    expect(await rejection(pf().retry(rule.id, 't'))).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('finds a forward deleted or altered behind its back (Synced=False) and repairs it by applying it again', async () => {
    const { vpc, ip, nic } = await edgeTier(1);
    const { rule, jobId } = await pf().create({ ...ssh, publicIpId: ip.id, nicId: nic.id }, 't');
    await waitForJob(world.engine, jobId);
    const clean = await waitForJob(world.engine, (await world.engine.reconcile(vpc.id, 't')).jobId);
    expect(clean.result).toMatchObject({ inSync: true, drift: [] });
    const controllerId = world.w.controllerIds[0] as string;
    world.w.hub.tamper(controllerId, { action: 'delete', kind: 'pf', id: rule.id });
    expect(await reconcileDrift(world.engine, vpc.id)).toEqual([
      expect.objectContaining({ kind: 'missing', resource: 'pf', id: rule.id, networkId: rule.networkId }),
    ]);
    const repaired = await waitForJob(world.engine, (await world.engine.repair(vpc.id, 't')).jobId);
    expect(repaired.result).toMatchObject({ inSync: true, remaining: [] });
    expect(await phasesOf(repaired.id)).toContain('apply:portForward:ok');
    world.w.hub.tamper(controllerId, {
      action: 'alter',
      kind: 'pf',
      id: rule.id,
      attributes: { privatePorts: '2022-2022' },
    });
    expect(await reconcileDrift(world.engine, vpc.id)).toEqual([
      expect.objectContaining({ kind: 'different', resource: 'pf', id: rule.id }),
    ]);
    const again = await waitForJob(world.engine, (await world.engine.repair(vpc.id, 't')).jobId);
    expect(again.result).toMatchObject({ inSync: true, remaining: [] });
  });

  it('revokes a released NIC’s rules in the release job, and every rule of a tier before destroying it', async () => {
    const { vpc, tier, ip, nics } = await edgeTier(2);
    const [a, b] = nics as [(typeof nics)[number], (typeof nics)[number]];
    for (const [nic, port] of [
      [a, 2222],
      [b, 2223],
    ] as const) {
      const r = await pf().create(
        { ...ssh, publicIpId: ip.id, nicId: nic.id, publicPortStart: port, publicPortEnd: port },
        't',
      );
      await waitForJob(world.engine, r.jobId);
    }
    const release = await world.engine.releaseNics([a.id], 't');
    expect((await waitForJob(world.engine, release.jobId)).state).toBe('succeeded');
    expect(await phasesOf(release.jobId)).toEqual(['revoke:portForward:ok', 'release:nic:ok']);
    expect((await list(vpc.id)).map((r) => r.nicId)).toEqual([b.id]);
    const destroy = await world.engine.destroyTier(tier.id, 't');
    expect((await waitForJob(world.engine, destroy.jobId)).state).toBe('succeeded');
    expect((await phasesOf(destroy.jobId))[0]).toBe('revoke:portForward:ok');
    expect(await list(vpc.id)).toEqual([]);
  });
});
