// Static NAT, LB and port forwarding rules as RuleKindOps (the shared apply / revoke / job mechanism is lifecycle/rule-calls.ts), and
// what other jobs do with them: NIC release revokes the NIC's static NAT and port forwards and shrinks its LB rules, tier teardown
// revokes every rule first.
import {
  type CallContext,
  type LbRuleRef,
  type LbRuleSpec,
  type NetworkElement,
  PORT_FORWARDING_SPEC_VERSION,
  type PortForwardingRef,
  type PortForwardingSpec,
  type StaticNatRef,
  type StaticNatSpec,
} from '@netplane/adapter-sdk';
import { lbRulesRepo, portForwardingRepo, staticNatRepo } from '@netplane/db';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import {
  fenced,
  markRevoking,
  present,
  type RuleKind,
  type RuleKindOps,
  type RuleRow,
  type RuleService,
  refOf,
  ruleJob,
  runRule,
} from './rule-calls';
import { lbTerms } from './rule-views';
import type { Failure } from './teardown';

type NatRow = staticNatRepo.StaticNatRow;
type LbRow = lbRulesRepo.LbRuleWithMembers;
type PfRow = portForwardingRepo.PortForwardingRow;

export const staticNatSpecOf = (r: NatRow): StaticNatSpec => ({
  ruleId: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  nicId: r.nicId,
  publicIp: r.publicIp,
  privateIp: r.privateIp,
});

export const lbSpecOf = (r: LbRow): LbRuleSpec => ({
  ruleId: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  ...lbTerms(r),
  members: r.members.map((m) => ({ nicId: m.nicId, ip: m.ip })),
});

/** "2222" or "2222-2224". */
export const portsText = (start: number, end: number) => (start === end ? `${start}` : `${start}-${end}`);

/** A port forward's own terms (NIC, addresses, protocol, port ranges), shared by its view and its adapter spec. */
export const portForwardTerms = (r: PfRow) => ({
  nicId: r.nicId,
  publicIp: r.publicIp,
  privateIp: r.privateIp,
  protocol: r.protocol,
  publicPortStart: r.publicPortStart,
  publicPortEnd: r.publicPortEnd,
  privatePortStart: r.privatePortStart,
  privatePortEnd: r.privatePortEnd,
});

export const portForwardingSpecOf = (r: PfRow): PortForwardingSpec => ({
  version: PORT_FORWARDING_SPEC_VERSION,
  ruleId: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  ...portForwardTerms(r),
});

/** The element's rule calls by name, each taking the rule as the adapter SDK types it. */
type CallArgs = {
  applyStaticNat: StaticNatSpec;
  revokeStaticNat: StaticNatRef;
  applyLbRule: LbRuleSpec;
  revokeLbRule: LbRuleRef;
  applyPortForwarding: PortForwardingSpec;
  revokePortForwarding: PortForwardingRef;
};
type RuleCalls = { [K in keyof CallArgs]: (rule: CallArgs[K], c: CallContext) => Promise<unknown> };

/** One element call by name (ruleCall has checked that the element has it). */
const callOf =
  <K extends keyof CallArgs>(name: K) =>
  (e: NetworkElement, rule: CallArgs[K], c: CallContext): Promise<unknown> => {
    const calls: Partial<RuleCalls> = e;
    return present<RuleCalls[K]>(calls[name], name).call(e, rule, c);
  };

/** The stem of a kind's pair of element calls: apply<stem> and revoke<stem>. */
type CallStem = 'StaticNat' | 'LbRule' | 'PortForwarding';

/**
 * A kind's RuleKindOps from what differs between kinds: its name in jobs, its service, the stem of its element calls
 * (each call named once, for the recorded request and the call), its rows (its repository's ruleRows), its spec, how
 * it is named ("static NAT 203.0.113.5"; `noun` for a missing rule) and, where it says more, its apply result.
 */
function ruleKind<R extends RuleRow, C extends CallStem>(
  [kind, service, stem]: readonly [RuleKind, RuleService, C],
  d: {
    rows: Pick<RuleKindOps<R, CallArgs[`apply${C}`]>, 'get' | 'setState' | 'remove'>;
    spec: (r: R) => CallArgs[`apply${C}`];
    label: (r: R) => string;
    noun: string;
    applied?: (r: R) => Record<string, unknown>;
  },
): RuleKindOps<R, CallArgs[`apply${C}`]> {
  const applyOp = `apply${stem}` as const;
  const revokeOp = `revoke${stem}` as const;
  return {
    kind,
    service,
    applyOp,
    revokeOp,
    invokeApply: callOf(applyOp),
    invokeRevoke: callOf(revokeOp),
    spec: d.spec,
    applied: d.applied ?? ((r) => ({ ruleId: r.id, state: 'Active' })),
    label: d.label,
    notFound: `The ${d.noun} does not exist`,
    ...d.rows,
  };
}

// Each kind states only what differs from the others.
export const STATIC_NAT: RuleKindOps<NatRow, StaticNatSpec> = ruleKind(
  ['staticNat', 'StaticNat', 'StaticNat'],
  {
    rows: staticNatRepo.ruleRows,
    spec: staticNatSpecOf,
    label: (r) => `static NAT ${r.publicIp}`,
    noun: 'static NAT rule',
  },
);

