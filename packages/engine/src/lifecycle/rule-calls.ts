// The mechanism shared by static NAT and LB rules: one apply or revoke call on the element chosen for the tier's
// StaticNat / Lb service (phases 'apply' / 'revoke'), the rule's state written in the job's fenced transaction, a
// failure leaving the rule in Error with lastError and a diagnosis, like any failed call; and the rule job. Each rule
// kind describes itself once as a RuleKindOps (lifecycle/rules.ts).
import { type CallContext, type NetworkElement, toAdapterError } from '@netplane/adapter-sdk';
import { type Db, lbRulesRepo, networksRepo, portForwardingRepo, staticNatRepo } from '@netplane/db';
import { type ElementHandle, unreadableCredentialsOf } from '../elements';
import { CallFailed, isControl, JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { diagnoseFailure } from './diagnose-failure';
import { fenced } from './fenced';
import { stepCall } from './step-call';
import type { Failure } from './teardown';

export { fenced };

export type RuleKind = 'staticNat' | 'lbRule' | 'portForward';
export type RuleService = 'StaticNat' | 'Lb' | 'PortForwarding';
export type RuleRef = {
  kind: RuleKind;
  id: string;
  vpcId: string;
  networkId: string;
  state: string;
  label: string;
};
export type RuleOutcome = { ok: true } | { ok: false; failure: Failure };
type RuleTarget = { ruleId: string; vpcId: string; networkId: string };
export type RuleRow = { id: string; vpcId: string; networkId: string; state: string };

/** One rule kind (static NAT or LB rule): its rows, its service, its element calls. */
export type RuleKindOps<R extends RuleRow, S> = {
  service: RuleService;
  /** The element's calls, also named in the recorded request. */
  applyOp: 'applyStaticNat' | 'applyLbRule' | 'applyPortForwarding';
  revokeOp: 'revokeStaticNat' | 'revokeLbRule' | 'revokePortForwarding';
  kind: RuleKind;
  /** How failures and the job's message name the rule: "static NAT 203.0.113.5", "LB rule web". */
  label: (r: R) => string;
  spec: (r: R) => S;
  invokeApply: (e: NetworkElement, spec: S, c: CallContext) => Promise<unknown>;
  invokeRevoke: (e: NetworkElement, target: RuleTarget, c: CallContext) => Promise<unknown>;
  get: (db: Db, id: string) => Promise<R | undefined>;
  /** False when no row matched (the update's `from` states, or the row is gone). */
  setState: (db: Db, id: string, u: staticNatRepo.RuleStateUpdate, now: number) => Promise<boolean>;
  remove: (db: Db, id: string) => Promise<unknown>;
  /** The job's result after an apply. */
  applied: (r: R) => Record<string, unknown>;
  notFound: string;
};

export const refOf = <R extends RuleRow, S>(ops: RuleKindOps<R, S>, r: R): RuleRef => ({
  kind: ops.kind,
  id: r.id,
  vpcId: r.vpcId,
  networkId: r.networkId,
  state: r.state,
  label: ops.label(r),
});

/** The element the tier's negotiation chose for StaticNat or Lb (undefined: the tier has none). */
async function serviceHandle(
  core: EngineCore,
  networkId: string,
  service: RuleService,
): Promise<ElementHandle | undefined> {
  const row = (await networksRepo.listElements(core.deps.db.db, [networkId])).find(
    (e) => e.service === service,
  );
  return row ? core.elements.get(row.controllerId) : undefined;
}

const SET_STATE = {
  staticNat: staticNatRepo.setStaticNatState,
  lbRule: lbRulesRepo.setLbState,
  portForward: portForwardingRepo.setPortForwardingState,
} satisfies Record<RuleKind, unknown>;

const setState = (db: Db, ref: RuleRef, u: staticNatRepo.RuleStateUpdate, now: number) =>
  SET_STATE[ref.kind](db, ref.id, u, now);

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
  await diagnoseFailure(
    core,
    ctx,
    { type: ref.kind, id: ref.id, vpcId: ref.vpcId, fromState: ref.state },
    f,
    `${op === 'apply' ? 'Apply' : 'Revoke'} of ${ref.label} failed with ${lastError}`,
  );
  return { target: ref.label, ...f };
}

/**
 * One apply or revoke call on the tier's element for the rule's service; `settle` writes the success (fenced). A
 * missing element or call, or a failed call, puts the rule in Error. The call is a job step (key
 * `<prefix><op>:<ruleId>`): a resumed job does not repeat it.
 */
