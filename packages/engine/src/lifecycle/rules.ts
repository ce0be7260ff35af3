// Static NAT and LB rules on the element chosen for the tier's StaticNat / Lb service: apply and revoke through the
// call runner (phases 'apply' / 'revoke'), the rule's state written in the job's fenced transaction, and a failure
// leaving the rule in Error with lastError and a diagnosis, like any failed call. Used by the rule jobs, by NIC
// release (revoke the NIC's static NAT, shrink its LB rules) and by tier teardown (revoke every rule first).
import { type LbRuleSpec, type StaticNatSpec, toAdapterError } from '@netplane/adapter-sdk';
import { type Db, lbRulesRepo, networksRepo, staticNatRepo } from '@netplane/db';
import type { LbAlgorithm, LbProtocol } from '@netplane/domain';
import { onEntityError } from '../diagnostics/hook';
import type { ElementHandle } from '../elements';
import { CallFailed, FencedError, JobFailure, JobStopped } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import type { Failure } from './teardown';

type NatRow = staticNatRepo.StaticNatRow;
type LbRow = lbRulesRepo.LbRuleWithMembers;
export type RuleKind = 'staticNat' | 'lbRule';

const isControl = (e: unknown) => e instanceof FencedError || e instanceof JobStopped;

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
  name: r.name,
  publicIp: r.publicIp,
  publicPort: r.publicPort,
  privatePort: r.privatePort,
  protocol: r.protocol as LbProtocol,
  algorithm: r.algorithm as LbAlgorithm,
  members: r.members.map((m) => ({ nicId: m.nicId, ip: m.ip })),
});

/** The element the tier's negotiation chose for StaticNat or Lb (undefined: the tier has none). */
export async function serviceHandle(
  core: EngineCore,
  networkId: string,
  service: 'StaticNat' | 'Lb',
): Promise<ElementHandle | undefined> {
  const row = (await networksRepo.listElements(core.deps.db.db, [networkId])).find(
    (e) => e.service === service,
  );
  return row ? core.elements.get(row.controllerId) : undefined;
}

/** Writes in one transaction with the check that this node still holds the job (else FencedError, nothing written). */
export async function fenced(
  core: EngineCore,
  ctx: JobContext,
  write: (db: Db) => Promise<void>,
): Promise<void> {
  const now = core.deps.now();
  await core.deps.db.db.transaction().execute(async (trx) => {
    const held = await trx
      .updateTable('jobs')
      .set({ updated_at: now })
      .where('id', '=', ctx.job.id)
      .where('lease_owner', '=', ctx.nodeId)
      .where('fencing_token', '=', ctx.token)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) throw new FencedError(`Job ${ctx.job.id} was taken over`);
    await write(trx);
  });
}

type RuleRef = { kind: RuleKind; id: string; vpcId: string; networkId: string; state: string; label: string };
type RuleOutcome = { ok: true } | { ok: false; failure: Failure };

const refOfNat = (r: NatRow): RuleRef => ({
  kind: 'staticNat',
  id: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  state: r.state,
  label: `static NAT ${r.publicIp}`,
});
const refOfLb = (r: LbRow): RuleRef => ({
  kind: 'lbRule',
  id: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  state: r.state,
  label: `LB rule ${r.name}`,
});

const setState = (db: Db, ref: RuleRef, u: staticNatRepo.RuleStateUpdate, now: number) =>
  ref.kind === 'staticNat'
    ? staticNatRepo.setStaticNatState(db, ref.id, u, now)
    : lbRulesRepo.setLbState(db, ref.id, u, now);

