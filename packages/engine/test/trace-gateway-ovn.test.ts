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
  describeGatewayWorld,
  type Nic,
  northdOf,
  ourFlows,
  ourNbRows,
  PUBLIC,
  toNic,
} from './trace-gateway';
import { waitForJob } from './world';

describeGatewayWorld('the VPC gateway', 171, (gw) => {
  const { ovn } = gw;

  it('sends egress from a NIC out of the gateway port with the VPC source-NAT address as source', async () => {
    const { vpc, webNics, appNics, snat, fromNic, toPublic } = await gw.vpc(1, 1);
    expect(snat).toMatch(/^203\.0\.113\.(\d+)$/);
    for (const nic of [webNics[0], appNics[0]]) {
      if (!nic) throw new Error('nic');
      const v = await gw.trace(fromNic(nic, '8.8.8.8'));
      expect(v.delivered, v.why).toEqual(toPublic);
      expect(v.snatSource, v.why).toBe(snat);
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
    const { vpc, webNics, appNics, snat, fromNic, fromOutside, toPublic } = await gw.vpc(2, 1);
    const [a, b] = webNics as [Nic, Nic];
    const [c] = appNics as [Nic];
    const acquired = await gw.acquire(vpc.id);
    const ip = acquired.address;
    const { jobId } = await ovn.engine.enableStaticNat({ nicId: b.id, publicIpId: acquired.id }, 't');
    expect((await waitForJob(ovn.engine, jobId)).state).toBe('succeeded');

    const inbound = await gw.trace(fromOutside(ip, 22));
    expect(inbound.delivered, inbound.why).toEqual(toNic(b));
    expect(inbound.dnatTarget, inbound.why).toBe(b.ip);
    const fromApp = await gw.trace(fromNic(c, ip, 22));
    expect(fromApp.delivered, fromApp.why).toEqual(toNic(b));
    expect(fromApp.dnatTarget, fromApp.why).toBe(b.ip);
    // b goes out as its own public address; a, without static NAT, as the VPC's.
    const outB = await gw.trace(fromNic(b, '8.8.8.8'));
    expect(outB.delivered, outB.why).toEqual(toPublic);
    expect(outB.snatSource, outB.why).toBe(ip);
    expect((await gw.trace(fromNic(a, '8.8.8.8'))).snatSource).toBe(snat);

    // Disabled: no rewrite any more, and the packet no longer reaches b (the router ARPs for an on-link address).
    const [rule] = await ovn.engine.listStaticNat(vpc.id);
    if (!rule) throw new Error('no static NAT');
    expect(
      (await waitForJob(ovn.engine, (await ovn.engine.disableStaticNat(rule.id, 't')).jobId)).state,
    ).toBe('succeeded');
    const after = await gw.trace(fromOutside(ip, 22));
    expect(after.dnatTarget, after.why).toBeUndefined();
    expect(after.delivered, after.why).not.toContainEqual(toNic(b)[0]);
  });

  it('balances an LB VIP over its members from outside and from another tier, never to a released member', async () => {
    const { vpc, webTier, webNics, appNics, fromNic, fromOutside } = await gw.vpc(2, 1);
    const [a, b] = webNics as [Nic, Nic];
    const [c] = appNics as [Nic];
    const acquired = await gw.acquire(vpc.id);
    const vip = acquired.address;
    const algorithm = (await ovn.engine.publicServiceOptions(webTier.id)).lb?.algorithms[0];
    if (!algorithm) throw new Error('the OVN provider offers no Lb algorithm');
    const created = await ovn.engine.createLbRule(
      lbRule(webTier.id, 'web-80', acquired.id, [a.id, b.id], { privatePort: 8080, algorithm }),
      't',
    );
    expect((await waitForJob(ovn.engine, created.jobId)).state).toBe('succeeded');

    const members = [a, b].map((n) => `${n.ip}:8080`).sort();
    for (const packet of [fromOutside(vip), fromNic(c, vip)]) {
      const v = await gw.trace(packet);
      expect(v.lbBackends?.sort(), v.why).toEqual(members);
      expect([toNic(a), toNic(b)], v.why).toContainEqual(v.delivered);
    }

    // Releasing b shrinks the rule in the release job: the VIP's backends are a alone, and the trace ends at a.
    const released = await ovn.engine.releaseNics([b.id], 't');
    expect((await waitForJob(ovn.engine, released.jobId)).state).toBe('succeeded');
    for (const packet of [fromOutside(vip), fromNic(c, vip)]) {
      const v = await gw.trace(packet);
      expect(v.lbBackends, v.why).toEqual([`${a.ip}:8080`]);
      expect(v.delivered, v.why).toEqual(toNic(a));
    }
  });

  it('sees a deleted gateway port as drift of the tiers using it, and the repair gives egress its way out again', async () => {
    const { vpc, webTier, webNics, snat, fromNic, toPublic } = await gw.vpc(1, 1);
    const [a] = webNics as [Nic];
    await ovn.server.nbctl(['lrp-del', names.gatewayPort(vpc.id)]);
    const cut = await gw.trace(fromNic(a, '8.8.8.8'));
    expect(cut.delivered, cut.why).toEqual([]);

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
    await gw.learnUpstreamMac(vpc.id);
    const back = await gw.trace(fromNic(a, '8.8.8.8'));
    expect(back.delivered, back.why).toEqual(toPublic);
    expect(back.snatSource, back.why).toBe(snat);
  });

  it('leaves no Northbound row and no Southbound flow, port or datapath of ours after release and destroy', async () => {
    const { vpc, webTier, appTier, webNics, appNics } = await gw.vpc(1, 1);
    const [a] = webNics as [Nic];
    const nat = await ovn.engine.enableStaticNat(
      { nicId: a.id, publicIpId: (await gw.acquire(vpc.id)).id },
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
