// The VPC's way out and in, proven by OVN's own pipeline: the engine implements tiers whose offering has SourceNat,
// StaticNat and Lb on a real OVN Northbound with a gateway chassis configured (and registered in the Southbound
// database), ovn-northd compiles the gateway into logical flows, and ovn-trace --ct=new sends packets through them
// (both dialects). Egress leaves the gateway's localnet port with the VPC's source-NAT address as source; the public
// network and another tier reach a static-NAT NIC (destination rewritten) and an LB VIP's members, never a released
// one; a deleted gateway port is drift that the repair rebuilds; after release and destroy no Northbound row and no
// Southbound flow, port or datapath of ours is left.
import { names } from '@netplane/adapter-ovn';
import { publicIpsRepo } from '@netplane/db';
import { expect, it } from 'vitest';
import type { Drift } from '../src/index';
import { lbRule } from './edge';
import { findNb } from './ovn-world';
import {
  acquireFor,
  describeGatewayWorld,
  dnatTargetOf,
  explain,
  fromNic,
  fromOutside,
  gatewayVpc,
  lbBackendsOf,
  learnUpstreamMac,
  type Nic,
  northdOf,
  ourFlows,
  ourNbRows,
  PUBLIC,
  snatSourceOf,
  toNic,
  toPublic,
  trace,
} from './trace-gateway';
import { waitForJob } from './world';