/** The rule goes to Error with "<category>: <message>", and the failure is diagnosed like any failed call. */
async function failRule(
  core: EngineCore,
  ctx: JobContext,
  ref: RuleRef,
  op: 'apply' | 'revoke',
  f: Omit<Failure, 'target'> & { code: string },
): Promise<Failure> {
  const lastError = `${f.category}: ${f.message}`;
  await fenced(core, ctx, async (db) => {
    await setState(db, ref, { state: 'Error', lastOp: op, lastError, jobId: ctx.job.id }, core.deps.now());
  });
  try {
    await onEntityError(core.deps.db.db, {
      entityType: ref.kind,
      entityId: ref.id,
      vpcId: ref.vpcId,
      jobId: ctx.job.id,
      fromState: ref.state,
      code: f.code,
      category: f.category,
      message: `${op === 'apply' ? 'Apply' : 'Revoke'} of ${ref.label} failed with ${lastError}`,
      ...(f.callId && { rootCallId: f.callId }),
      at: core.deps.now(),
    });
  } catch (e) {
    core.deps.logger.warn({ rule: ref.id, err: String(e) }, 'Diagnostics hook failed');
  }
  return { target: ref.label, ...f };
}

/**
 * One apply or revoke call on the tier's element for the service; `settle` writes the success (fenced). A missing
 * element or call, or a failed call, puts the rule in Error. The call is a job step: a resumed job does not repeat it.
 */
async function ruleCall(
  core: EngineCore,
  ctx: JobContext,
  ref: RuleRef,
  o: {
    op: 'apply' | 'revoke';
    service: 'StaticNat' | 'Lb';
    key: string;
    request: unknown;
    call: (h: ElementHandle, key: string) => Promise<unknown>;
    settle: (db: Db) => Promise<void>;
  },
): Promise<RuleOutcome> {
  if (o.op === 'apply') {
    // A tier being shut down revokes its rules; an apply racing it must not put one back.
    const tier = await networksRepo.getNetwork(core.deps.db.db, ref.networkId);
    if (tier?.state !== 'Implemented') {
      const failure = await failRule(core, ctx, ref, o.op, {
        code: 'INVALID_STATE',
        controllerId: '',
        element: '',
        category: 'INVALID_REQUEST',
        message: `Tier ${tier?.name ?? ref.networkId} is ${tier?.state ?? 'gone'}; implement it first`,
        callId: '',
      });
      return { ok: false, failure };
    }
  }
  const handle = await serviceHandle(core, ref.networkId, o.service);
  const method =
    o.service === 'StaticNat'
      ? o.op === 'apply'
        ? 'applyStaticNat'
        : 'revokeStaticNat'
      : o.op === 'apply'
        ? 'applyLbRule'
        : 'revokeLbRule';
  if (!handle || typeof handle.element[method] !== 'function') {
    const message = handle
      ? `Element ${handle.adapterId} has no ${method} call although it was chosen for ${o.service}`
      : `The tier has no element for ${o.service}; implement it with an offering that has ${o.service}`;
    const failure = await failRule(core, ctx, ref, o.op, {
      code: 'SERVICE_NOT_OFFERED',
      controllerId: handle?.controllerId ?? '',
      element: handle?.adapterId ?? '',
      category: 'INVALID_REQUEST',
      message,
      callId: '',
    });
    return { ok: false, failure };
  }
  try {
    await ctx.step(o.key, () => o.call(handle, o.key));
    await fenced(core, ctx, o.settle);
    return { ok: true };
  } catch (e) {
    if (isControl(e)) throw e;
    const err = e instanceof CallFailed ? e.error : toAdapterError(e);
    const failure = await failRule(core, ctx, ref, o.op, {
      code: 'CALL_FAILED',
      controllerId: handle.controllerId,
      element: handle.adapterId,
      category: err.category,
      message: err.message,
      callId: e instanceof CallFailed ? e.callId : '',
    });
    return { ok: false, failure };
  }
}

/** The call runner's spec of a rule call, without its invoke. */
const callBase = (
  ctx: JobContext,
  ref: RuleRef,
  phase: 'apply' | 'revoke',
  request: unknown,
  handle: ElementHandle,
  key: string,
) => ({
  handle,
  phase,
  target: { type: ref.kind, id: ref.id },
  vpcId: ref.vpcId,
  networkId: ref.networkId,
  request,
  idempotencyKey: `${ctx.job.id}:${key}`,
  job: ctx.callJob(key),
});

