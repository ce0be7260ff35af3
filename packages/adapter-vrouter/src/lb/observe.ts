// The load balancer the router host really holds, per VPC: each rule of haproxy's configuration as kind lb (id =
// ruleId), its members as the running haproxy serves them (`show servers state`; the configuration's when it does not
// run), with issues when haproxy is not running, does not serve the rule, the VIP address is missing from the public
// veth, or the public firewall does not let the listener in.
import type { ObservedResource } from '@netplane/adapter-sdk';
import type { Ctx } from '../context';
import { firewallIssue, firewallStatus } from '../firewall/render';
import { readVpcNat } from '../nat/apply';
import { natStateOf, publicRouterSide } from '../nat/table';
import { lbPaths, membersOf, vipOf } from './config';

export async function observeLb(
  c: Ctx,
  vpcIds: readonly string[],
  signal: AbortSignal,
): Promise<ObservedResource[]> {
  const out: ObservedResource[] = [];
  for (const vpcId of vpcIds) {
    const v = await readVpcNat(c, vpcId, signal);
    if (v.lb.rules.length === 0) continue;
    const nat = v.ruleset ? natStateOf(c, vpcId, v.ruleset) : null;
    const st = nat && nat !== 'foreign' ? nat : { snat: null, statics: [], pfs: [] };
    const fw = v.ruleset ? firewallIssue(firewallStatus(c, vpcId, v.ruleset, st, v.lb.rules)) : [];
    const pub = v.links?.get(publicRouterSide(c, vpcId));
    for (const r of v.lb.rules) {
      const issues: string[] = [];
      const served = v.lb.runtime?.backends.get(r.ruleId);
      if (v.lb.pid === null) issues.push('haproxy is not running');
      else if (!served) issues.push('the running haproxy does not serve this rule');
      if (!pub?.addr_info?.some((a) => a.local === r.publicIp))
        issues.push(`the public address ${r.publicIp} is missing`);
      issues.push(...fw);
      out.push({
        kind: 'lb',
        id: r.ruleId,
        name: lbPaths(c, vpcId).cfg,
        attributes: {
          vip: vipOf(r),
          protocol: 'tcp',
          members: served ? served.join(',') : membersOf(r),
          algorithm: r.algorithm,
          networkId: r.networkId,
        },
        ...(issues.length > 0 ? { issues } : {}),
      });
    }
  }
  return out;
}
