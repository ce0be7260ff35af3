// The rule commands shared by static NAT and LB rules (staticNat.revoke / .retry, lbRules.delete / .retry): how they
// read and write one rule kind (RuleTable), and the command itself. The create commands are in static-nat-commands.ts
// and lb-commands.ts.
import { randomUUID } from 'node:crypto';
import { AppError } from '@netplane/domain';
import type { EngineCore } from './core';
import type { RuleKindOps, RuleRow } from './rule-calls';
import { notBusy, type SubmitRuleJob } from './rule-commands';

/**
 * What the rule commands need of a rule kind beyond its RuleKindOps (lifecycle/rules.ts, shared with the rule jobs:
 * target type, row read and state write): its job kinds (`<jobs>.apply` / `<jobs>.revoke`) and its messages.
 */
export type RuleTable<R extends RuleRow & { lastOp: string | null }> = {
  ops: Pick<RuleKindOps<R, never>, 'kind' | 'get' | 'setState'>;
  jobs: 'staticNat' | 'lb' | 'portForwarding';
  /** The NOT_FOUND message for a rule id that has no row. */
  missing: (id: string) => string;
  /** The INVALID_STATE message for a retry of a rule not in Error. */
  notRetriable: (rule: R) => string;
  /** The CONFLICT message when the rule changed between the read and the write. */
  changed: string;
};

/** The rule, or NOT_FOUND. */
export async function findRule<R extends RuleRow & { lastOp: string | null }>(
  core: EngineCore,
  t: RuleTable<R>,
  id: string,
): Promise<R> {
  const rule = await t.ops.get(core.deps.db.db, id);
  if (!rule) throw new AppError('NOT_FOUND', t.missing(id));
  return rule;
}

/**
 * `revoke`: disable a static NAT or delete an LB rule (the rule goes to Revoke with the revoke job's id, then the
 * job). `retry`: repeat the last operation of a rule in Error (apply again, or revoke again). Either returns the job
 * of that kind already queued or running on the rule.
 */
export async function ruleCommand<R extends RuleRow & { lastOp: string | null }>(
  core: EngineCore,
  submit: SubmitRuleJob,
  t: RuleTable<R>,
  mode: 'revoke' | 'retry',
  id: string,
  actor: string,
): Promise<{ jobId: string }> {
  const rule = await findRule(core, t, id);
  const revokeKind = `${t.jobs}.revoke` as const;
  const kind = mode === 'revoke' || rule.lastOp === 'revoke' ? revokeKind : (`${t.jobs}.apply` as const);
  const running = await notBusy(core, id, kind);
  if (running) return { jobId: running };
  if (mode === 'retry' && rule.state !== 'Error') {
    throw new AppError('INVALID_STATE', t.notRetriable(rule), { state: rule.state });
  }
  const jobId = randomUUID();
  const now = core.deps.now();
  const job = { id: jobId, kind, targetType: t.ops.kind, targetId: id, vpcId: rule.vpcId, actor };
  await submit(job, async (trx) => {
    if (mode === 'revoke') {
      await t.ops.setState(trx, id, { state: 'Revoke', lastOp: 'revoke', jobId }, now);
      return;
    }
    const state = kind === revokeKind ? 'Revoke' : 'Add';
    const ok = await t.ops.setState(trx, id, { state, jobId, from: ['Error'] }, now);
    if (!ok) throw new AppError('CONFLICT', t.changed);
  });
  return { jobId };
}