/** ruleCall checked that the element has the call; this keeps the type honest without a non-null assertion. */
function present<F>(fn: F | undefined, name: string): F {
  if (fn === undefined) throw new Error(`The element has no ${name} call`);
  return fn;
}

export async function applyStaticNat(
  core: EngineCore,
  ctx: JobContext,
  rule: NatRow,
  prefix = '',
): Promise<RuleOutcome> {
  const ref = refOfNat(rule);
  const spec = staticNatSpecOf(rule);
  const request = { op: 'applyStaticNat', rule: spec };
  return ruleCall(core, ctx, ref, {
    op: 'apply',
    service: 'StaticNat',
    key: `${prefix}apply:${rule.id}`,
    request,
    call: (h, key) =>
      core.calls.call({
        ...callBase(ctx, ref, 'apply', request, h, key),
        invoke: (e, c) => present(e.applyStaticNat, 'applyStaticNat').call(e, spec, c),
      }),
    settle: async (db) => {
      await staticNatRepo.setStaticNatState(
        db,
        rule.id,
        { state: 'Active', lastOp: 'apply', lastError: null, jobId: ctx.job.id },
        core.deps.now(),
      );
    },
  });
}

export async function revokeStaticNat(
  core: EngineCore,
  ctx: JobContext,
  rule: NatRow,
  prefix = '',
): Promise<RuleOutcome> {
  const ref = refOfNat(rule);
  const target = { ruleId: rule.id, vpcId: rule.vpcId, networkId: rule.networkId };
  const request = { op: 'revokeStaticNat', rule: target };
  return ruleCall(core, ctx, ref, {
    op: 'revoke',
    service: 'StaticNat',
    key: `${prefix}revoke:${rule.id}`,
    request,
    call: (h, key) =>
      core.calls.call({
        ...callBase(ctx, ref, 'revoke', request, h, key),
        invoke: (e, c) => present(e.revokeStaticNat, 'revokeStaticNat').call(e, target, c),
      }),
    settle: (db) => staticNatRepo.deleteStaticNat(db, rule.id),
  });
}

export async function applyLbRule(
  core: EngineCore,
  ctx: JobContext,
  rule: LbRow,
  prefix = '',
): Promise<RuleOutcome> {
  const ref = refOfLb(rule);
  const spec = lbSpecOf(rule);
  const request = { op: 'applyLbRule', rule: spec };
  return ruleCall(core, ctx, ref, {
    op: 'apply',
    service: 'Lb',
    key: `${prefix}apply:${rule.id}`,
    request,
    call: (h, key) =>
      core.calls.call({
        ...callBase(ctx, ref, 'apply', request, h, key),
        invoke: (e, c) => present(e.applyLbRule, 'applyLbRule').call(e, spec, c),
      }),
    settle: async (db) => {
      await lbRulesRepo.setLbState(
        db,
        rule.id,
        { state: 'Active', lastOp: 'apply', lastError: null, jobId: ctx.job.id },
        core.deps.now(),
      );
    },
  });
}

export async function revokeLbRule(
  core: EngineCore,
  ctx: JobContext,
  rule: LbRow,
  prefix = '',
): Promise<RuleOutcome> {
  const ref = refOfLb(rule);
  const target = { ruleId: rule.id, vpcId: rule.vpcId, networkId: rule.networkId };
  const request = { op: 'revokeLbRule', rule: target };
  return ruleCall(core, ctx, ref, {
    op: 'revoke',
    service: 'Lb',
    key: `${prefix}revoke:${rule.id}`,
    request,
    call: (h, key) =>
      core.calls.call({
        ...callBase(ctx, ref, 'revoke', request, h, key),
        invoke: (e, c) => present(e.revokeLbRule, 'revokeLbRule').call(e, target, c),
      }),
    settle: (db) => lbRulesRepo.deleteLbRule(db, rule.id),
  });
}

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
    const out = await revokeStaticNat(core, ctx, nat, `${prefix}detach:`);
    if (!out.ok) {
      failures.push(out.failure);
      blocked.add(nat.nicId);
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
    const out = await applyLbRule(core, ctx, shrunk, `${prefix}detach:`);
    if (!out.ok) failures.push(out.failure);
  }
  return { failures, blocked };
}

