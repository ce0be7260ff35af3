// The networkAcl.apply job: applies a Network ACL list to tiers through the element chosen for their NetworkACL
// service (applyNetworkAcl, phase 'apply', target the tier, in the call log). Target 'aclList' (a list was edited):
// every Implemented tier that uses the list; target 'network' (a tier was assigned a list): that tier. A failure puts
// a user list in Error with lastError and a diagnosis (built-in lists are shared by every VPC and stay Active: the
// diagnosis then names the tier). The job is idempotent (applyNetworkAcl replaces the tier's ACL), so a retry
// simply runs it again; each tier is a job step, so a resumed job does not call again for tiers already done.
import {
  ACL_LISTS_CAPABILITY,
  type CallContext,
  NETWORK_ACL_SPEC_VERSION,
  type NetworkAclSpec,
  type NetworkElement,
  toAdapterError,
} from '@netplane/adapter-sdk';
import { networkAclsRepo as acls, type Db, networksRepo } from '@netplane/db';
import { type AclAction, type AclProtocol, type AclTrafficType, DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { aclMatrixSnapshot } from '../connectivity/acl-snapshots';
import { type ElementHandle, unreadableCredentialsOf } from '../elements';
import { CallFailed, isControl, JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { diagnoseFailure } from './diagnose-failure';
import { fenced } from './fenced';
import { stepCall } from './step-call';
import type { Failure } from './teardown';

/** The spec of one tier's ACL, from the rows as they are now. */
export async function aclSpecOf(
  db: Db,
  tier: networksRepo.NetworkRow,
  list: acls.AclListRow,
): Promise<NetworkAclSpec> {
  const rules = await acls.listAclRules(db, list.id);
  return {
    version: NETWORK_ACL_SPEC_VERSION,
    vpcId: tier.vpcId,
    networkId: tier.id,
    cidr: tier.cidr,
    listId: list.id,
    listName: list.name,
    rules: rules.map((r) => ({
      ruleId: r.id,
      number: r.number,
      action: r.action as AclAction,
      protocol: r.protocol as AclProtocol,
      trafficType: r.trafficType as AclTrafficType,
      portStart: r.portStart,
      portEnd: r.portEnd,
      icmpType: r.icmpType,
      icmpCode: r.icmpCode,
      cidrs: r.cidrs,
    })),
  };
}

type TierOutcome = { ok: true; applied: boolean } | { ok: false; failure: Failure & { code: string } };

/** Does this element implement ACL lists (manifest flag and the call both there)? */
export function supportsAclLists(core: EngineCore, handle: ElementHandle): boolean {
  const caps = core.elements.manifestOf(handle.adapterId)?.services.NetworkACL;
  return caps?.[ACL_LISTS_CAPABILITY] === true && typeof handle.element.applyNetworkAcl === 'function';
}

async function aclHandle(core: EngineCore, networkId: string): Promise<ElementHandle | undefined> {
  const row = (await networksRepo.listElements(core.deps.db.db, [networkId])).find(
    (e) => e.service === 'NetworkACL',
  );
  return row ? core.elements.get(row.controllerId) : undefined;
}

const failed = (
  code: string,
  category: string,
  message: string,
  o: { controllerId?: string; element?: string; callId?: string } = {},
): TierOutcome => ({
  ok: false,
  failure: {
    target: '',
    code,
    category,
    message,
    controllerId: o.controllerId ?? '',
    element: o.element ?? '',
    callId: o.callId ?? '',
  },
});

/** One tier: the list it uses now (it may have been switched since the job was queued), one applyNetworkAcl call. */
async function applyToTier(core: EngineCore, ctx: JobContext, tierId: string): Promise<TierOutcome> {
  const db = core.deps.db.db;
  const tier = await networksRepo.getNetwork(db, tierId);
  // Not Implemented: nothing on the controller to change; implementing the tier applies its list.
  if (tier?.state !== 'Implemented') return { ok: true, applied: false };
  const list = await acls.getAclList(db, await acls.aclListIdOfTier(db, tierId));
  if (!list)
    return failed('NOT_FOUND', 'INVALID_REQUEST', `The ACL list of tier ${tier.name} does not exist`);
  let handle: ElementHandle | undefined;
  try {
    handle = await aclHandle(core, tierId);
  } catch (e) {
    const secret = unreadableCredentialsOf(e);
    if (!secret) throw e;
    return failed('CREDENTIALS_UNREADABLE', 'CREDENTIALS_UNREADABLE', secret.reason, {
      controllerId: secret.controllerId,
    });
  }
  if (!handle || !supportsAclLists(core, handle)) {
    return failed(
      'SERVICE_NOT_OFFERED',
      'INVALID_REQUEST',
      handle
        ? `Element ${handle.adapterId} of tier ${tier.name} does not support ACL lists (${ACL_LISTS_CAPABILITY})`
        : `Tier ${tier.name} has no element for NetworkACL; implement it with an offering that has NetworkACL`,
      { controllerId: handle?.controllerId ?? '', element: handle?.adapterId ?? '' },
    );
  }
  const spec = await aclSpecOf(db, tier, list);
  const h = handle;
  try {
    await stepCall(core, ctx, `acl:${tierId}`, {
      handle: h,
      phase: 'apply',
      target: { type: 'network', id: tierId },
      vpcId: tier.vpcId,
      networkId: tierId,
      request: { op: 'applyNetworkAcl', acl: spec },
      invoke: (e: NetworkElement, c: CallContext) => {
        if (!e.applyNetworkAcl) throw new Error('The element has no applyNetworkAcl call');
        return e.applyNetworkAcl(spec, c);
      },
    });
    return { ok: true, applied: true };
  } catch (e) {
    if (isControl(e)) throw e;
    const err = e instanceof CallFailed ? e.error : toAdapterError(e);
    return failed('CALL_FAILED', err.category, err.message, {
      controllerId: h.controllerId,
      element: h.adapterId,
      callId: e instanceof CallFailed ? e.callId : '',
    });
  }
}

/** Diagnoses a tier's failed apply: on the list for a user list, on the tier for a built-in (shared by VPCs). */
async function reportTierFailure(
  core: EngineCore,
  ctx: JobContext,
  list: acls.AclListRow,
  tierId: string,
  out: Extract<TierOutcome, { ok: false }>,
): Promise<Failure & { code: string }> {
  const tier = await networksRepo.getNetwork(core.deps.db.db, tierId);
  const label = `tier ${tier?.name ?? tierId}`;
  const failure = { ...out.failure, target: label };
  const message = `Applying ACL list ${list.name} to ${label} failed with ${failure.category}: ${failure.message}`;
  await diagnoseFailure(
    core,
    ctx,
    list.builtin
      ? { type: 'network', id: tierId, vpcId: tier?.vpcId ?? null, fromState: tier?.state ?? '' }
      : { type: 'aclList', id: list.id, vpcId: list.vpcId, fromState: list.state },
    failure,
    message,
  );
  return failure;
}

/**
 * After implementNetwork: a tier whose list is not default_deny gets it applied (implement makes the fixed
 * default-deny rows, which are default_deny already). A failure does not undo the tier: the list goes to Error with
 * a diagnosis and its retry applies it. Returns what the implement job reports.
 */
export async function applyListAfterImplement(
  core: EngineCore,
  ctx: JobContext,
  tierId: string,
): Promise<{ listId: string; applied: boolean; error?: string } | undefined> {
  const db = core.deps.db.db;
  const listId = await acls.aclListIdOfTier(db, tierId);
  if (listId === DEFAULT_DENY_ACL_ID) return undefined;
  const list = await acls.getAclList(db, listId);
  if (!list) return undefined;
  const out = await applyToTier(core, ctx, tierId);
  if (out.ok) return { listId, applied: out.applied };
  const failure = await reportTierFailure(core, ctx, list, tierId, out);
  const error = `${failure.category}: ${failure.target}: ${failure.message}`;
  if (!list.builtin) {
    await fenced(core, ctx, async (trx) => {
      await acls.setAclListState(trx, list.id, { state: 'Error', lastError: error }, core.deps.now());
    });
  }
  return { listId, applied: false, error };
}

export async function networkAclJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const db = core.deps.db.db;
  const byTier = ctx.job.targetType === 'network';
  const listId = byTier ? await acls.aclListIdOfTier(db, ctx.job.targetId) : ctx.job.targetId;
  const list = await acls.getAclList(db, listId);
  if (!list) throw new JobFailure('NOT_FOUND', 'The ACL list does not exist');
  // An older job of a list edited since: the newer job applies the newer rules.
  if (!byTier && list.jobId !== ctx.job.id) return { listId, superseded: true };
  const tierIds = byTier
    ? [ctx.job.targetId]
    : (await acls.tiersUsingAcl(db, list.id)).filter((t) => t.state === 'Implemented').map((t) => t.id);
  const failures: Failure[] = [];
  let applied = 0;
  const change = byTier
    ? `Tier ${(await networksRepo.getNetwork(db, ctx.job.targetId))?.name ?? ctx.job.targetId} now uses ACL list ${list.name}`
    : `ACL list ${list.name} changed`;
  const before = await aclMatrixSnapshot(core, ctx, ctx.job.vpcId, 'before', change);
  for (const tierId of tierIds) {
    const out = await applyToTier(core, ctx, tierId);
    if (out.ok) {
      if (out.applied) applied++;
      continue;
    }
    failures.push(await reportTierFailure(core, ctx, list, tierId, out));
  }
  if (before) await aclMatrixSnapshot(core, ctx, ctx.job.vpcId, 'after', change);
  const now = core.deps.now();
  if (failures.length > 0) {
    const first = failures[0];
    if (!list.builtin) {
      await fenced(core, ctx, async (trx) => {
        await acls.setAclListState(
          trx,
          list.id,
          {
            state: 'Error',
            lastError: `${first?.category}: ${first?.target}: ${first?.message}`,
            jobId: ctx.job.id,
          },
          now,
          byTier ? undefined : ctx.job.id,
        );
      });
    }
    const code = failures.every((f) => f.category === 'INVALID_REQUEST') ? 'APPLY_FAILED' : 'CALL_FAILED';
    throw new JobFailure(code, `Applying ACL list ${list.name} failed on ${failures.length} tier(s)`, {
      failures,
    });
  }
  if (!list.builtin) {
    await fenced(core, ctx, async (trx) => {
      const u = { state: 'Active', lastError: null, jobId: ctx.job.id };
      await acls.setAclListState(trx, list.id, u, now, byTier ? undefined : ctx.job.id);
    });
  }
  return { listId: list.id, tiers: tierIds.length, applied };
}
