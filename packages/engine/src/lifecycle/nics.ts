// Prepare NICs, single or in bulk (release is release.ts). Prepares are coalesced into prepareNics batches (up to the
// adapter's maxBatchSize) when it supports them; each NIC is its own step, so a resumed job skips the NICs done.
import type { AdapterError, NicSpec } from '@netplane/adapter-sdk';
import { jobsRepo, networksRepo, nicsRepo } from '@netplane/db';
import { type LostResource, reasonFromCode } from '@netplane/domain';
import type { ElementHandle } from '../elements';
import { CallFailed, isControl, JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { NicOutcome } from './coalescer';
import type { EngineCore } from './core';
import { tierHandlesForNics } from './credentials-failure';
import { fenceOf } from './implement';
import { isRefusal, lostTierOf, type Restored } from './lost-state';
import { pool } from './pool';
import { nicSpecOf } from './specs';

async function prepareOn(
  core: EngineCore,
  ctx: JobContext,
  handle: ElementHandle,
  specs: readonly NicSpec[],
  batch: number,
): Promise<Map<string, NicOutcome>> {
  const out = new Map<string, NicOutcome>();
  const first = specs[0] as NicSpec;
  const key = `prepare:${handle.controllerId}:${first.nicId}${specs.length > 1 ? `+${specs.length - 1}` : ''}`;
  const common = {
    handle,
    phase: 'prepare' as const,
    vpcId: first.vpcId,
    networkId: first.networkId,
    idempotencyKey: `${ctx.job.id}:${key}`,
    job: ctx.callJob(null),
  };
  try {
    if (batch <= 1) {
      const r = await core.calls.call({
        ...common,
        target: { type: 'nic', id: first.nicId },
        request: { op: 'prepareNic', nic: first },
        invoke: (e, c) => e.prepareNic(first, c),
      });
      out.set(first.nicId, { ok: true, adopted: r.adopted });
      return out;
    }
    // Batches go through the controller's coalescer, which may merge them with other jobs' NICs.
    return await core.coalescer(handle.controllerId).prepare(ctx, specs, batch);
  } catch (e) {
    if (isControl(e) || !(e instanceof CallFailed)) throw e;
    for (const s of specs) out.set(s.nicId, { ok: false, error: e.error, callId: e.callId });
  }
  return out;
}

export async function prepareNicsJob(
  core: EngineCore,
  ctx: JobContext,
  restored?: Restored,
): Promise<unknown> {
  const db = core.deps.db.db;
  const nicIds = await nicsToPrepare(core, ctx, restored);
  const network = await networksRepo.getNetwork(db, ctx.job.targetId);
  if (!network) throw new JobFailure('NOT_FOUND', 'The tier does not exist');
  if (network.state !== 'Implemented') {
    throw new JobFailure('INVALID_STATE', `Tier ${network.name} is ${network.state}; implement it first`);
  }
  await ctx.setTotal(nicIds.length);
  const nics = await nicsRepo.getNics(db, nicIds);
  const handles = await tierHandlesForNics(core, ctx, network.id, nics, 'Reserved');
  const pending: nicsRepo.NicRow[] = [];
  for (const n of nics) {
    if (ctx.isDone(`nic:${n.id}`)) continue;
    if (n.state === 'Reserved') await ctx.record(`nic:${n.id}`, { noop: true }, 1);
    else pending.push(n);
  }
  const requested = Number(ctx.payload.batchSize ?? core.options.prepareBatchSize);
  const size = Math.max(
    1,
    Math.min(
      requested,
      ...handles.map((h) => (h.manifest.supportsBatchPrepare ? h.manifest.limits.maxBatchSize : 1)),
    ),
  );
  // Database writes are grouped (one transaction per group for Reserving, one for Reserved) independently of the
  // call batching, so even one-call-per-NIC costs few writes per NIC.
  const groupSize = Math.max(size, 25);
  const chunks: nicsRepo.NicRow[][] = [];
  for (let i = 0; i < pending.length; i += groupSize) chunks.push(pending.slice(i, i + groupSize));
  const failed: { nicId: string; category: string }[] = [];
  const lostBy = new Map<string, Promise<LostResource | undefined>>();
  const lostOf = (h: ElementHandle) => {
    const known = lostBy.get(h.controllerId);
    if (known) return known;
    const asked = lostTierOf(core, ctx, h, network);
    lostBy.set(h.controllerId, asked);
    return asked;
  };
  const parallel = Math.max(1, Math.ceil(core.options.nicParallelism / groupSize));
  await pool(chunks, parallel, async (chunk) => {
    await ctx.checkpoint();
    const base = { entity: 'nic' as const, actor: ctx.actor, jobId: ctx.job.id, fence: fenceOf(ctx) };
    const rows = new Map<string, { state: string; version: number; conditions: string; vpcId: string }>();
    // Each NIC's outcome is written with its step in one fenced transaction, from the row as this job last saw it.
    const done = (nicId: string, result: unknown) => {
      const json = JSON.stringify(result);
      const step = { key: `nic:${nicId}`, seq: ctx.nextSeq(), result: json, progress: 1 };
      const known = rows.get(nicId);
      return { step, ...(known && { known }), mark: () => ctx.markRecorded(step.key, json, 1) };
    };
    const reserving = await core.state.transitionMany(
      chunk.map((n) => ({
        ...base,
        id: n.id,
        to: 'Reserving',
        reason: 'Prepare requested',
        known: { state: n.state, version: n.version, conditions: n.conditions, vpcId: n.vpcId },
      })),
    );
    chunk.forEach((n, i) => {
      const r = reserving[i];
      if (r) rows.set(n.id, { state: r.to, version: r.version, conditions: r.conditions, vpcId: n.vpcId });
    });
    let live = chunk.map(nicSpecOf);
    const doneOn = new Map<string, ElementHandle[]>();
    const failures = new Map<string, { error: AdapterError; callId: string; handle: ElementHandle }>();
    for (const handle of handles) {
      if (live.length === 0) break;
      const batch = handle.manifest.supportsBatchPrepare ? size : 1;
      const batches: NicSpec[][] = [];
      for (let i = 0; i < live.length; i += batch) batches.push(live.slice(i, i + batch));
      const outcome = new Map<string, NicOutcome>();
      await pool(batches, Math.max(1, Math.ceil(core.options.nicParallelism / batch)), async (b) => {
        for (const [k, v] of await prepareOn(core, ctx, handle, b, batch)) outcome.set(k, v);
      });
      const adopted = new Set<string>();
      for (const s of live) {
        const o = outcome.get(s.nicId);
        if (o?.ok) {
          doneOn.set(s.nicId, [...(doneOn.get(s.nicId) ?? []), handle]);
          if (o.adopted) adopted.add(s.nicId);
        } else if (o) failures.set(s.nicId, { error: o.error, callId: o.callId, handle });
      }
      for (const id of adopted) await nicsRepo.setAdopted(db, id, true);
      live = live.filter((s) => !failures.has(s.nicId));
    }
    const finished = live.map((spec) => ({ spec, d: done(spec.nicId, { ok: true }) }));
    await core.state.transitionMany(
      finished.map(({ spec, d }) => ({
        ...base,
        id: spec.nicId,
        step: d.step,
        ...(d.known && { known: d.known }),
        to: 'Reserved',
        reason: 'Prepared on every element',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Reserved',
            message: 'Prepared on every element',
          },
          {
            type: 'Synced',
            status: 'True',
            reason: 'Applied',
            message: 'The controller was written by this job',
          },
        ],
      })),
    );
    for (const { d } of finished) d.mark();
    for (const [nicId, f] of failures) {
      // fail-fast per NIC: undo it on the elements where it was already prepared, then mark it Error
      for (const h of (doneOn.get(nicId) ?? []).reverse()) {
        await core.calls
          .call({
            handle: h,
            phase: 'release',
            purpose: 'rollback',
            target: { type: 'nic', id: nicId },
            vpcId: network.vpcId,
            networkId: network.id,
            request: { op: 'releaseNic', nicId, reason: 'rollback' },
            idempotencyKey: `${ctx.job.id}:undo:${h.controllerId}:${nicId}`,
            job: ctx.callJob(null),
            invoke: (e, c) => e.releaseNic({ nicId, networkId: network.id, vpcId: network.vpcId }, c),
          })
          .catch((e) => {
            if (isControl(e)) throw e;
          });
      }
      // A refusal may mean the controller lost the tier (restarted empty): observe says so, once per controller.
      const lost = isRefusal(f.error.category) ? await lostOf(f.handle) : undefined;
      const d = done(nicId, { ok: false, category: f.error.category });
      const message = lost
        ? `Prepare failed: the controller no longer holds ${lost.resource === 'vpc' ? 'VPC' : 'tier'} ${lost.name ?? lost.id} (${f.error.category}: ${f.error.message})`
        : `Prepare failed with ${f.error.category}: ${f.error.message}`;
      await core.state.transition({
        ...base,
        id: nicId,
        step: d.step,
        ...(d.known && { known: d.known }),
        to: 'Error',
        reason: message,
        conditions: [{ type: 'Ready', status: 'False', reason: reasonFromCode(f.error.category), message }],
        error: {
          code: lost ? 'CONTROLLER_LOST_STATE' : 'CALL_FAILED',
          category: f.error.category,
          message,
          ...(f.callId && { rootCallId: f.callId }),
          ...(lost && { lost }),
        },
      });
      d.mark();
      failed.push({ nicId, category: f.error.category });
    }
  });
  if (failed.length > 0) {
    throw new JobFailure('PREPARE_FAILED', `${failed.length} of ${nicIds.length} NIC(s) failed to prepare`, {
      failed,
    });
  }
  return { prepared: nicIds.length };
}

/**
 * The job's NICs; on a retry that had to re-create what the controller lost, also the NICs of the retried job still
 * in Error (they failed for that loss, or on the way to it), so one retry ends with all of them Reserved.
 */
async function nicsToPrepare(core: EngineCore, ctx: JobContext, restored?: Restored): Promise<string[]> {
  const own = (ctx.payload.nicIds as string[] | undefined) ?? [];
  const retryOf = ctx.payload.retryOf;
  if (!restored?.restored.length || typeof retryOf !== 'string') return own;
  const db = core.deps.db.db;
  const earlier = await jobsRepo.getJob(db, retryOf);
  const theirs = (JSON.parse(earlier?.payload ?? '{}') as { nicIds?: string[] }).nicIds ?? [];
  const inError = (await nicsRepo.getNics(db, theirs)).filter((n) => n.state === 'Error').map((n) => n.id);
  return [...new Set([...own, ...inError])];
}