async function ruleCall<R extends RuleRow, S>(
  core: EngineCore,
  ctx: JobContext,
  ops: RuleKindOps<R, S>,
  rule: R,
  o: {
    op: 'apply' | 'revoke';
    prefix: string;
    request: unknown;
    invoke: (e: NetworkElement, c: CallContext) => Promise<unknown>;
    settle: (db: Db) => Promise<void>;
  },
): Promise<RuleOutcome> {
  const ref = refOf(ops, rule);
  const key = `${o.prefix}${o.op}:${rule.id}`;
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
  let handle: ElementHandle | undefined;
  try {
    handle = await serviceHandle(core, ref.networkId, ops.service);
  } catch (e) {
    const secret = unreadableCredentialsOf(e);
    if (!secret) throw e;
    const failure = await failRule(core, ctx, ref, o.op, {
      code: 'CREDENTIALS_UNREADABLE',
      controllerId: secret.controllerId,
      element: '',
      category: 'CREDENTIALS_UNREADABLE',
      message: secret.reason,
      callId: '',
    });
    return { ok: false, failure };
  }
  const method = o.op === 'apply' ? ops.applyOp : ops.revokeOp;
  if (!handle || typeof handle.element[method] !== 'function') {
    const message = handle
      ? `Element ${handle.adapterId} has no ${method} call although it was chosen for ${ops.service}`
      : `The tier has no element for ${ops.service}; implement it with an offering that has ${ops.service}`;
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
    await stepCall(core, ctx, key, {
      handle,
      phase: o.op,
      target: { type: ref.kind, id: ref.id },
      vpcId: ref.vpcId,
      networkId: ref.networkId,
      request: o.request,
      invoke: o.invoke,
    });
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

/** ruleCall checked that the element has the call; this keeps the type honest without a non-null assertion. */
export function present<F>(fn: F | undefined, name: string): F {
  if (fn === undefined) throw new Error(`The element has no ${name} call`);
  return fn;
}

/**
 * Applies the rule on the tier's element (on success it is Active), or revokes it (on success its row is deleted).
 */
export function runRule<R extends RuleRow, S>(
  core: EngineCore,
  ctx: JobContext,
  ops: RuleKindOps<R, S>,
  rule: R,
  op: 'apply' | 'revoke',
  prefix = '',
): Promise<RuleOutcome> {
  return ruleCall(core, ctx, ops, rule, {
    op,
    prefix,
    ...(op === 'apply' ? applying(core, ctx, ops, rule) : revoking(ops, rule)),
  });
}

/** The request, call and success write of an apply: the rule goes Active. */
const applying = <R extends RuleRow, S>(
  core: EngineCore,
  ctx: JobContext,
  ops: RuleKindOps<R, S>,
  rule: R,
) => {
  const spec = ops.spec(rule);
  return {
    request: { op: ops.applyOp, rule: spec },
    invoke: (e: NetworkElement, c: CallContext) => ops.invokeApply(e, spec, c),
    settle: async (db: Db) => {
      const u = { state: 'Active', lastOp: 'apply', lastError: null, jobId: ctx.job.id } as const;
      await ops.setState(db, rule.id, u, core.deps.now());
    },
  };
};

/** The request, call and success write of a revoke: the rule's row is deleted. */
const revoking = <R extends RuleRow, S>(ops: RuleKindOps<R, S>, rule: R) => {
  const target = { ruleId: rule.id, vpcId: rule.vpcId, networkId: rule.networkId };
  return {
    request: { op: ops.revokeOp, rule: target },
    invoke: (e: NetworkElement, c: CallContext) => ops.invokeRevoke(e, target, c),
    settle: async (db: Db) => {
      await ops.remove(db, rule.id);
    },
  };
};

export async function markRevoking(core: EngineCore, ctx: JobContext, ref: RuleRef): Promise<void> {
  await fenced(core, ctx, async (db) => {
    await setState(db, ref, { state: 'Revoke', lastOp: 'revoke', jobId: ctx.job.id }, core.deps.now());
  });
}

function throwIfFailed(out: RuleOutcome, what: string): void {
  if (!out.ok) {
    throw new JobFailure(out.failure.category === 'INVALID_REQUEST' ? 'APPLY_FAILED' : 'CALL_FAILED', what, {
      failures: [out.failure],
    });
  }
}

/** The staticNat.apply / .revoke and lb.apply / .revoke jobs: one call on the rule named by the job's target. */
export async function ruleJob<R extends RuleRow, S>(
  core: EngineCore,
  ctx: JobContext,
  ops: RuleKindOps<R, S>,
  op: 'apply' | 'revoke',
): Promise<unknown> {
  const rule = await ops.get(core.deps.db.db, ctx.job.targetId);
  if (!rule) {
    if (op === 'revoke') return { revoked: true, noop: true };
    throw new JobFailure('NOT_FOUND', ops.notFound);
  }
  const out = await runRule(core, ctx, ops, rule, op);
  throwIfFailed(out, `${op === 'apply' ? 'Apply' : 'Revoke'} of ${refOf(ops, rule).label} failed`);
  return op === 'apply' ? ops.applied(rule) : { ruleId: rule.id, revoked: true };
}
