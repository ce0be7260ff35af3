// One run of one claimed job on this node: marks the calls an earlier holder left in flight abandoned, runs the
// job's handler with its recorded steps, and ends it (succeeded, failed, cancelled), hands it back on drain, or stops
// quietly when the lease was lost. A database outage is rethrown: the worker waits for the database and hands back.
import type { DbHandle } from '@netplane/db';
import { describeDatabaseError, elementCallsRepo, isDatabaseUnavailable, jobsRepo } from '@netplane/db';
import { FencedError, JobStopped } from '../errors';
import type { EngineLogger } from '../types';
import { JobContext } from './context';
import type { JobEvents } from './events';
import { errorOf } from './job-error';

export type JobHandler = (ctx: JobContext) => Promise<unknown>;

export type RunDeps = {
  db: DbHandle;
  logger: EngineLogger;
  nodeId: string;
  handlers: ReadonlyMap<string, JobHandler>;
  events: JobEvents;
  now: () => number;
  /** The job's own work is done: what is left (its Realized check) need not hold a place of the worker's cap. */
  finishing?: () => void;
};

async function abandonCallsOfEarlierHolders(deps: RunDeps, jobId: string, token: number): Promise<void> {
  const me = deps.nodeId;
  const summary = (dead: string) =>
    `Node ${dead} died (or stalled past its lease) while this call was in flight; node ${me} took the job over ` +
    `with fencing token ${token}. Whether the controller applied the call is unknown; the resumed job repeats it ` +
    'idempotently';
  const n = await elementCallsRepo
    .abandonCallsOfJob(deps.db.db, jobId, token, deps.now(), summary)
    .catch((e) => {
      // A database outage here surfaces at the job's first write, which the worker handles.
      deps.logger.warn(
        { jobId, err: describeDatabaseError(e) },
        'Marking calls of the previous holder abandoned failed',
      );
      return 0;
    });
  if (n > 0)
    deps.logger.warn({ jobId, calls: n, token }, 'Took over a job: calls left in flight marked abandoned');
}

export async function runJob(deps: RunDeps, id: string, token: number, signal: AbortSignal): Promise<void> {
  const db = deps.db.db;
  const node = deps.nodeId;
  const job = await jobsRepo.getJob(db, id);
  if (!job) return;
  const emit = (state: 'running' | 'succeeded' | 'failed' | 'cancelled', done = job.progressDone) =>
    deps.events.emit({
      jobId: id,
      kind: job.kind,
      targetId: job.targetId,
      vpcId: job.vpcId,
      state,
      progressDone: done,
      progressTotal: job.progressTotal,
      at: deps.now(),
    });
  emit('running');
  // Taken over (an earlier holder's lease expired): the calls it left in flight will never be completed by it.
  if (job.attempts > 1) await abandonCallsOfEarlierHolders(deps, id, token);
  const finish = async (state: 'succeeded' | 'failed' | 'cancelled', result: unknown, error: unknown) => {
    const ok = await jobsRepo.finishJob(db, {
      id,
      node,
      token,
      state,
      result: result === undefined ? null : JSON.stringify(result),
      error: error === undefined ? null : JSON.stringify(error),
      now: deps.now(),
    });
    // The job is final once finishJob returned: losing the database now only costs the event its fresh progress.
    const fresh = await jobsRepo.getJob(db, id).catch(() => undefined);
    if (ok) emit(state, fresh?.progressDone);
  };
  const handler = deps.handlers.get(job.kind);
  if (!handler) {
    await finish('failed', undefined, { code: 'INTERNAL', message: `No handler for job kind ${job.kind}` });
    return;
  }
  const steps = await jobsRepo.listSteps(db, id);
  const ctx = new JobContext(deps.db, job, node, token, signal, steps, deps.events, deps.now, deps.finishing);
  try {
    const result = await handler(ctx);
    await finish('succeeded', result, undefined);
  } catch (e) {
    const reason = signal.aborted ? signal.reason : e;
    if (reason instanceof FencedError || e instanceof FencedError) {
      deps.logger.warn(
        { jobId: id, node, token },
        'Job lease lost to another node; this node makes no further calls',
      );
      return;
    }
    // Not the job's failure: the database went away (run() waits for it and hands the job back).
    if (isDatabaseUnavailable(reason)) throw reason;
    if (isDatabaseUnavailable(e)) throw e;
    if (reason instanceof JobStopped && reason.why === 'draining') {
      await jobsRepo.releaseLease(db, id, node, token, deps.now());
      return;
    }
    if (reason instanceof JobStopped) {
      await finish('cancelled', undefined, { code: 'CANCELLED', message: 'The job was cancelled' });
      return;
    }
    await finish('failed', undefined, errorOf(e));
  }
}
