// Implement a tier: negotiate, then implementVpc + implementNetwork on each chosen element in order. Fail-fast: the
// first failing element stops the rest and the steps done are undone in reverse; a failed undo leaves the tier in Error.
import { networksRepo, vpcsRepo } from '@netplane/db';
import { AppError, reasonFromCode } from '@netplane/domain';
import { unreadableCredentialsOf } from '../elements';
import { CallFailed, isControl, JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { TransitionInput } from '../state';
import { applyListAfterImplement } from './acl-job';
import type { EngineCore } from './core';
import { negotiateTier } from './negotiation';
import { sourceNatForTier } from './source-nat';
import {
  dhcpSpecOf,
  type ElementGroup,
  groupElements,
  networkSpecOf,
  publicNetworkOf,
  vpcSpecOf,
} from './specs';
import { stepCall } from './step-call';

type Done = { kind: 'vpc' | 'network'; group: ElementGroup; adopted: boolean };

export const fenceOf = (ctx: JobContext) => ({ jobId: ctx.job.id, node: ctx.nodeId, token: ctx.token });

export async function implementTierJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const db = core.deps.db.db;
  const id = ctx.job.targetId;
  const base = { entity: 'network' as const, id, actor: ctx.actor, jobId: ctx.job.id, fence: fenceOf(ctx) };
  const network = await networksRepo.getNetwork(db, id);
  if (!network) throw new JobFailure('NOT_FOUND', `Tier ${id} does not exist`);
  if (network.state === 'Implemented' && !ctx.isDone('begin'))
    return { noop: true, broadcastUri: network.broadcastUri };
  await ctx.step('begin', async () => {
    await core.state.transition({
      ...base,
      to: 'Implementing',
      from: ['Allocated', 'Error', 'Implementing'],
      reason: 'Implement requested',
    });
    return {};
  });
  // Before negotiation, so an adapter's canHandle for SourceNat sees the VPC's own address.
  const snat = await ctx.step('sourceNat', async () => ({
    address: (await sourceNatForTier(core, ctx, network)) ?? null,
  }));
  const sourceNatIp = snat.address ?? undefined;
  const publicNetwork = sourceNatIp ? await publicNetworkOf(db, network.vpcId) : undefined;
  const neg = await ctx.step('negotiate', async () => {
    const r = await negotiateTier(core, id, ctx.job.id, sourceNatIp, publicNetwork);
    return { ok: r.ok, missing: r.missing, traceId: r.traceId, unreadable: r.unreadable };
  });
  const unreadable = neg.unreadable?.[0];
  if (!neg.ok && unreadable) {
    // No element, because a controller that could have served cannot be used here: say that, not "add a provider".
    await failOnUnreadableCredentials(core, base, network.name, unreadable);
  }
  if (!neg.ok) {
    const message = `No element can give ${neg.missing.join(', ')} to tier ${network.name}`;
    await core.state.transition({
      ...base,
      to: 'Error',
      reason: message,
      conditions: [{ type: 'Ready', status: 'False', reason: 'NoElementForService', message }],
      error: { code: 'NO_ELEMENT_FOR_SERVICE', message, traceId: neg.traceId },
    });
    throw new JobFailure('NO_ELEMENT_FOR_SERVICE', message, { missing: neg.missing, traceId: neg.traceId });
  }
  const vpc = await vpcsRepo.getVpc(db, network.vpcId);
  if (!vpc) throw new JobFailure('NOT_FOUND', `VPC ${network.vpcId} does not exist`);
  const groups = groupElements(await networksRepo.listElements(db, [id]));
  await ctx.setTotal(groups.length * 2);
  const dhcp = await dhcpSpecOf(db, network);
  const done: Done[] = [];
  for (const group of groups) {
    try {
      const handle = await core.elements.get(group.controllerId);
      const vpcKey = `implementVpc:${group.controllerId}`;
      const vr = await stepCall(
        core,
        ctx,
        vpcKey,
        {
          handle,
          phase: 'implement',
          target: { type: 'vpc', id: vpc.id },
          vpcId: vpc.id,
          networkId: id,
          request: { op: 'implementVpc', vpc: vpcSpecOf(vpc) },
          invoke: (e, c) => e.implementVpc(vpcSpecOf(vpc), c),
        },
        1,
      );
      done.push({ kind: 'vpc', group, adopted: vr.adopted });
      const netKey = `implementNetwork:${group.controllerId}`;
      const spec = networkSpecOf(network, group.services, { sourceNatIp, publicNetwork, dhcp });
      await stepCall(
        core,
        ctx,
        netKey,
        {
          handle,
          phase: 'implement',
          target: { type: 'network', id },
          vpcId: vpc.id,
          networkId: id,
          request: { op: 'implementNetwork', network: spec },
          invoke: (e, c) => e.implementNetwork(spec, c),
        },
        1,
      );
      done.push({ kind: 'network', group, adopted: false });
    } catch (e) {
      if (isControl(e)) throw e;
      const partial = await partialStateOf(core, ctx, group, done, e);
      await rollBack(core, ctx, [...partial, ...done.reverse()], e);
      const secret = unreadableCredentialsOf(e);
      if (secret) await failOnUnreadableCredentials(core, base, network.name, secret);
      throw e;
    }
  }
  await core.state.transition({
    ...base,
    to: 'Implemented',
    reason: `Implemented on ${groups.map((g) => g.adapterId).join(', ')}`,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Implemented',
        message: `Implemented with ${network.broadcastUri}`,
      },
      {
        type: 'Synced',
        status: 'True',
        reason: 'Applied',
        message: 'The controller was written by this job',
      },
    ],
  });
  if (vpc.state === 'Allocated' || vpc.state === 'Error') {
    await core.state
      .transition({
        entity: 'vpc',
        id: vpc.id,
        to: 'Implemented',
        actor: ctx.actor,
        jobId: ctx.job.id,
        reason: `First tier ${network.name} implemented`,
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Implemented',
            message: 'At least one tier is implemented',
          },
        ],
      })
      .catch((e) => {
        if (!(e instanceof AppError)) throw e;
      });
  }
  // The tier's Network ACL list, when it is not the default_deny the implement already made.
  const acl = await applyListAfterImplement(core, ctx, id);
  return { broadcastUri: network.broadcastUri, elements: groups, ...(acl && { acl }) };
}

