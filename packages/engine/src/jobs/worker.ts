// The job worker of one node: claims jobs with a lease, renews them (and the node's heartbeat) on a timer of their
// own, resumes from recorded steps, marks the calls a dead holder left in flight abandoned, stops a job the moment
// its lease is lost (fenced), hands leases back on drain; cluster housekeeping runs on a second timer.
import { hostname } from 'node:os';
import type { DbHandle } from '@netplane/db';
import {
  describeDatabaseError,
  elementCallsRepo,
  isDatabaseUnavailable,
  jobsRepo,
  nodesRepo,
} from '@netplane/db';
import { FencedError, JobStopped } from '../errors';
import { OutageLog } from '../outage-log';
import type { EngineLogger, EngineOptions } from '../types';
import { waitForDatabase } from './database-wait';
import type { JobEvents } from './events';
import { deadNodeSummary, sweepCluster } from './housekeeping';
import type { JobHandler } from './run-job';
import { runJob } from './run-job';

type Running = { token: number; abort: AbortController; done: Promise<void> };

export class JobWorker {
  private readonly running = new Map<string, Running>();
  /** Running jobs whose own work is done (only their Realized check is left): not counted against the cap. */
  private readonly finishing = new Set<string>();
  private pollTimer: NodeJS.Timeout | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private claimAgain = false;
  private beating: Promise<void> | undefined;
  private sweeping: Promise<void> | undefined;
  private started = false;
  private stopping = false;
  /**
   * Test and ops hook: a stalled node (GC pause, partition) that neither heartbeats nor claims; its running jobs go
   * on believing they own their leases until the fencing check before their next call or write stops them.
   */
  heartbeatsSuspended = false;
  private readonly claimOutage: OutageLog;
  private readonly beatOutage: OutageLog;
  private readonly jobOutage: OutageLog;

  constructor(
    private readonly db: DbHandle,
    private readonly logger: EngineLogger,
    private readonly options: EngineOptions,
    private readonly handlers: ReadonlyMap<string, JobHandler>,
    private readonly events: JobEvents,
    private readonly now: () => number,
  ) {
    this.claimOutage = new OutageLog(logger, 'Job claim');
    this.beatOutage = new OutageLog(logger, 'Heartbeat');
    this.jobOutage = new OutageLog(logger, 'Database wait of an interrupted job');
  }

  get runningJobs(): string[] {
    return [...this.running.keys()];
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    const now = this.now();
    await nodesRepo.upsertNode(this.db.db, {
      id: this.options.nodeId,
      hostname: hostname(),
      pid: process.pid,
      startedAt: now,
      heartbeatAt: now,
      state: 'running',
    });
    // Restarted under the same id (NODE_ID): what the previous process left in flight ended with it.
    await elementCallsRepo
      .abandonCallsOfNode(this.db.db, this.options.nodeId, now, now, deadNodeSummary)
      .catch((e) =>
        this.logger.warn(
          { err: describeDatabaseError(e) },
          'Marking calls of a previous run abandoned failed',
        ),
      );
    this.pollTimer = setInterval(() => void this.tick(), this.options.pollMs);
    this.beatTimer = setInterval(() => void this.beatOnce(), this.options.heartbeatMs);
    this.sweepTimer = setInterval(() => void this.sweepOnce(), this.options.heartbeatMs);
    void this.sweepOnce();
    void this.tick();
  }

  /** Claim now rather than at the next poll (after a local submit). */
  wake(): void {
    if (this.started && !this.stopping) setImmediate(() => void this.tick());
  }

