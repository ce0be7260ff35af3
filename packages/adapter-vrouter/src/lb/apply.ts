// applyLbRule / revokeLbRule / the LB part of destroyVpc. One read of the VPC (its NAT and public side, haproxy's
// configuration, process and runtime state), the rules edited, then one script under the host lock: the public
// addresses and the NAT + firewall tables (src/nat's write), then haproxy brought to the new configuration (started,
// members changed through its runtime API, or reloaded seamlessly, or soft-stopped when no rule is left). The same spec again adopts, and restores whatever is
// missing: the address, the firewall, the configuration file, the process.
import { AdapterError, type LbRuleRef, type LbRuleSpec } from '@netplane/adapter-sdk';
import type { Ctx } from '../context';
import { checkFree, ipConflict, readVpcNat, stateOf, write } from '../nat/apply';
import { portConflict } from '../nat/port-forwarding';
import { requirePublicSide } from '../nat/public-vlan';
import { lockPreamble } from '../shell';
import { checkId } from '../validate';
import { checkLbSpec, type LbRule, lbPaths, vipOf } from './config';
import { destroyScript, syncScript } from './haproxy';

export async function applyLbRule(
  c: Ctx,
  spec: LbRuleSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  const rule = checkLbSpec(c, spec);
  requirePublicSide(c, undefined);
  const v = await readVpcNat(c, spec.vpcId, signal);
  const st = stateOf(c, spec.vpcId, v);
  if (v.lb.foreign) {
    const { cfg } = lbPaths(c, spec.vpcId);
    throw new AdapterError('RESOURCE_CONFLICT', `LB of VPC ${spec.vpcId}: ${cfg} is not Netplane's`, {
      conflict: { resource: 'file', name: cfg, owner: 'not Netplane' },
    });
  }
  const what = `Load balancing rule ${rule.ruleId}`;
  const statik = st.statics.find((r) => r.publicIp === rule.publicIp);
  if (statik) throw ipConflict(what, rule.publicIp, `static NAT rule ${statik.ruleId}`);
  const pf = st.pfs.find(
    (r) =>
      r.protocol === 'tcp' &&
      r.publicIp === rule.publicIp &&
      r.publicPorts[0] <= rule.publicPort &&
      rule.publicPort <= r.publicPorts[1],
  );
  if (pf) {
    throw portConflict(
      `${what}: tcp port ${rule.publicPort} of ${rule.publicIp}`,
      rule.publicIp,
      'tcp',
      'port forwarding rule',
      pf.ruleId,
    );
  }
  const twin = v.lb.rules.find((r) => r.ruleId !== rule.ruleId && vipOf(r) === vipOf(rule));
  if (twin) {
    throw portConflict(`${what}: ${vipOf(rule)}`, rule.publicIp, 'tcp', 'load balancing rule', twin.ruleId);
  }
  checkFree(c, spec.vpcId, v, rule.publicIp, what);
  // Ours when the record has it, or the running haproxy serves it (its configuration file deleted by hand).
  const adopted =
    v.lb.rules.some((r) => r.ruleId === rule.ruleId) || !!v.lb.runtime?.backends.has(rule.ruleId);
  const rules = [...v.lb.rules.filter((r) => r.ruleId !== rule.ruleId), rule];
  await write(c, spec.vpcId, v, st, signal, { rules, script: syncScript(c, spec.vpcId, v.lb, rules) });
  return { adopted };
}

export async function revokeLbRule(c: Ctx, ref: LbRuleRef, signal: AbortSignal): Promise<void> {
  for (const k of ['ruleId', 'vpcId', 'networkId'] as const) checkId(k, ref[k]);
  const v = await readVpcNat(c, ref.vpcId, signal);
  if (!v.ruleset || !v.links || v.lb.foreign) return;
  const held = v.lb.rules.some((r) => r.ruleId === ref.ruleId) || !!v.lb.runtime?.backends.has(ref.ruleId);
  if (!held) return;
  const st = stateOf(c, ref.vpcId, v);
  const rules: LbRule[] = v.lb.rules.filter((r) => r.ruleId !== ref.ruleId);
  await write(c, ref.vpcId, v, st, signal, { rules, script: syncScript(c, ref.vpcId, v.lb, rules) });
}

/** destroyVpc: every haproxy process of the VPC and its files go (the public veth and tables go with the VPC). */
export async function destroyLb(c: Ctx, vpcId: string, signal: AbortSignal): Promise<void> {
  checkId('vpcId', vpcId);
  await c.ssh.runOk(
    [lockPreamble(c.stateRoot), destroyScript(c, vpcId)].join('\n'),
    signal,
    `Stopping the load balancer of VPC ${vpcId}`,
  );
}