/** The tier goes to Error with CREDENTIALS_UNREADABLE (its own diagnosis), and the job fails with that code. */
async function failOnUnreadableCredentials(
  core: EngineCore,
  base: Omit<TransitionInput, 'to' | 'reason'>,
  tierName: string,
  secret: { controllerId: string; controllerName: string; reason: string },
): Promise<never> {
  const message = `Tier ${tierName} needs controller ${secret.controllerName}, whose stored credentials cannot be decrypted: ${secret.reason}`;
  await core.state.transition({
    ...base,
    to: 'Error',
    reason: message,
    conditions: [{ type: 'Ready', status: 'False', reason: 'CredentialsUnreadable', message }],
    error: { code: 'CREDENTIALS_UNREADABLE', message: secret.reason, controllerId: secret.controllerId },
  });
  throw new JobFailure('CREDENTIALS_UNREADABLE', message, { controllerId: secret.controllerId });
}

/**
 * A call can fail after the controller already made the resource (a timeout after commit, a vendor error on the way
 * back). Ask the controller (observe) whether the failed step left our network behind, so the undo removes it too.
 */
async function partialStateOf(
  core: EngineCore,
  ctx: JobContext,
  group: ElementGroup,
  done: readonly Done[],
  cause: unknown,
): Promise<Done[]> {
  const id = ctx.job.targetId;
  const failedAtNetwork = done.some((d) => d.group === group && d.kind === 'vpc');
  if (!(cause instanceof CallFailed) || !failedAtNetwork) return [];
  try {
    const handle = await core.elements.get(group.controllerId);
    const network = await networksRepo.getNetwork(core.deps.db.db, id);
    const key = `observe-partial:${group.controllerId}`;
    const observed = await core.calls.call({
      handle,
      phase: 'observe',
      purpose: 'rollback',
      target: { type: 'network', id },
      vpcId: network?.vpcId ?? null,
      networkId: id,
      request: { op: 'observe', networkIds: [id], reason: 'partial state after a failed implement' },
      idempotencyKey: `${ctx.job.id}:${key}`,
      job: ctx.callJob(key),
      invoke: (e, c) => e.observe({ vpcId: network?.vpcId ?? '', networkIds: [id] }, c),
      summarize: (o) => ({ found: o.resources.filter((r) => r.id === id).map((r) => r.kind) }),
    });
    const left = observed.resources.some((r) => r.kind === 'network' && r.id === id);
    return left ? [{ kind: 'network', group, adopted: false }] : [];
  } catch (e) {
    if (isControl(e)) throw e;
    return []; // the controller cannot even be observed: the undo below still runs and reports
  }
}