export const LB_RULE: RuleKindOps<LbRow, LbRuleSpec> = ruleKind(['lbRule', 'Lb', 'LbRule'], {
  rows: lbRulesRepo.ruleRows,
  spec: lbSpecOf,
  label: (r) => `LB rule ${r.name}`,
  noun: 'LB rule',
  applied: (r) => ({ ruleId: r.id, state: 'Active', members: r.members.length }),
});

export const PORT_FORWARD: RuleKindOps<PfRow, PortForwardingSpec> = ruleKind(
  ['portForward', 'PortForwarding', 'PortForwarding'],
  {
    rows: portForwardingRepo.ruleRows,
    spec: portForwardingSpecOf,
    label: (r) =>
      `port forwarding ${r.publicIp}:${portsText(r.publicPortStart, r.publicPortEnd)}/${r.protocol}`,
    noun: 'port forwarding rule',
  },
);

export const staticNatJob = (core: EngineCore, ctx: JobContext, op: 'apply' | 'revoke'): Promise<unknown> =>
  ruleJob(core, ctx, STATIC_NAT, op);
export const lbRuleJob = (core: EngineCore, ctx: JobContext, op: 'apply' | 'revoke'): Promise<unknown> =>
  ruleJob(core, ctx, LB_RULE, op);
export const portForwardJob = (core: EngineCore, ctx: JobContext, op: 'apply' | 'revoke'): Promise<unknown> =>
  ruleJob(core, ctx, PORT_FORWARD, op);

/**
 * Before NICs are released: revoke their static NATs, and re-apply each LB rule they are members of without them
 * (one apply per rule, whatever the number of its NICs released). Returns the failures and the NICs that must not be
 * released because their static NAT is still on the controller.
 */
export async function detachPublicServices(
  core: EngineCore,
  ctx: JobContext,
  networkId: string,
  nicIds: readonly string[],
  prefix: string,
): Promise<{ failures: Failure[]; blocked: Set<string> }> {
  const db = core.deps.db.db;
  const failures: Failure[] = [];
  const blocked = new Set<string>();
  for (const nat of await staticNatRepo.listStaticNatOfNics(db, nicIds)) {
    const out = await runRule(core, ctx, STATIC_NAT, nat, 'revoke', `${prefix}detach:`);
    if (!out.ok) {
      failures.push(out.failure);
      blocked.add(nat.nicId);
    }
  }
  // A port forward onto a released NIC would send traffic to whoever gets its address next.
  for (const pf of await portForwardingRepo.listOfNics(db, nicIds)) {
    const out = await runRule(core, ctx, PORT_FORWARD, pf, 'revoke', `${prefix}detach:`);
    if (!out.ok) {
      failures.push(out.failure);
      blocked.add(pf.nicId);
    }
  }
  const ids = new Set(nicIds);
  // A rule this job already shrank (members removed) but has not applied yet is found by its job id on a resume.
  const rules = (await lbRulesRepo.listLbRulesOfNetwork(db, networkId)).filter(
    (r) =>
      r.members.some((m) => ids.has(m.nicId)) ||
      (r.jobId === ctx.job.id && r.state === 'Add' && r.lastOp === 'apply'),
  );
  for (const rule of rules) {
    const key = `${prefix}detach:apply:${rule.id}`;
    if (ctx.isDone(key)) continue;
    const leaving = rule.members.filter((m) => ids.has(m.nicId)).map((m) => m.nicId);
    await fenced(core, ctx, async (trx) => {
      await lbRulesRepo.removeMembers(trx, rule.id, leaving);
      await lbRulesRepo.setLbState(
        trx,
        rule.id,
        { state: 'Add', lastOp: 'apply', jobId: ctx.job.id },
        core.deps.now(),
      );
    });
    const shrunk = { ...rule, state: 'Add' as const, members: rule.members.filter((m) => !ids.has(m.nicId)) };
    const out = await runRule(core, ctx, LB_RULE, shrunk, 'apply', `${prefix}detach:`);
    if (!out.ok) failures.push(out.failure);
  }
  return { failures, blocked };
}

/** Tier shutdown and destroy: every static NAT, LB rule and port forward of the tier is revoked (and deleted) first. */
export async function revokeRulesOfTier(
  core: EngineCore,
  ctx: JobContext,
  networkId: string,
): Promise<Failure[]> {
  const db = core.deps.db.db;
  const failures: Failure[] = [];
  const prefix = `${networkId}:rules:`;
  const revokeEach = async <R extends RuleRow, S>(ops: RuleKindOps<R, S>, rules: readonly R[]) => {
    for (const rule of rules) {
      await markRevoking(core, ctx, refOf(ops, rule));
      const out = await runRule(core, ctx, ops, rule, 'revoke', prefix);
      if (!out.ok) failures.push(out.failure);
    }
  };
  await revokeEach(STATIC_NAT, await staticNatRepo.listStaticNatOfNetwork(db, networkId));
  await revokeEach(LB_RULE, await lbRulesRepo.listLbRulesOfNetwork(db, networkId));
  await revokeEach(PORT_FORWARD, await portForwardingRepo.listOfNetwork(db, networkId));
  return failures;
}
