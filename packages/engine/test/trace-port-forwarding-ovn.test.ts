// Port forwarding proven by OVN's own pipeline (both dialects): the engine creates forwards on an acquired address of
// a VPC implemented behind its OVN gateway (the world of trace-gateway-ovn), ovn-northd compiles the rule's
// one-backend Load_Balancer, and ovn-trace --ct=new sends packets through it. A packet from the public network or
// from another tier to public-ip:443 reaches exactly the forwarded NIC, its port rewritten to the private one; a port
// of the address that no rule forwards does not reach that NIC; a second forward of the same address to another NIC
// sends its own port there, also from the rule's own tier; after the rule's delete nothing is forwarded any more.
import { expect, it } from 'vitest';
import {
  acquireFor,
  describeGatewayWorld,
  explain,
  fromNic,
  fromOutside,
  gatewayVpc,
  lbBackendsOf,
  type Nic,
  switchLbBackendsOf,
  toNic,
  trace,
} from './trace-gateway';
import { waitForJob } from './world';

describeGatewayWorld('port forwarding through the VPC gateway', (ovn) => {
  let net = 190;

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
    const { vpc, webTier, appTier, webNics, appNics } = await gatewayVpc(ovn, ++net, 2, 1);
    const [a, b] = webNics as [Nic, Nic];
    const [c] = appNics as [Nic];
    const ip = await acquireFor(ovn, vpc.id);
    const rule = await forward(ip.id, a, 443, 8443);

    for (const packet of [fromOutside(vpc.id, ip.address, 443), fromNic(appTier.id, c, ip.address, 443)]) {
      const v = await trace(ovn, packet);
      expect(lbBackendsOf(v), explain(v)).toEqual([`${a.ip}:8443`]);
      expect(v.delivered, explain(v)).toEqual(toNic(a));
    }
    // A port of the address that no rule forwards is not translated, and never reaches the NIC.
    const other = await trace(ovn, fromOutside(vpc.id, ip.address, 22));
    expect(lbBackendsOf(other), explain(other)).toBeUndefined();
    expect(other.delivered, explain(other)).not.toContainEqual(toNic(a)[0]);

    // A second forward of the same address, another port, another NIC: each port goes to its own NIC.
    await forward(ip.id, b, 8080, 80);
    const second = await trace(ovn, fromOutside(vpc.id, ip.address, 8080));
    expect(lbBackendsOf(second), explain(second)).toEqual([`${b.ip}:80`]);
    expect(second.delivered, explain(second)).toEqual(toNic(b));
    // From the rule's own tier the tier switch's copy of the balancer forwards it, before any routing.
    const first = await trace(ovn, fromNic(webTier.id, b, ip.address, 443));
    expect(switchLbBackendsOf(first), explain(first)).toEqual([`${a.ip}:8443`]);
    expect(first.delivered, explain(first)).toEqual(toNic(a));

    // Deleted: the address's port 443 forwards nowhere any more.
    const del = await ovn.engine.portForwarding.delete(rule.id, 't');
    expect((await waitForJob(ovn.engine, del.jobId)).state).toBe('succeeded');
    const after = await trace(ovn, fromOutside(vpc.id, ip.address, 443));
    expect(lbBackendsOf(after), explain(after)).toBeUndefined();
    expect(after.delivered, explain(after)).not.toContainEqual(toNic(a)[0]);
  });
});