async function rollBack(core: EngineCore, ctx: JobContext, todo: Done[], cause: unknown): Promise<void> {
  const db = core.deps.db.db;
  const id = ctx.job.targetId;
  const network = await networksRepo.getNetwork(db, id);
  const undoFailures: CallFailed[] = [];
  for (const d of todo) {
    const handle = await core.elements.get(d.group.controllerId);
    const key = `undo:${d.kind}:${d.group.controllerId}`;
    if (d.kind === 'vpc') {
      const others = (await networksRepo.listNetworksOfVpc(db, network?.vpcId ?? '')).filter(
        (n) => n.id !== id && (n.state === 'Implemented' || n.state === 'Implementing'),
      );
      if (d.adopted || others.length > 0) continue; // the VPC was there before us, or other tiers need it
    }
    try {
      await stepCall(core, ctx, key, {
        handle,
        phase: 'destroy',
        purpose: 'rollback',
        target: d.kind === 'vpc' ? { type: 'vpc', id: network?.vpcId ?? '' } : { type: 'network', id },
        vpcId: network?.vpcId ?? null,
        networkId: id,
        request: { op: d.kind === 'vpc' ? 'destroyVpc' : 'destroyNetwork', reason: 'rollback' },
        invoke: (e, c) =>
          d.kind === 'vpc'
            ? e.destroyVpc({ vpcId: network?.vpcId ?? '' }, c)
            : e.destroyNetwork({ networkId: id, vpcId: network?.vpcId ?? '' }, c),
      });
    } catch (e) {
      if (isControl(e)) throw e;
      if (e instanceof CallFailed) undoFailures.push(e);
      else throw e;
    }
  }
  const root = cause instanceof CallFailed ? cause : undefined;
  const category = root?.error.category ?? 'INTERNAL';
  const base = { entity: 'network' as const, id, actor: ctx.actor, jobId: ctx.job.id, fence: fenceOf(ctx) };
  if (undoFailures.length > 0) {
    const message = `Implement failed with ${category} and its undo failed too (${undoFailures.map((u) => u.error.category).join(', ')})`;
    await core.state.transition({
      ...base,
      to: 'Error',
      reason: message,
      conditions: [{ type: 'Ready', status: 'False', reason: 'UndoFailed', message }],
      error: {
        code: 'UNDO_FAILED',
        category,
        message: `${message}: ${root?.message ?? String(cause)}`,
        ...(root && { rootCallId: root.callId }),
      },
    });
    return;
  }
  const message = `Implement failed with ${category}: ${root?.message ?? String(cause)}; the steps done were undone`;
  await core.state.transition({
    ...base,
    to: 'Allocated',
    reason: message,
    conditions: [{ type: 'Ready', status: 'False', reason: reasonFromCode(category), message }],
  });
}
