// Loading and removing the demo. Each runs once across a cluster (a claim in settings), records its progress after
// every step (demo.status polls it), and runs after the request that started it has answered: the console shows the
// progress instead of a request that hangs for the length of several jobs. A load that fails keeps its record, so
// "Remove demo" deletes what it had made.
import { settingsRepo, vpcPurgeRepo, zonesRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { Context } from '../../context';
import type { CoreCaller } from '../../root';
import { DEMO_CLAIM_KEY, type DemoRecord, deleteDemo, emptyCreated, readDemo, writeDemo } from './record';
import { DEMO_STEPS, runDemoScript } from './script';

type DemoCtx = Context & { user: NonNullable<Context['user']> };
export type CallerFor = (ctx: DemoCtx) => CoreCaller;

const ENDED = ['succeeded', 'failed', 'cancelled'];
/** A job that shows no progress this long is given up on (the demo then says so); a slow one is waited for. */
const STALL_MS = 120_000;

async function waitForJob(api: CoreCaller, jobId: string): Promise<string> {
  let seen = '';
  let deadline = Date.now() + STALL_MS;
  for (;;) {
    const job = await api.jobs.get({ id: jobId });
    if (ENDED.includes(job.state)) return job.state;
    const now = `${job.state}:${job.progressDone}`;
    if (now !== seen) {
      seen = now;
      deadline = Date.now() + STALL_MS;
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId} made no progress for ${STALL_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function claim(ctx: DemoCtx): Promise<() => Promise<void>> {
  if (!(await settingsRepo.claimSetting(ctx.db, DEMO_CLAIM_KEY, ctx.user.username, ctx.deps.now())))
    throw new AppError('CONFLICT', 'The demo is being loaded or removed already; wait for it to finish');
  return async () => {
    await settingsRepo.deleteSetting(ctx.db, DEMO_CLAIM_KEY);
  };
}

/** Why the demo cannot be loaded now, or null. */
export async function whyNotLoadable(ctx: Pick<Context, 'db' | 'deps'>): Promise<string | null> {
  if (await readDemo(ctx.db)) return 'The demo is loaded already (remove it first)';
  const sim = ctx.deps.adapters.find((a) => a.id === 'simulator');
  if (sim?.status !== 'Fully Loaded')
    return 'The demo needs the simulator adapter, which is not loaded on this server';
  if ((await zonesRepo.listZones(ctx.db)).length > 0)
    return 'The demo is only loaded into an empty inventory: this installation already has zones';
  return null;
}

/** Starts loading the demo; resolves once it has started (`done` resolves when it has ended, for startup and tests). */
export async function startDemoLoad(ctx: DemoCtx, callerFor: CallerFor): Promise<{ done: Promise<void> }> {
  const why = await whyNotLoadable(ctx);
  if (why) throw new AppError('CONFLICT', why);
  const release = await claim(ctx);
  let record: DemoRecord = {
    state: 'loading',
    step: 'Starting',
    done: 0,
    total: DEMO_STEPS,
    error: null,
    healthyVpcId: null,
    failingVpcId: null,
    created: emptyCreated(),
    startedBy: ctx.user.username,
    updatedAt: ctx.deps.now(),
  };
  const save = async (change: Partial<DemoRecord>) => {
    record = { ...record, ...change, updatedAt: ctx.deps.now() };
    await writeDemo(ctx.db, record);
  };
  await save({});
  const api = callerFor(ctx);
  const done = (async () => {
    try {
      await runDemoScript(
        api,
        {
          step: (label) => save({ step: label, done: Math.min(record.done + 1, DEMO_STEPS) }),
          made: (kind, id) => save({ created: { ...record.created, [kind]: [...record.created[kind], id] } }),
          vpcs: (healthyVpcId, failingVpcId) => save({ healthyVpcId, failingVpcId }),
        },
        (jobId) => waitForJob(api, jobId),
      );
      await save({ state: 'loaded', step: 'Loaded', done: DEMO_STEPS });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      ctx.deps.logger.warn({ err: message }, 'Loading the demo failed');
      await save({ state: 'failed', error: message }).catch(() => {});
    } finally {
      await release().catch(() => {});
    }
  })();
  return { done };
}

/** Starts removing everything the demo made (also after a failed or interrupted load). */
export async function startDemoRemoval(ctx: DemoCtx, callerFor: CallerFor): Promise<{ done: Promise<void> }> {
  const found = await readDemo(ctx.db);
  if (!found) throw new AppError('NOT_FOUND', 'No demo is loaded');
  const release = await claim(ctx);
  let record: DemoRecord = { ...found, state: 'removing', step: 'Destroying the demo VPCs', error: null };
  const save = async (change: Partial<DemoRecord>) => {
    record = { ...record, ...change, updatedAt: ctx.deps.now() };
    await writeDemo(ctx.db, record);
  };
  await save({ done: 0, total: 3 });
  const api = callerFor(ctx);
  const done = (async () => {
    try {
      await removeAll(api, ctx, record, save);
      await deleteDemo(ctx.db);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      ctx.deps.logger.warn({ err: message }, 'Removing the demo failed');
      await save({ state: 'failed', error: `Removal failed: ${message}` }).catch(() => {});
    } finally {
      await release().catch(() => {});
    }
  })();
  return { done };
}

const ignoreMissing = async (f: () => Promise<unknown>) => {
  try {
    await f();
  } catch (e) {
    if (
      !(
        e instanceof Error && /does not exist|NOT_FOUND/.test(`${e.message} ${(e as { code?: string }).code}`)
      )
    )
      throw e;
  }
};

async function removeAll(
  api: CoreCaller,
  ctx: DemoCtx,
  record: DemoRecord,
  save: (change: Partial<DemoRecord>) => Promise<void>,
): Promise<void> {
  const { created } = record;
  for (const id of created.vpcIds) {
    const vpc = await api.vpcs.get({ id }).catch(() => undefined);
    if (!vpc || vpc.state === 'Destroy') continue;
    const { jobId } = await api.vpcs.destroy({ id });
    const state = await waitForJob(api, jobId);
    if (state !== 'succeeded') throw new Error(`destroying VPC ${vpc.name} ended ${state}`);
  }
  await save({ step: 'Deleting the demo VPCs and their history', done: 1 });
  const purge = await vpcPurgeRepo.purgeDestroyedVpcs(ctx.db, created.vpcIds);
  if (purge.refused.length > 0)
    throw new Error(
      `VPC(s) ${purge.refused.map((r) => `${r.id} (${r.state})`).join(', ')} are not destroyed`,
    );
  await save({ step: 'Deleting the demo inventory', done: 2 });
  for (const id of created.publicIpRangeIds) await ignoreMissing(() => api.publicIpRanges.delete({ id }));
  for (const id of created.offeringIds) await ignoreMissing(() => api.offerings.delete({ id }));
  // An enabled provider (and what hangs on it) cannot be deleted: disable first, as an admin would.
  for (const id of created.providerIds)
    await ignoreMissing(() => api.providers.setState({ id, state: 'Disabled' }));
  for (const id of created.controllerIds) await ignoreMissing(() => api.controllers.delete({ id }));
  for (const id of created.providerIds) await ignoreMissing(() => api.providers.delete({ id }));
  for (const id of created.physicalNetworkIds) await ignoreMissing(() => api.physicalNetworks.delete({ id }));
  for (const id of created.zoneIds) await ignoreMissing(() => api.zones.delete({ id }));
  await save({ step: 'Removed', done: 3 });
}