describeGatewayWorld('the VPC gateway', (ovn) => {
  let net = 170;
  const acquire = (vpcId: string) => acquireFor(ovn, vpcId);
  const vpcWithTiers = (web: number, app: number) => gatewayVpc(ovn, ++net, web, app);

  it('sends egress from a NIC out of the gateway port with the VPC source-NAT address as source', async () => {
    const { vpc, webTier, appTier, webNics, appNics, snat } = await vpcWithTiers(1, 1);
    expect(snat).toMatch(/^203\.0\.113\.(\d+)$/);
    for (const [tierId, nic] of [
      [webTier.id, webNics[0]],
      [appTier.id, appNics[0]],
    ] as const) {
      if (!nic) throw new Error('nic');
      const v = await trace(ovn, fromNic(tierId, nic, '8.8.8.8'));
      expect(v.delivered, explain(v)).toEqual(toPublic(vpc.id));
      expect(snatSourceOf(v), explain(v)).toBe(snat);
    }
    // The gateway port holds that address on the range's prefix, and routes by default to the range's gateway.
    const routes = await ovn.server.nbctl(['lr-route-list', names.router(vpc.id)]);
    expect(routes).toMatch(new RegExp(`0\\.0\\.0\\.0/0\\s+${PUBLIC.gateway.replaceAll('.', '\\.')}`));
    const networks = await findNb(
      ovn,
      'Logical_Router_Port',
      'networks',
      `name=${names.gatewayPort(vpc.id)}`,
    );
    expect(networks.trim()).toBe(`${snat}/24`);
  });

  it('delivers traffic to a static-NAT address from outside and from another tier to its NIC, and its egress leaves as that address', async () => {
    const { vpc, webTier, webNics, appTier, appNics, snat } = await vpcWithTiers(2, 1);
    const [a, b] = webNics as [Nic, Nic];
    const [c] = appNics as [Nic];
    const acquired = await acquire(vpc.id);
    const ip = acquired.address;
    const { jobId } = await ovn.engine.enableStaticNat({ nicId: b.id, publicIpId: acquired.id }, 't');
    expect((await waitForJob(ovn.engine, jobId)).state).toBe('succeeded');

    const inbound = await trace(ovn, fromOutside(vpc.id, ip, 22));
    expect(inbound.delivered, explain(inbound)).toEqual(toNic(b));
    expect(dnatTargetOf(inbound), explain(inbound)).toBe(b.ip);
    const fromApp = await trace(ovn, fromNic(appTier.id, c, ip, 22));
    expect(fromApp.delivered, explain(fromApp)).toEqual(toNic(b));
    expect(dnatTargetOf(fromApp), explain(fromApp)).toBe(b.ip);
    // b goes out as its own public address; a, without static NAT, as the VPC's.
    const outB = await trace(ovn, fromNic(webTier.id, b, '8.8.8.8'));
    expect(outB.delivered, explain(outB)).toEqual(toPublic(vpc.id));
    expect(snatSourceOf(outB), explain(outB)).toBe(ip);
    expect(snatSourceOf(await trace(ovn, fromNic(webTier.id, a, '8.8.8.8')))).toBe(snat);

    // Disabled: no rewrite any more, and the packet no longer reaches b (the router ARPs for an on-link address).
    const [rule] = await ovn.engine.listStaticNat(vpc.id);
    if (!rule) throw new Error('no static NAT');
    expect(
      (await waitForJob(ovn.engine, (await ovn.engine.disableStaticNat(rule.id, 't')).jobId)).state,
    ).toBe('succeeded');
    const after = await trace(ovn, fromOutside(vpc.id, ip, 22));
    expect(dnatTargetOf(after), explain(after)).toBeUndefined();
    expect(after.delivered, explain(after)).not.toContainEqual(toNic(b)[0]);
  });

  it('balances an LB VIP over its members from outside and from another tier, never to a released member', async () => {
    const { vpc, webTier, webNics, appTier, appNics } = await vpcWithTiers(2, 1);
    const [a, b] = webNics as [Nic, Nic];
    const [c] = appNics as [Nic];
    const acquired = await acquire(vpc.id);
    const vip = acquired.address;
    const algorithm = (await ovn.engine.publicServiceOptions(webTier.id)).lb?.algorithms[0];
    if (!algorithm) throw new Error('the OVN provider offers no Lb algorithm');
    const created = await ovn.engine.createLbRule(
      lbRule(webTier.id, 'web-80', acquired.id, [a.id, b.id], { privatePort: 8080, algorithm }),
      't',
    );
    expect((await waitForJob(ovn.engine, created.jobId)).state).toBe('succeeded');

    const members = [a, b].map((n) => `${n.ip}:8080`).sort();
    for (const packet of [fromOutside(vpc.id, vip), fromNic(appTier.id, c, vip)]) {
      const v = await trace(ovn, packet);
      expect(lbBackendsOf(v)?.sort(), explain(v)).toEqual(members);
      expect([toNic(a), toNic(b)], explain(v)).toContainEqual(v.delivered);
    }

    // Releasing b shrinks the rule in the release job: the VIP's backends are a alone, and the trace ends at a.
    const released = await ovn.engine.releaseNics([b.id], 't');
    expect((await waitForJob(ovn.engine, released.jobId)).state).toBe('succeeded');
    for (const packet of [fromOutside(vpc.id, vip), fromNic(appTier.id, c, vip)]) {
      const v = await trace(ovn, packet);
      expect(lbBackendsOf(v), explain(v)).toEqual([`${a.ip}:8080`]);
      expect(v.delivered, explain(v)).toEqual(toNic(a));
    }
  });

  it('sees a deleted gateway port as drift of the tiers using it, and the repair gives egress its way out again', async () => {
    const { vpc, webTier, webNics, snat } = await vpcWithTiers(1, 1);
    const [a] = webNics as [Nic];
    await ovn.server.nbctl(['lrp-del', names.gatewayPort(vpc.id)]);
    const cut = await trace(ovn, fromNic(webTier.id, a, '8.8.8.8'));
    expect(cut.delivered, explain(cut)).toEqual([]);

    const drifted = await waitForJob(ovn.engine, (await ovn.engine.reconcile(vpc.id, 't')).jobId);
    const drift = (drifted.result as { drift: Drift[] }).drift;
    expect(drift).toContainEqual(
      expect.objectContaining({
        kind: 'different',
        resource: 'network',
        id: webTier.id,
        message: expect.stringContaining(`gateway port ${names.gatewayPort(vpc.id)}`),
      }),
    );
    const repaired = await waitForJob(ovn.engine, (await ovn.engine.repair(vpc.id, 't')).jobId);
    expect(repaired.result).toMatchObject({ inSync: true, remaining: [] });
    await learnUpstreamMac(ovn, vpc.id);
    const back = await trace(ovn, fromNic(webTier.id, a, '8.8.8.8'));
    expect(back.delivered, explain(back)).toEqual(toPublic(vpc.id));
    expect(snatSourceOf(back), explain(back)).toBe(snat);
  });

  it('leaves no Northbound row and no Southbound flow, port or datapath of ours after release and destroy', async () => {
    const { vpc, webTier, appTier, webNics, appNics } = await vpcWithTiers(1, 1);
    const [a] = webNics as [Nic];
    const nat = await ovn.engine.enableStaticNat(
      { nicId: a.id, publicIpId: (await acquire(vpc.id)).id },
      't',
    );
    expect((await waitForJob(ovn.engine, nat.jobId)).state).toBe('succeeded');
    const northd = northdOf(ovn);
    await northd.sync();
    const tierIds = [webTier.id, appTier.id];
    const nicIds = [...webNics, ...appNics].map((n) => n.id);
    // Before: the gateway is there and northd made flows of it (so the "none left" below can fail).
    expect(await ourNbRows(ovn, vpc.id)).toEqual(
      expect.arrayContaining([
        'Logical_Router_Port',
        'Logical_Router_Static_Route',
        'Gateway_Chassis',
        'NAT',
      ]),
    );
    const before = await ourFlows(ovn, vpc.id, tierIds, nicIds);
    expect(before).toContain(`port cr-${names.gatewayPort(vpc.id)}`);
    expect(before).toContain(`mac ${names.gatewayPort(vpc.id)}`);

    for (const nics of [webNics, appNics]) {
      const released = await ovn.engine.releaseNics(
        nics.map((n) => n.id),
        't',
      );
      expect((await waitForJob(ovn.engine, released.jobId)).state).toBe('succeeded');
    }
    const destroyed = await ovn.engine.destroyVpc(vpc.id, 't');
    expect((await waitForJob(ovn.engine, destroyed.jobId)).state).toBe('succeeded');

    expect(await ourNbRows(ovn, vpc.id)).toEqual([]);
    await northd.sync();
    expect(await ourFlows(ovn, vpc.id, tierIds, nicIds)).toEqual([]);
    // And the VPC's address went back to the range.
    expect(await publicIpsRepo.listPublicIpsOfVpc(ovn.w.db.db, vpc.id)).toEqual([]);
  });
});
