// The NAT the router host really holds, per VPC: each static NAT as kind nat (id = ruleId, type dnat_and_snat) and
// each port forward as kind pf (id = ruleId), the source NAT as kind nat (id `<networkId>/snat`, type snat), with what is missing of the public side as issues.
import type { ObservedResource } from '@netplane/adapter-sdk';
import type { Ctx } from '../context';
import { firewallIssue, firewallStatus } from '../firewall/render';
import { currentVlan, readVpcNat } from './apply';
import { publicBridgeFor, vlanBridge } from './public-vlan';
import { natStateOf, natTable, publicRouterSide } from './table';

export async function observeNat(
  c: Ctx,
  vpcIds: readonly string[],
  signal: AbortSignal,
): Promise<ObservedResource[]> {
  const out: ObservedResource[] = [];
  for (const vpcId of vpcIds) {
    const v = await readVpcNat(c, vpcId, signal);
    if (!v.ruleset || !v.links) continue;
    const kernel = natStateOf(c, vpcId, v.ruleset);
    if (kernel === 'foreign') continue;
    // The table gone (flushed by hand): its rules, as last applied, are reported with that issue.
    const st = kernel ?? v.record;
    if (!st) continue;
    const gone = kernel ? [] : [`the NAT table ${natTable(c, vpcId)} is missing`];
    const pub = v.links.get(publicRouterSide(c, vpcId));
    // The public firewall (src/firewall) is part of every public-side row: re-applying any of them rewrites it.
    const fw = firewallIssue(firewallStatus(c, vpcId, v.ruleset, st, v.lb.rules));
    const has = (ip: string) => pub?.addr_info?.some((a) => a.local === ip) ?? false;
    // The public VLAN's bridge (src/nat/public-vlan.ts) deleted by hand takes the veth off it: both are said.
    const vlan = currentVlan(v);
    const vlanGone =
      vlan !== null && !v.vlans.bridges.has(vlan)
        ? [`the public VLAN ${vlan} bridge ${vlanBridge(c, vlan)} is missing`]
        : [];
    const side = (ip: string) => [
      ...gone,
      ...vlanGone,
      ...(v.hostSide?.master !== publicBridgeFor(c, vlan)
        ? ['the public interface is not on the public bridge']
        : []),
      ...(has(ip) ? [] : [`the public address ${ip} is missing`]),
      ...fw,
    ];
    for (const r of st.statics) {
      const issues = side(r.publicIp);
      out.push({
        kind: 'nat',
        id: r.ruleId,
        name: natTable(c, vpcId),
        attributes: {
          type: 'dnat_and_snat',
          externalIp: r.publicIp,
          logicalIp: r.privateIp,
          networkId: r.networkId,
        },
        ...(issues.length > 0 ? { issues } : {}),
      });
    }
    for (const r of st.pfs) {
      const issues = side(r.publicIp);
      out.push({
        kind: 'pf',
        id: r.ruleId,
        name: natTable(c, vpcId),
        attributes: {
          publicIp: r.publicIp,
          protocol: r.protocol,
          publicPorts: r.publicPorts.join('-'),
          privateIp: r.privateIp,
          privatePorts: r.privatePorts.join('-'),
        },
        ...(issues.length > 0 ? { issues } : {}),
      });
    }
    if (st.snat) {
      const issues = side(st.snat.ip);
      out.push({
        kind: 'nat',
        id: `${st.snat.networkId}/snat`,
        name: natTable(c, vpcId),
        attributes: { type: 'snat', externalIp: st.snat.ip, networkId: st.snat.networkId },
        ...(issues.length > 0 ? { issues } : {}),
      });
    }
  }
  return out;
}
