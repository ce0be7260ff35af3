// What the network does, proven by OVN's own pipeline: the engine implements tiers and prepares NICs on a real OVN
// Northbound, ovn-northd compiles the rows into Southbound logical flows, and ovn-trace --ct=new sends packets through
// them (both dialects). Same-tier NIC to NIC is delivered; a spoofed source IP or MAC is dropped by port security; a
// DHCPDISCOVER is answered with router, lease time, MTU (per isolation method) and the zone's DNS settings; after the
// NICs are released and the VPC destroyed, no Northbound row and no logical flow of ours is left.
import { names, routerPortMac } from '@netplane/adapter-ovn';
import { physicalNetworksRepo, zonesRepo } from '@netplane/db';
import { DEFAULT_ZONE_DNS_SERVERS } from '@netplane/domain';
import { beforeAll, expect, it } from 'vitest';
import { implementWithNics } from './edge';
import { describeOvnWorld, findNb } from './ovn-world';
import {
  dhcpDiscover,
  explain,
  northdOf,
  ourFlows,
  ourNbRows,
  TRACE_PROVIDER,
  tcp,
  trace,
  two,
} from './trace-support';
import { waitForJob } from './world';

const PROVIDER = TRACE_PROVIDER;

describeOvnWorld('packets through OVN', PROVIDER, (ovn) => {
  let net = 140;

  async function tierWithNics(count: number, isolation?: 'GENEVE') {
    net += 1;
    const vpc = await ovn.engine.createVpc(
      { name: `vpc-${net}`, zoneId: ovn.w.zoneId, offeringId: ovn.vpcOfferingId, cidr: `10.${net}.0.0/16` },
      't',
    );
    const offeringId = isolation
      ? await ovn.w.addOffering({
          kind: 'network',
          isolation,
          services: Object.fromEntries(PROVIDER.services.map((s) => [s, 'ovn'])),
        })
      : ovn.offeringId;
    const tier = await ovn.engine.createTier(
      { vpcId: vpc.id, name: 'web', offeringId, cidr: `10.${net}.1.0/24` },
      't',
    );
    const nics = await implementWithNics(ovn.engine, tier.id, count);
    return { vpc, tier, nics };
  }

  it('delivers TCP from one NIC to another of the same tier', async () => {
    const { tier, nics } = await tierWithNics(2);
    const [a, b] = two(nics);
    const v = await trace(ovn, tcp(tier.id, a, b));
    expect(v.delivered, explain(v)).toEqual([{ port: names.nicPort(b.id), type: '' }]);
    // and back (each NIC's port security holds its own addresses only)
    const back = await trace(ovn, tcp(tier.id, b, a));
    expect(back.delivered, explain(back)).toEqual([{ port: names.nicPort(a.id), type: '' }]);
  });

  it('drops a spoofed source IP and a spoofed source MAC at ingress port security', async () => {
    const { tier, nics } = await tierWithNics(2);
    const [a, b] = two(nics);
    const spoofedIp = await trace(ovn, tcp(tier.id, a, b, { ip4Src: b.ip }));
    expect(spoofedIp.delivered, explain(spoofedIp)).toEqual([]);
    expect(spoofedIp.dropped, explain(spoofedIp)).toMatchObject({
      stage: 'ls_in_apply_port_sec',
      why: 'drop;',
    });
    const spoofedMac = await trace(ovn, tcp(tier.id, a, b, { ethSrc: '02:de:ad:be:ef:01' }));
    expect(spoofedMac.delivered, explain(spoofedMac)).toEqual([]);
    expect(spoofedMac.dropped, explain(spoofedMac)).toMatchObject({ stage: 'ls_in_apply_port_sec' });
    // The same packet with the NIC's own addresses passes: the drop is the spoofing's, not the path's.
    const honest = await trace(ovn, tcp(tier.id, a, b));
    expect(honest.delivered, explain(honest)).toHaveLength(1);
  });

  /** The zone's DNS settings, as the API's zones.update would store them. */
  async function setZoneDns(dnsServers: string[], dnsDomain: string | null) {
    const zone = await zonesRepo.getZone(ovn.w.db.db, ovn.w.zoneId);
    if (!zone) throw new Error('zone');
    expect(
      await zonesRepo.updateZone(ovn.w.db.db, zone.id, zone.version, { dnsServers, dnsDomain }, Date.now()),
    ).toBe(true);
  }

  beforeAll(async () => {
    // The world's physical network has VLAN and VXLAN; OVN's overlay is Geneve, so let it carry Geneve tiers too.
    const pn = await physicalNetworksRepo.getPhysicalNetwork(ovn.w.db.db, ovn.w.physicalNetworkId);
    if (!pn) throw new Error('physical network');
    const ok = await physicalNetworksRepo.updatePhysicalNetwork(
      ovn.w.db.db,
      pn.id,
      pn.version,
      { isolationMethods: [...pn.isolationMethods, 'GENEVE'] },
      Date.now(),
    );
    expect(ok).toBe(true);
  });

  it.each([
    // A new zone's default resolvers and MTU 1500: VLAN carries the guest frame as is.
    {
      isolation: undefined,
      mtu: '1500',
      servers: DEFAULT_ZONE_DNS_SERVERS,
      domain: null,
      dns: '{8.8.8.8, 8.8.4.4}',
    },
    // Geneve takes OVN's 58 bytes off; one resolver is a bare address; a search domain is a quoted string.
    {
      isolation: 'GENEVE' as const,
      mtu: '1442',
      servers: ['10.0.0.53'],
      domain: 'cloud.example.org',
      dns: '10.0.0.53',
    },
  ])(
    'answers a DHCPDISCOVER on a $label tier with router, lease, MTU $mtu and the zone DNS settings',
    async ({ isolation, mtu, servers, domain, dns }) => {
      await setZoneDns(servers, domain);
      const { tier, nics } = await tierWithNics(1, isolation);
      const [a] = two(nics, 1);
      const v = await trace(ovn, dhcpDiscover(tier.id, a));
      // The reply goes back out of the NIC's own port, from the router port's MAC.
      expect(v.delivered, explain(v)).toEqual([{ port: names.nicPort(a.id), type: '' }]);
      expect(v.stages.find((s) => s.stage === 'ls_in_dhcp_response')?.actions).toContain(
        `eth.src = ${routerPortMac(tier.id)};`,
      );
      expect(v.dhcpOffer, explain(v)).toEqual({
        offerip: a.ip,
        netmask: '255.255.255.0',
        router: tier.gateway,
        server_id: tier.gateway,
        lease_time: '3600',
        mtu,
        dns_server: dns,
        ...(domain ? { domain_name: `"${domain}"` } : {}),
      });
    },
  );

  it('leaves no Northbound row and no logical flow of ours after the NICs are released and the VPC destroyed', async () => {
    const { vpc, tier, nics } = await tierWithNics(2);
    const [a, b] = two(nics);
    const northd = northdOf(ovn);
    await northd.sync();
    // Before: our rows are there and northd made flows of them (so the "none left" below can fail).
    expect(await ourNbRows(ovn, vpc.id)).toEqual(
      expect.arrayContaining(['Logical_Switch', 'DHCP_Options', 'ACL']),
    );
    expect(await ourFlows(ovn, vpc.id, [tier.id], [a.id, b.id])).not.toEqual([]);

    const released = await ovn.engine.releaseNics([a.id, b.id], 't');
    expect((await waitForJob(ovn.engine, released.jobId)).state).toBe('succeeded');
    const destroyed = await ovn.engine.destroyVpc(vpc.id, 't');
    expect((await waitForJob(ovn.engine, destroyed.jobId)).state).toBe('succeeded');

    expect(await ourNbRows(ovn, vpc.id)).toEqual([]);
    await northd.sync();
    expect(await ourFlows(ovn, vpc.id, [tier.id], [a.id, b.id])).toEqual([]);
    // And the packet that was delivered before finds no datapath any more.
    const gone = await findNb(ovn, 'Logical_Switch', 'name', `name=${names.switch(tier.id)}`);
    expect(gone.trim()).toBe('');
  });
});
