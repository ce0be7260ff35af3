// The acquired public IP a static NAT or LB rule takes, through createCaller on both dialects with the real engine and
// the simulator: another VPC's, one not acquired, the source-NAT address (static NAT), one already used are refused;
// LB rules share one on other ports; releasing a used address is refused naming the rule; publicServices.options
// lists the addresses with their rules; a static NAT and an LB rule racing for one address: exactly one wins.
import { randomUUID } from 'node:crypto';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type EdgeApi,
  failure,
  STALL_MS,
  startEdgeApi,
  stopEdgeApi,
  tierWithNics as tierWithNicsOf,
} from './edge-fixture';
import { type TestDeps, waitDone } from './fixtures';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe.each(testDialects())('rule addresses API on %s', (dialect) => {
  let e: EdgeApi | undefined;
  let t: TestDeps;
  let natLbOfferingId = '';
  beforeAll(async () => {
    e = await startEdgeApi(dialect, 'api-ra-test');
    ({ t, natLbOfferingId } = e);
  });
  afterAll(async () => stopEdgeApi(e));
  const tierWithNics = (cidr: string, offeringId: string, count: number) => {
    if (!e) throw new Error('not started');
    return tierWithNicsOf(e, cidr, offeringId, count);
  };

  it('takes only an acquired address of the same VPC: refuses another VPC’s, one not acquired, the source-NAT address, a used one', async () => {
    const op = t.callerAs('operator');
    const viewer = t.callerAs('viewer');
    const edge = await tierWithNics('10.35', natLbOfferingId, 3);
    const other = await tierWithNics('10.37', natLbOfferingId, 1);
    const [a, b, c] = edge.nics;
    if (!a || !b || !c) throw new Error('nics');
    const natIp = await op.publicIps.acquire({ vpcId: edge.vpc.id });
    const lbIp = await op.publicIps.acquire({ vpcId: edge.vpc.id });
    const theirs = await op.publicIps.acquire({ vpcId: other.vpc.id });
    const snat = (await viewer.publicIps.list({ vpcId: edge.vpc.id })).items.find(
      (i) => i.purpose === 'SourceNat',
    );
    if (!snat) throw new Error('the tier implement acquired no source-NAT address');
    const lb = {
      tierId: edge.tier.id,
      name: 'web-80',
      publicIpId: lbIp.id,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp' as const,
      algorithm: 'roundrobin' as const,
      nicIds: [b.id],
    };

    const otherVpc = await failure(op.staticNat.enable({ nicId: a.id, publicIpId: theirs.id }));
    expect(otherVpc).toMatchObject({ code: 'BAD_REQUEST', reason: 'PUBLIC_IP_OTHER_VPC' });
    expect(otherVpc.message).toBe(
      `Public IP ${theirs.address} is acquired by another VPC, not by VPC ${edge.vpc.name}`,
    );
    expect(await failure(op.lbRules.create({ ...lb, publicIpId: theirs.id }))).toMatchObject({
      reason: 'PUBLIC_IP_OTHER_VPC',
    });
    const notAcquired = await failure(op.staticNat.enable({ nicId: a.id, publicIpId: randomUUID() }));
    expect(notAcquired).toMatchObject({ code: 'NOT_FOUND', reason: 'PUBLIC_IP_NOT_ACQUIRED' });
    expect(notAcquired.message).toContain('acquire an address');
    expect(await failure(op.lbRules.create({ ...lb, publicIpId: randomUUID() }))).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'PUBLIC_IP_NOT_ACQUIRED',
    });
    const onSnat = await failure(op.staticNat.enable({ nicId: a.id, publicIpId: snat.id }));
    expect(onSnat).toMatchObject({ code: 'BAD_REQUEST', reason: 'PUBLIC_IP_SOURCE_NAT' });
    expect(onSnat.message).toContain(`${snat.address} is the source-NAT address of VPC ${edge.vpc.name}`);

    const first = await op.staticNat.enable({ nicId: a.id, publicIpId: natIp.id });
    expect(first.rule).toMatchObject({
      state: 'Add',
      nicId: a.id,
      publicIp: natIp.address,
      publicIpId: natIp.id,
      privateIp: a.ip,
      vmName: 'vm0',
      networkName: 'web',
    });
    const twice = await failure(op.staticNat.enable({ nicId: b.id, publicIpId: natIp.id }));
    expect(twice).toMatchObject({ code: 'CONFLICT', reason: 'PUBLIC_IP_IN_USE' });
    expect(twice.message).toBe(
      `Public IP ${natIp.address} is already used by static NAT ${natIp.address} → ${a.ip}`,
    );
    expect(await failure(op.staticNat.enable({ nicId: a.id, publicIpId: lbIp.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'NIC_HAS_STATIC_NAT',
    });
    // An LB rule never shares a static NAT's address.
    expect(await failure(op.lbRules.create({ ...lb, publicIpId: natIp.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'PUBLIC_IP_IN_USE',
    });

    const created = await op.lbRules.create(lb);
    expect(created.rule).toMatchObject({
      state: 'Add',
      publicIp: lbIp.address,
      publicIpId: lbIp.id,
      members: [{ nicId: b.id, vmName: 'vm1', ip: b.ip }],
    });
    const samePort = await failure(op.lbRules.create({ ...lb, name: 'web-80b' }));
    expect(samePort).toMatchObject({ code: 'CONFLICT', reason: 'PUBLIC_IP_IN_USE' });
    expect(samePort.message).toContain(`${lbIp.address}:80/tcp is already used by LB rule web-80`);
    // Another port on the same address is another VIP; the same name on the tier is not allowed.
    expect(await failure(op.lbRules.create({ ...lb, publicPort: 443 }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'NAME_TAKEN',
    });
    const shared = await op.lbRules.create({ ...lb, name: 'web-443', publicPort: 443, privatePort: 8443 });
    expect(shared.rule).toMatchObject({ publicIpId: lbIp.id, publicPort: 443 });
    // A static NAT never takes an LB rule's address.
    expect(await failure(op.staticNat.enable({ nicId: c.id, publicIpId: lbIp.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'PUBLIC_IP_IN_USE',
    });

    // The console's options: every address of the VPC with the rules on it.
    const { addresses } = await viewer.publicServices.options({ tierId: edge.tier.id });
    expect(addresses.map((x) => x.id).sort()).toEqual([natIp.id, lbIp.id, snat.id].sort());
    expect(addresses.find((x) => x.id === natIp.id)?.usedBy).toEqual([
      {
        kind: 'staticNat',
        id: first.rule.id,
        label: `static NAT ${natIp.address} → ${a.ip}`,
        port: null,
        portEnd: null,
        protocol: null,
      },
    ]);
    expect(addresses.find((x) => x.id === lbIp.id)?.usedBy.map((u) => [u.kind, u.port, u.protocol])).toEqual([
      ['lbRule', 80, 'tcp'],
      ['lbRule', 443, 'tcp'],
    ]);
    expect(addresses.find((x) => x.id === snat.id)).toMatchObject({ purpose: 'SourceNat', usedBy: [] });

    // Releasing an address a rule uses is refused, naming the rule(s).
    const releaseNat = await failure(op.publicIps.release({ id: natIp.id }));
    expect(releaseNat).toMatchObject({ code: 'CONFLICT', appCode: 'IN_USE' });
    expect(releaseNat.message).toBe(
      `${natIp.address} is used by static NAT ${natIp.address} → ${a.ip}; remove it first`,
    );
    const releaseLb = await failure(op.publicIps.release({ id: lbIp.id }));
    expect(releaseLb.message).toContain(
      `LB rule web-80 (${lbIp.address}:80/tcp), LB rule web-443 (${lbIp.address}:443/tcp)`,
    );

    await expect(viewer.staticNat.enable({ nicId: b.id, publicIpId: natIp.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await viewer.staticNat.list({ vpcId: edge.vpc.id })).map((r) => r.publicIp)).toEqual([
      natIp.address,
    ]);
    expect((await viewer.lbRules.list({ vpcId: edge.vpc.id })).map((r) => r.name).sort()).toEqual([
      'web-443',
      'web-80',
    ]);
    const audits = await t.db.db.selectFrom('audit_log').select(['action', 'after']).execute();
    const enable = audits.find((x) => x.action === 'staticNat.enable');
    expect(enable?.after).toContain(a.ip); // the private IP is an address, not a secret
    expect(audits.map((x) => x.action)).toEqual(
      expect.arrayContaining(['staticNat.enable', 'lbRule.create']),
    );

    // Once its static NAT is gone, the address is released.
    expect((await waitDone(t, first.jobId, STALL_MS)).state).toBe('succeeded');
    expect(
      (await waitDone(t, (await op.staticNat.disable({ id: first.rule.id })).jobId, STALL_MS)).state,
    ).toBe('succeeded');
    expect(await op.publicIps.release({ id: natIp.id })).toEqual({ ok: true });
    await waitDone(t, created.jobId, STALL_MS);
    await waitDone(t, shared.jobId, STALL_MS);
  });

  it('decides a static NAT and an LB rule racing for one address one after the other: exactly one takes it', async () => {
    const op = t.callerAs('operator');
    const edge = await tierWithNics('10.38', natLbOfferingId, 6);
    const member = edge.nics[5];
    if (!member) throw new Error('nics');
    const jobs: string[] = [];
    for (let round = 0; round < 5; round++) {
      const ip = await op.publicIps.acquire({ vpcId: edge.vpc.id });
      const results = await Promise.allSettled([
        op.staticNat.enable({ nicId: edge.nics[round]?.id ?? '', publicIpId: ip.id }),
        op.lbRules.create({
          ...{
            tierId: edge.tier.id,
            name: `race-${round}`,
            publicIpId: ip.id,
            publicPort: 80,
            privatePort: 80,
          },
          ...{ protocol: 'tcp' as const, algorithm: 'roundrobin' as const, nicIds: [member.id] },
        }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won, `round ${round}`).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(await failure(Promise.reject(lost?.reason))).toMatchObject({
        code: 'CONFLICT',
        reason: 'PUBLIC_IP_IN_USE',
      });
      const { rules } = {
        rules: (await t.callerAs('viewer').publicServices.options({ tierId: edge.tier.id })).addresses.find(
          (x) => x.id === ip.id,
        )?.usedBy,
      };
      expect(rules).toHaveLength(1);
      const first = won[0];
      if (first?.status === 'fulfilled') jobs.push(first.value.jobId);
    }
    for (const jobId of jobs) await waitDone(t, jobId, STALL_MS);
  });
});
