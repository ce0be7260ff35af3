// Shut down and destroy tiers and VPCs. Unlike implement these go on past a failing element and report each one;
// any failure leaves the entity in Error (with the first failing call as its root cause).
import { networksRepo, nicsRepo, vpcsRepo } from '@netplane/db';
import { unreadableCredentialsOf } from '../elements';
import { CallFailed, isControl, JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { fenceOf } from './implement';
import { releaseNicsOf } from './release';
import { revokeRulesOfTier } from './rules';
import { releaseVpcAddresses } from './source-nat';
import { type ElementGroup, groupElements } from './specs';
import { onWholeVpc, stepCall } from './step-call';

export type Failure = {
  target: string;
  controllerId: string;
  element: string;
  category: string;
  message: string;
  callId: string;
};

async function tryCall(failures: Failure[], target: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (isControl(e) || !(e instanceof CallFailed)) throw e;
    failures.push({
      target,
      controllerId: e.controllerId,
      element: e.adapterId,
      category: e.error.category,
      message: e.message,
      callId: e.callId,
    });
  }
}

/** shutdownNetwork or destroyNetwork on every controller of the tier, each a job step; failures are collected. */
async function eachController(
  core: EngineCore,
  ctx: JobContext,
  failures: Failure[],
  network: networksRepo.NetworkRow,
  groups: readonly ElementGroup[],
  op: 'shutdown' | 'destroy',
): Promise<void> {
  const ref = { networkId: network.id, vpcId: network.vpcId };
  for (const g of groups) {
    const key = `${network.id}:${op}:${g.controllerId}`;
    const handle = await core.elements.get(g.controllerId);
    await tryCall(failures, `network ${network.name}`, () =>
      stepCall(core, ctx, key, {
        handle,
        phase: op,
        target: { type: 'network', id: network.id },
        vpcId: network.vpcId,
        networkId: network.id,
        request: { op: `${op}Network`, networkId: network.id },
        invoke: (e, c) => (op === 'shutdown' ? e.shutdownNetwork(ref, c) : e.destroyNetwork(ref, c)),
      }),
    );
  }
}

/** Shuts a tier down (releasing its reserved NICs first) and, for destroy, removes it; returns every failure. */
async function teardownTier(
  core: EngineCore,
  ctx: JobContext,
  id: string,
  destroy: boolean,
): Promise<Failure[]> {
  try {
    return await teardownTierSteps(core, ctx, id, destroy);
  } catch (e) {
    const secret = unreadableCredentialsOf(e);
    if (!secret) throw e;
    // The tier must not stay in Shutdown with nothing said: it goes to Error with the credentials diagnosis.
    const message = `${destroy ? 'Destroy' : 'Shutdown'} needs controller ${secret.controllerName}, whose stored credentials cannot be decrypted: ${secret.reason}`;
    await core.state
      .transition({
        entity: 'network',
        id,
        actor: ctx.actor,
        jobId: ctx.job.id,
        fence: fenceOf(ctx),
        to: 'Error',
        reason: message,
        conditions: [{ type: 'Ready', status: 'False', reason: 'CredentialsUnreadable', message }],
        error: { code: 'CREDENTIALS_UNREADABLE', message: secret.reason, controllerId: secret.controllerId },
      })
      // The original error is the one to report; a tier that cannot enter Error is only logged.
      .catch((err: unknown) =>
        core.deps.logger.warn({ tier: id, err: String(err) }, 'Tier not moved to Error'),
      );
    throw e;
  }
}

