// Stores what the Realized check found (realized.ts): the Realized condition of the VPC, its tiers, NICs and rules
// (written only where it changes), and the VPC's NOT_REALIZED diagnosis, opened while the VPC is not realized and
// resolved once it is (or can no longer be told). Run after a job's own work; never fails the job.
import {
  diagnosesRepo,
  isDatabaseUnavailable,
  lbRulesRepo,
  portForwardingRepo,
  ruleConditionsRepo,
  staticNatRepo,
} from '@netplane/db';
import {
  type ConditionUpdate,
  conditionOf,
  diagnose,
  type NotRealizedPart,
  parseConditions,
  setConditions,
} from '@netplane/domain';
import { insertDiagnosed } from '../diagnostics/hook';
import { isControl } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { checkRealized, type RealizedCheck, type Subject, type Verdict } from './realized';

const CATEGORY = 'NOT_REALIZED';

const updateOf = (v: Verdict): ConditionUpdate => ({
  type: 'Realized',
  status: v.status,
  reason: v.reason,
  message: v.message,
});

/** Whether the stored conditions already say this (no write, no version bump). */
function unchanged(conditions: string, u: ConditionUpdate): boolean {
  const c = conditionOf(parseConditions(conditions), 'Realized');
  return c !== undefined && c.status === u.status && c.reason === u.reason && c.message === u.message;
}

async function writeRule(
  core: EngineCore,
  kind: ruleConditionsRepo.RuleKind,
  id: string,
  update: ConditionUpdate,
): Promise<void> {
  const db = core.deps.db.db;
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await ruleConditionsRepo.conditionsOf(db, kind, id);
    if (stored === undefined || unchanged(stored, update)) return;
    const next = JSON.stringify(setConditions(parseConditions(stored), [update], core.deps.now()));
    if (await ruleConditionsRepo.casConditions(db, kind, id, stored, next)) return;
  }
}

/** Rows of one chunk written in one transaction: bounded, so a 1000-NIC tier does not hold one long transaction. */
const CHUNK = 200;

async function writeConditions(core: EngineCore, check: RealizedCheck): Promise<void> {
  const vpcUpdate = updateOf(check.verdict);
  if (!unchanged(check.vpc.conditions, vpcUpdate))
    await core.state.setConditions('vpc', check.vpc.id, [vpcUpdate]);
  // Tiers and NICs that take the same update are written together (a prepare of 500 NICs realizes 500 at once).
  const same = new Map<string, { entity: 'network' | 'nic'; update: ConditionUpdate; rows: Subject[] }>();
  for (const s of check.subjects) {
    const update = updateOf(s.verdict);
    if (unchanged(s.conditions, update)) continue;
    if (s.entity === 'network' || s.entity === 'nic') {
      const key = `${s.entity}:${JSON.stringify(update)}`;
      const group = same.get(key) ?? { entity: s.entity, update, rows: [] };
      group.rows.push(s);
      same.set(key, group);
    } else if (s.entity === 'vpc') await core.state.setConditions('vpc', s.id, [update]);
    else await writeRule(core, s.entity, s.id, update);
  }
  for (const g of same.values())
    for (let i = 0; i < g.rows.length; i += CHUNK)
      await core.state.setConditionsOfKnown(g.entity, g.rows.slice(i, i + CHUNK), [g.update]);
}

/** Opens (or keeps, when it says the same) the VPC's NOT_REALIZED diagnosis, or resolves it. */
async function writeDiagnosis(core: EngineCore, ctx: JobContext, check: RealizedCheck): Promise<void> {
  const db = core.deps.db.db;
  const now = core.deps.now();
  const target = { type: 'vpc' as const, id: check.vpc.id };
  if (check.verdict.status !== 'False') {
    await diagnosesRepo.resolveCategoryForTarget(
      db,
      { targetType: 'vpc', targetId: check.vpc.id, category: CATEGORY },
      now,
    );
    return;
  }
  const parts: NotRealizedPart[] = check.subjects
    .filter((s) => s.verdict.status === 'False')
    .map((s) => ({
      entity: s.entity,
      id: s.id,
      name: s.name,
      reason: s.verdict.reason,
      message: s.verdict.message,
      evidence: s.verdict.evidence,
    }));
  // Only the VPC's own resource is off: it is the part.
  if (parts.length === 0)
    parts.push({
      entity: 'vpc',
      id: check.vpc.id,
      name: check.vpc.name,
      reason: check.verdict.reason,
      message: check.verdict.message,
      evidence: check.verdict.evidence,
    });
  const d = diagnose({
    target: { ...target, name: check.vpc.name },
    vpcId: check.vpc.id,
    jobId: ctx.job.id,
    failure: {
      kind: 'notRealized',
      ...(check.controller && { controllerId: check.controller.id, controllerName: check.controller.name }),
      parts,
    },
  });
  const open = (await diagnosesRepo.listOpenForTarget(db, 'vpc', check.vpc.id)).filter(
    (x) => x.category === CATEGORY,
  );
  if (open.length === 1 && open[0]?.sentence === d.sentence) return;
  await diagnosesRepo.resolveById(
    db,
    open.map((x) => x.id),
    now,
  );
  await insertDiagnosed(db, d, {
    targetType: 'vpc',
    targetId: check.vpc.id,
    vpcId: check.vpc.id,
    jobId: ctx.job.id,
    rootCauseId: null,
    createdAt: now,
  });
}

/**
 * The tiers a job changed: a tier or NIC job its tier, a rule job the rule's tier (none once the rule is gone: the
 * VPC's verdict is then made again from what its parts last said), a VPC job (reconcile, repair) every tier.
 */
async function scopeOf(core: EngineCore, ctx: JobContext): Promise<ReadonlySet<string> | undefined> {
  const db = core.deps.db.db;
  const { targetType, targetId } = ctx.job;
  const tierOf = (rule: { networkId: string } | undefined) => new Set(rule ? [rule.networkId] : []);
  switch (targetType) {
    case 'network':
      return new Set([targetId]);
    case 'staticNat':
      return tierOf(await staticNatRepo.getStaticNat(db, targetId));
    case 'lbRule':
      return tierOf(await lbRulesRepo.getLbRule(db, targetId));
    case 'portForward':
      return tierOf(await portForwardingRepo.getPortForwarding(db, targetId));
    default:
      return undefined;
  }
}

/**
 * Checks and stores the VPC's Realized conditions. What the check cannot do is reported in the conditions
 * (CheckUnsupported, CheckFailed); anything else that goes wrong is logged, never thrown, except the job's own
 * control flow (lease lost, stop) and a database outage, which the worker handles as for any step.
 */
export async function realizeVpc(
  core: EngineCore,
  ctx: JobContext,
  vpcId: string,
): Promise<RealizedCheck['verdict'] | undefined> {
  try {
    const check = await checkRealized(core, ctx, vpcId, await scopeOf(core, ctx));
    if (!check) return undefined;
    await writeConditions(core, check);
    await writeDiagnosis(core, ctx, check);
    return check.verdict;
  } catch (e) {
    if (isControl(e) || isDatabaseUnavailable(e)) throw e;
    core.deps.logger.warn({ vpcId, jobId: ctx.job.id, err: String(e) }, 'Realized check not stored');
    return undefined;
  }
}