/** Tier shutdown and destroy: every static NAT and LB rule of the tier is revoked (and deleted) first. */
export async function revokeRulesOfTier(
  core: EngineCore,
  ctx: JobContext,
  networkId: string,
): Promise<Failure[]> {
  const db = core.deps.db.db;
  const failures: Failure[] = [];
  const prefix = `${networkId}:rules:`;
  for (const nat of await staticNatRepo.listStaticNatOfNetwork(db, networkId)) {
    await markRevoking(core, ctx, refOfNat(nat));
    const out = await revokeStaticNat(core, ctx, nat, prefix);
    if (!out.ok) failures.push(out.failure);
  }
  for (const rule of await lbRulesRepo.listLbRulesOfNetwork(db, networkId)) {
    await markRevoking(core, ctx, refOfLb(rule));
    const out = await revokeLbRule(core, ctx, rule, prefix);
    if (!out.ok) failures.push(out.failure);
  }
  return failures;
}

async function markRevoking(core: EngineCore, ctx: JobContext, ref: RuleRef): Promise<void> {
  await fenced(core, ctx, async (db) => {
    await setState(db, ref, { state: 'Revoke', lastOp: 'revoke', jobId: ctx.job.id }, core.deps.now());
  });
}

// ── jobs ──────────────────────────────────────────────────────────────────────────────────────────────────────
function throwIfFailed(out: RuleOutcome, what: string): void {
  if (!out.ok) {
    throw new JobFailure(out.failure.category === 'INVALID_REQUEST' ? 'APPLY_FAILED' : 'CALL_FAILED', what, {
      failures: [out.failure],
    });
  }
}

export async function staticNatJob(
  core: EngineCore,
  ctx: JobContext,
  op: 'apply' | 'revoke',
): Promise<unknown> {
  const rule = await staticNatRepo.getStaticNat(core.deps.db.db, ctx.job.targetId);
  if (!rule) {
    if (op === 'revoke') return { revoked: true, noop: true };
    throw new JobFailure('NOT_FOUND', 'The static NAT rule does not exist');
  }
  const out = op === 'apply' ? await applyStaticNat(core, ctx, rule) : await revokeStaticNat(core, ctx, rule);
  throwIfFailed(out, `${op === 'apply' ? 'Apply' : 'Revoke'} of static NAT ${rule.publicIp} failed`);
  return op === 'apply' ? { ruleId: rule.id, state: 'Active' } : { ruleId: rule.id, revoked: true };
}

export async function lbRuleJob(core: EngineCore, ctx: JobContext, op: 'apply' | 'revoke'): Promise<unknown> {
  const rule = await lbRulesRepo.getLbRule(core.deps.db.db, ctx.job.targetId);
  if (!rule) {
    if (op === 'revoke') return { revoked: true, noop: true };
    throw new JobFailure('NOT_FOUND', 'The LB rule does not exist');
  }
  const out = op === 'apply' ? await applyLbRule(core, ctx, rule) : await revokeLbRule(core, ctx, rule);
  throwIfFailed(out, `${op === 'apply' ? 'Apply' : 'Revoke'} of LB rule ${rule.name} failed`);
  return op === 'apply'
    ? { ruleId: rule.id, state: 'Active', members: rule.members.length }
    : { ruleId: rule.id, revoked: true };
}