async function teardownTierSteps(
  core: EngineCore,
  ctx: JobContext,
  id: string,
  destroy: boolean,
): Promise<Failure[]> {
  const db = core.deps.db.db;
  const network = await networksRepo.getNetwork(db, id);
  if (!network || network.state === 'Destroy') return [];
  const base = { entity: 'network' as const, id, actor: ctx.actor, jobId: ctx.job.id, fence: fenceOf(ctx) };
  const failures: Failure[] = [];
  const groups = groupElements(await networksRepo.listElements(db, [id]));
  const wasLive = ['Implemented', 'Error', 'Implementing', 'Shutdown'].includes(network.state);
  if (wasLive && network.state !== 'Shutdown') {
    await core.state.transition({
      ...base,
      to: 'Shutdown',
      reason: destroy ? 'Destroy requested' : 'Shutdown requested',
    });
  }
  // Static NATs and LB rules go first, whatever the tier's state: they point at its NICs.
  failures.push(...(await revokeRulesOfTier(core, ctx, id)));
  if (wasLive) {
    const nics = (await nicsRepo.listNicsOfNetwork(db, id)).filter((n) => n.state !== 'Allocated');
    failures.push(
      ...(await releaseNicsOf(
        core,
        ctx,
        network,
        nics.map((n) => n.id),
        `${id}:`,
      )),
    );
    await eachController(core, ctx, failures, network, groups, 'shutdown');
  }
  if (destroy) await eachController(core, ctx, failures, network, groups, 'destroy');
  if (failures.length > 0) {
    const first = failures[0] as Failure;
    const message = `${destroy ? 'Destroy' : 'Shutdown'} of tier ${network.name} failed on ${failures.length} call(s): ${failures.map((f) => `${f.element} ${f.category}`).join('; ')}`;
    await core.state.transition({
      ...base,
      to: 'Error',
      reason: message,
      conditions: [
        { type: 'Ready', status: 'False', reason: destroy ? 'DestroyFailed' : 'ShutdownFailed', message },
      ],
      error: {
        code: destroy ? 'DESTROY_FAILED' : 'SHUTDOWN_FAILED',
        category: first.category,
        message,
        rootCallId: first.callId,
      },
    });
    return failures;
  }
  if (!destroy) {
    await core.state.transition({
      ...base,
      to: 'Allocated',
      reason: 'Shut down on every element',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'Shutdown', message: 'The tier is shut down' },
        {
          type: 'Synced',
          status: 'Unknown',
          reason: 'NotImplemented',
          message: 'Nothing to compare while shut down',
        },
      ],
    });
    return [];
  }
  await core.state.transition({
    ...base,
    to: 'Destroy',
    reason: 'Destroyed on every element',
    conditions: [{ type: 'Ready', status: 'False', reason: 'Destroyed', message: 'The tier is destroyed' }],
  });
  await networksRepo.releaseSegment(db, id, core.deps.now());
  for (const n of await nicsRepo.listNicsOfNetwork(db, id)) await nicsRepo.deleteNic(db, n.id);
  return [];
}

export async function shutdownTierJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const failures = await teardownTier(core, ctx, ctx.job.targetId, false);
  if (failures.length > 0)
    throw new JobFailure('SHUTDOWN_FAILED', `${failures.length} call(s) failed`, { failures });
  return { failures };
}

export async function destroyTierJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const failures = await teardownTier(core, ctx, ctx.job.targetId, true);
  if (failures.length > 0)
    throw new JobFailure('DESTROY_FAILED', `${failures.length} call(s) failed`, { failures });
  return { failures };
}

/** Destroys every tier (continuing past failures), then the VPC on every controller its tiers used. */
export async function destroyVpcJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const db = core.deps.db.db;
  const vpcId = ctx.job.targetId;
  const vpc = await vpcsRepo.getVpc(db, vpcId);
  if (!vpc || vpc.state === 'Destroy') return { noop: true };
  const base = {
    entity: 'vpc' as const,
    id: vpcId,
    actor: ctx.actor,
    jobId: ctx.job.id,
    fence: fenceOf(ctx),
  };
  if (vpc.state !== 'Shutdown')
    await core.state.transition({ ...base, to: 'Shutdown', reason: 'Destroy requested' });
  const all = await networksRepo.listNetworksOfVpc(db, vpcId, true);
  const failures: Failure[] = [];
  for (const n of all.filter((x) => x.state !== 'Destroy'))
    failures.push(...(await teardownTier(core, ctx, n.id, true)));
  const groups = groupElements(
    await networksRepo.listElements(
      db,
      all.map((n) => n.id),
    ),
  );
  for (const g of groups) {
    const key = `vpc:destroy:${g.controllerId}`;
    const handle = await core.elements.get(g.controllerId);
    await tryCall(failures, `VPC ${vpc.name}`, () =>
      stepCall(core, ctx, key, {
        handle,
        phase: 'destroy',
        ...onWholeVpc(vpcId),
        request: { op: 'destroyVpc', vpcId },
        invoke: (e, c) => e.destroyVpc({ vpcId }, c),
      }),
    );
  }
  if (failures.length > 0) {
    const first = failures[0] as Failure;
    const message = `Destroy of VPC ${vpc.name} failed on ${failures.length} call(s)`;
    await core.state.transition({
      ...base,
      to: 'Error',
      reason: message,
      conditions: [{ type: 'Ready', status: 'False', reason: 'DestroyFailed', message }],
      error: { code: 'DESTROY_FAILED', category: first.category, message, rootCallId: first.callId },
    });
    throw new JobFailure('DESTROY_FAILED', message, { failures });
  }
  await core.state.transition({
    ...base,
    to: 'Destroy',
    reason: 'Every tier and the VPC were destroyed',
    conditions: [{ type: 'Ready', status: 'False', reason: 'Destroyed', message: 'The VPC is destroyed' }],
  });
  // Only now: after a failed destroy a controller may still translate to the source-NAT address.
  await releaseVpcAddresses(core, ctx, vpcId);
  return { failures: [] };
}
