// Hairpin NAT on a real router host, with packets: VMs reaching their own VPC's public IPs from inside (a static NAT's
// IP from a VM of the same tier, from the VM it maps to, from another tier; a port forward of the source-NAT address),
// while a client on the public side still reaches the VM with its own address.
import { randomUUID } from 'node:crypto';
import {
  type NetworkSpec,
  type NicSpec,
  PORT_FORWARDING_SPEC_VERSION,
  type VpcSpec,
} from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { attachVm, connect, dhcp, listen } from '../src/testing';
import { ctx, useHost } from './fixtures';

const h = useHost('hairpin', 114);

const SNAT_IP = '203.0.114.2';
const STATIC_IP = '203.0.114.50';

function tier(v: VpcSpec, third: number, segmentId: number): NetworkSpec {
  return {
    vpcId: v.vpcId,
    networkId: randomUUID(),
    name: `t${third}`,
    cidr: `10.8.${third}.0/24`,
    gateway: `10.8.${third}.1`,
    isolation: { method: 'VLAN', segmentId },
    services: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'PortForwarding'],
    sourceNatIp: SNAT_IP,
    publicNetwork: { cidr: '203.0.114.0/24', gateway: '203.0.114.1', vlan: null },
    dhcp: { dnsServers: [], dnsDomain: null, physicalMtu: 1500 },
  };
}
const nic = (n: NetworkSpec, host: number): NicSpec => ({
  nicId: randomUUID(),
  networkId: n.networkId,
  vpcId: n.vpcId,
  mac: `02:00:08:${n.cidr.split('.')[2]?.padStart(2, '0')}:00:${host.toString(16).padStart(2, '0')}`,
  ip: `${n.cidr.split('.').slice(0, 3).join('.')}.${host}`,
  vmName: `vm-${host}`,
});

describe('hairpin NAT', () => {
  it("reaches the VPC's own static NAT and port forward from inside, the public side keeping its address", async () => {
    const v: VpcSpec = { vpcId: randomUUID(), name: 'hairpin', cidr: '10.8.0.0/16' };
    const [web, db] = [tier(v, 1, h.vlan), tier(v, 2, h.vlan + 1)];
    await h.el.implementVpc(v, ctx());
    await h.el.implementNetwork(web, ctx());
    await h.el.implementNetwork(db, ctx());
    const [w1, w2, d1] = [nic(web, 10), nic(web, 11), nic(db, 10)];
    await h.el.prepareNics([w1, w2, d1], ctx());
    const vms = new Map<NicSpec, string>();
    for (const [i, n] of [w1, w2, d1].entries()) {
      const ns = await attachVm(h.prefix, h.names.nicPeer(n.nicId), `h${i}`);
      expect((await dhcp(ns, h.names.nicPeer(n.nicId), h.work)).ip).toBe(n.ip);
      vms.set(n, ns);
    }
    const vm = (n: NicSpec) => vms.get(n) as string;
    const atW1 = await listen(vm(w1), 8000, 'w1');
    const atW2 = await listen(vm(w2), 8000, 'w2');
    h.keep(atW1);
    h.keep(atW2);

    const rule = { ruleId: randomUUID(), vpcId: v.vpcId, networkId: web.networkId, nicId: w2.nicId };
    await h.el.applyStaticNat?.({ ...rule, publicIp: STATIC_IP, privateIp: w2.ip }, ctx());
    await h.el.applyPortForwarding?.(
      {
        version: PORT_FORWARDING_SPEC_VERSION,
        ruleId: randomUUID(),
        vpcId: v.vpcId,
        networkId: web.networkId,
        nicId: w1.nicId,
        publicIp: SNAT_IP,
        protocol: 'tcp',
        publicPortStart: 2222,
        publicPortEnd: 2222,
        privateIp: w1.ip,
        privatePortStart: 8000,
        privatePortEnd: 8000,
      },
      ctx(),
    );

    // From the public side first: w2 sees the client's own address, not the router's.
    expect(await connect(h.pub.ns, STATIC_IP, 8000)).toBe('w2');
    expect(atW2.peers).toEqual([h.pub.gateway]);
    // A VM of the same tier: without hairpin, w2 would answer w1 straight over the bridge from its private address.
    expect(await connect(vm(w1), STATIC_IP, 8000)).toBe('w2');
    // The VM its own public IP maps to.
    expect(await connect(vm(w2), STATIC_IP, 8000)).toBe('w2');
    // Another tier of the VPC (routed both ways through the router: the reply is un-NATed anyway).
    expect(await connect(vm(d1), STATIC_IP, 8000)).toBe('w2');
    // A port forward of the source-NAT address, from the tier of the VM it forwards to.
    expect(await connect(vm(w2), SNAT_IP, 2222)).toBe('w1');
    // Hairpinned flows arrive from the router's address on the VM's tier.
    expect(atW2.peers.slice(1)).toEqual([web.gateway, web.gateway, web.gateway]);
    expect(atW1.peers).toEqual([web.gateway]);
  });
});