  /**
   * Drain, deterministic: stop claiming, wait for a claim in flight (its fresh leases go straight back), abort the
   * running jobs and await every loop until it handed its lease back or finished, and await a heartbeat in flight.
   * Nothing of this worker touches the database after stop() resolves.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearInterval(this.beatTimer);
    clearInterval(this.sweepTimer);
    await this.ticking;
    // A loop launched while we waited is in the map too; loops never launch once `stopping` is set.
    for (const r of this.running.values()) r.abort.abort(new JobStopped('draining'));
    while (this.running.size > 0 || this.beating || this.sweeping) {
      await Promise.allSettled([
        ...[...this.running.values()].map((r) => r.done),
        this.beating,
        this.sweeping,
      ]);
    }
    await nodesRepo.touchNode(this.db.db, this.options.nodeId, this.now(), 'stopped').catch(() => {});
    this.started = false;
  }

  tick(): Promise<void> {
    if (this.stopping || !this.started || this.heartbeatsSuspended) return Promise.resolve();
    if (this.ticking) {
      // A submit (or a finished job) while a claim is on its way: that claim may have read the queue before the new
      // job was there, so claim once more right after it instead of leaving the job to the next poll.
      this.claimAgain = true;
      return this.ticking;
    }
    const t = this.claim().finally(() => {
      this.ticking = undefined;
      if (this.claimAgain) {
        this.claimAgain = false;
        this.wake();
      }
    });
    this.ticking = t;
    return t;
  }

  private async claim(): Promise<void> {
    try {
      const capacity = this.options.maxConcurrentJobs - (this.running.size - this.finishing.size);
      if (capacity <= 0) return;
      const claims = await jobsRepo.claimJobs(
        this.db.db,
        this.db.dialect,
        this.options.nodeId,
        capacity,
        this.options.leaseMs,
        this.now(),
      );
      for (const c of claims) {
        // Drain began while the claim was on its way: the lease goes straight back instead of starting a loop.
        if (this.stopping) {
          await jobsRepo
            .releaseLease(this.db.db, c.id, this.options.nodeId, c.fencingToken, this.now())
            .catch((e) =>
              this.logger.warn({ jobId: c.id, err: describeDatabaseError(e) }, 'Lease hand-back failed'),
            );
        } else this.launch(c.id, c.fencingToken);
      }
      this.claimOutage.succeeded();
    } catch (e) {
      // Retried at the next poll; a database outage is logged once, not at every poll.
      this.claimOutage.failed(e);
    }
  }

  private beatOnce(): void {
    if (this.beating) return;
    this.beating = this.beat()
      .then(() => this.beatOutage.succeeded())
      // Retried at the next interval. A failed heartbeat is not a lost lease: the job goes on until the lease expires
      // and the fencing check before its next call or write says so.
      .catch((e) => this.beatOutage.failed(e))
      .finally(() => {
        this.beating = undefined;
      });
  }

  /**
   * Lease renewal only: the node's heartbeat and every running job's lease, all at once. Nothing else runs on this
   * timer, so housekeeping that takes long never makes a busy node miss a renewal and lose its jobs.
   */
  private async beat(): Promise<void> {
    if (this.heartbeatsSuspended || this.stopping) return;
    const now = this.now();
    const node = this.options.nodeId;
    let failure: unknown;
    const failed =
      <T>(fallback: T) =>
      (e: unknown) => {
        failure ??= e;
        return fallback;
      };
    await Promise.all([
      nodesRepo.touchNode(this.db.db, node, now, 'running').catch(failed(undefined)),
      ...[...this.running].map(async ([id, r]) => {
        const ok = await jobsRepo
          .heartbeat(this.db.db, id, node, r.token, this.options.leaseMs, now)
          .catch(failed(true));
        // Aborting also cancels the job's calls in flight at once (their signal), not only its next call.
        if (!ok) r.abort.abort(new FencedError(`Lease of job ${id} lost`));
      }),
    ]);
    // Reported to beatOutage (logged once per outage, not at every interval); renewal is retried next interval.
    if (failure !== undefined) throw failure;
  }

  private sweepOnce(): void {
    if (this.sweeping || this.heartbeatsSuspended || this.stopping || !this.started) return;
    this.sweeping = sweepCluster(this.db, this.logger, this.options, this.now())
      .catch((e) => this.logger.warn({ err: describeDatabaseError(e) }, 'Cluster housekeeping failed'))
      .finally(() => {
        this.sweeping = undefined;
      });
  }

  private launch(id: string, token: number): void {
    const abort = new AbortController();
    const done = this.run(id, token, abort)
      // Nothing may escape a job loop: an unhandled rejection would end the process and every job on it.
      .catch((e: unknown) =>
        this.logger.error(
          { jobId: id, err: describeDatabaseError(e) },
          'Job loop failed; the lease will expire',
        ),
      )
      .finally(() => {
        this.running.delete(id);
        this.finishing.delete(id);
        this.wake();
      });
    this.running.set(id, { token, abort, done });
  }

  /**
   * Runs the job; when the database goes away under it, writes nothing more (its calls are aborted), waits for the
   * database and hands the lease back, so this node or another resumes it from its recorded steps. A step whose
   * call went out but whose record did not is replayed, and the element adopts what it already made.
   */
  private async run(id: string, token: number, abort: AbortController): Promise<void> {
    try {
      await runJob(
        {
          db: this.db,
          logger: this.logger,
          nodeId: this.options.nodeId,
          handlers: this.handlers,
          events: this.events,
          now: this.now,
          // In a storm a finished job's check queues behind every call of the jobs still working: holding its place
          // meanwhile left the queued jobs unclaimed until the checks were answered, and the controller idle.
          finishing: () => {
            if (!this.running.has(id) || this.finishing.has(id)) return;
            this.finishing.add(id);
            this.wake();
          },
        },
        id,
        token,
        abort.signal,
      );
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      if (!abort.signal.aborted) abort.abort(e);
      this.logger.warn(
        { jobId: id, fencingToken: token, err: describeDatabaseError(e) },
        'Database lost in the middle of a job; it resumes from its recorded steps once the database is back',
      );
      for (;;) {
        if (!(await waitForDatabase(this.db.db, () => this.stopping, this.jobOutage))) return;
        try {
          const handedBack = await jobsRepo.releaseLease(
            this.db.db,
            id,
            this.options.nodeId,
            token,
            this.now(),
          );
          this.jobOutage.succeeded();
          if (handedBack)
            this.logger.info(
              { jobId: id, fencingToken: token },
              'Interrupted job handed back for resumption',
            );
          else
            this.logger.warn(
              { jobId: id, node: this.options.nodeId, token },
              'Job lease lost to another node; this node makes no further calls',
            );
          return;
        } catch (again) {
          if (!isDatabaseUnavailable(again)) throw again;
          this.jobOutage.failed(again);
        }
      }
    }
  }
}
