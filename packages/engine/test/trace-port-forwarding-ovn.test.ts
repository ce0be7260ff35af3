// Port forwarding proven by OVN's own pipeline (both dialects): the engine creates forwards on an acquired address of
// a VPC implemented behind its OVN gateway (the world of trace-gateway-ovn), ovn-northd compiles the rule's
// one-backend Load_Balancer, and ovn-trace --ct=new sends packets through it. A packet from the public network or
// from another tier to public-ip:443 reaches exactly the forwarded NIC, its port rewritten to the private one; a port
// of the address that no rule forwards does not reach that NIC; a second forward of the same address to another NIC
// sends its own port there, also from the rule's own tier; after the rule's delete nothing is forwarded any more.
import { expect, it } from 'vitest';
import { describeGatewayWorld, type Nic, toNic } from './trace-gateway';
import { waitForJob } from './world';

describeGatewayWorld('port forwarding through the VPC gateway', 191, (gw) => {
  const { ovn } = gw;

  async function forward(publicIpId: string, nic: Nic, publicPort: number, privatePort: number) {
    const { rule, jobId } = await ovn.engine.portForwarding.create(
      {
        publicIpId,
        nicId: nic.id,
        protocol: 'tcp',
        publicPortStart: publicPort,
        publicPortEnd: publicPort,
        privatePortStart: privatePort,
        privatePortEnd: privatePort,
      },
      't',
    );
    expect((await waitForJob(ovn.engine, jobId)).state).toBe('succeeded');
    return rule;
  }

  it('forwards public-ip:443 from outside and from another tier to one NIC on its private port, and only that port', async () => {
    const { vpc, webNics, appNics, fromNic, fromOutside } = await gw.vpc(2, 1);
    const [a, b] = webNics as [Nic, Nic];
    const [c] = appNics as [Nic];
    const ip = await gw.acquire(vpc.id);
    const rule = await forward(ip.id, a, 443, 8443);

    for (const packet of [fromOutside(ip.address, 443), fromNic(c, ip.address, 443)]) {
      const t = await gw.trace(packet);
      expect(t.lbBackends, t.why).toEqual([`${a.ip}:8443`]);
      expect(t.delivered, t.why).toEqual(toNic(a));
    }
    // A port of the address that no rule forwards is not translated, and never reaches the NIC.
    const other = await gw.trace(fromOutside(ip.address, 22));
    expect(other.lbBackends, other.why).toBeUndefined();
    expect(other.delivered, other.why).not.toContainEqual(toNic(a)[0]);

    // A second forward of the same address, another port, another NIC: each port goes to its own NIC.
    await forward(ip.id, b, 8080, 80);
    const second = await gw.trace(fromOutside(ip.address, 8080));
    expect(second.lbBackends, second.why).toEqual([`${b.ip}:80`]);
    expect(second.delivered, second.why).toEqual(toNic(b));
    // From the rule's own tier the tier switch's copy of the balancer forwards it, before any routing.
    const first = await gw.trace(fromNic(b, ip.address, 443));
    expect(first.switchLbBackends, first.why).toEqual([`${a.ip}:8443`]);
    expect(first.delivered, first.why).toEqual(toNic(a));

    // Deleted: the address's port 443 forwards nowhere any more.
    const del = await ovn.engine.portForwarding.delete(rule.id, 't');
    expect((await waitForJob(ovn.engine, del.jobId)).state).toBe('succeeded');
    const after = await gw.trace(fromOutside(ip.address, 443));
    expect(after.lbBackends, after.why).toBeUndefined();
    expect(after.delivered, after.why).not.toContainEqual(toNic(a)[0]);
  });
});
