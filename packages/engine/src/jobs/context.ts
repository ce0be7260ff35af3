// What a job handler sees: its payload, steps that run once (a resumed job skips the ones recorded), fenced writes,
// cancellation checkpoints, and the CallJob the call runner needs for fencing before every element call.
import type { DbHandle, jobsRepo } from '@netplane/db';
import { jobsRepo as jobs } from '@netplane/db';
import { FencedError, JobStopped } from '../errors';
import type { CallJob } from '../guards/call-runner';
import type { JobEvents } from './events';

type JobRow = jobsRepo.JobRow;

/** How long a confirmed lease is trusted without asking the database again. */
const LEASE_TRUST_MS = 200;
/** Never trust it this close to its expiry: covers clock skew between nodes and a slow claim. */
const LEASE_MARGIN_MS = 1_000;

export class JobContext {
  private readonly done = new Map<string, string | null>();
  private lastCancelCheck = 0;
  private leaseTrustedUntil = 0;
  private leaseRead: Promise<number | null> | undefined;
  private progressDone: number;
  private seq: number;

  constructor(
    private readonly db: DbHandle,
    readonly job: JobRow,
    readonly nodeId: string,
    readonly token: number,
    readonly signal: AbortSignal,
    steps: readonly jobsRepo.StepRow[],
    private readonly events: JobEvents,
    private readonly now: () => number,
    private readonly onFinishing: () => void = () => {},
  ) {
    for (const s of steps) if (s.state === 'done') this.done.set(s.key, s.result);
    this.progressDone = job.progressDone;
    // Steps are numbered locally: only the lease holder writes them, and a new holder starts after the last one.
    this.seq = steps.reduce((m, s) => Math.max(m, s.seq), 0);
  }

  /** Tells the worker this job's own work is done (only its Realized check is left). */
  finishing(): void {
    this.onFinishing();
  }

  get payload(): Record<string, unknown> {
    return JSON.parse(this.job.payload) as Record<string, unknown>;
  }

  get actor(): string {
    return this.job.createdBy;
  }

  isDone(key: string): boolean {
    return this.done.has(key);
  }

  resultOf<T>(key: string): T | undefined {
    const r = this.done.get(key);
    return r === undefined || r === null ? undefined : (JSON.parse(r) as T);
  }

  /** Runs `fn` once per job: a resumed job returns the recorded result instead. The write is fenced. */
  async step<T>(key: string, fn: () => Promise<T>, progress = 0): Promise<T> {
    if (this.done.has(key)) return this.resultOf<T>(key) as T;
    await this.checkpoint();
    const result = await fn();
    await this.record(key, result, progress);
    return result;
  }

  /** Records a step as done (fenced): throws FencedError when another node holds the job now. */
  async record(key: string, result: unknown, progress = 0): Promise<void> {
    const json = result === undefined ? null : JSON.stringify(result);
    const ok = await jobs.recordStep(this.db.db, {
      jobId: this.job.id,
      key,
      state: 'done',
      result: json,
      node: this.nodeId,
      token: this.token,
      now: this.now(),
      progressDelta: progress,
      seq: this.nextSeq(),
    });
    if (!ok) throw new FencedError(`Job ${this.job.id} was taken over; step ${key} not recorded`);
    this.markRecorded(key, json, progress);
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** After a step was written by someone else in the job's transaction (a transition with `step`). */
  markRecorded(key: string, json: string | null, progress: number): void {
    this.done.set(key, json);
    if (progress > 0) {
      this.progressDone += progress;
      this.emitProgress();
    }
  }

  get fence() {
    return { jobId: this.job.id, node: this.nodeId, token: this.token };
  }

  async setTotal(total: number): Promise<void> {
    if (total === this.job.progressTotal) return;
    this.job.progressTotal = total;
    await jobs.setProgressTotal(this.db.db, this.job.id, total);
  }

  /**
   * Throws FencedError unless this node still holds the job with its token. A positive answer is trusted for at most
   * LEASE_TRUST_MS and never closer than LEASE_MARGIN_MS to the lease expiry it read: no other node can claim the job
   * before that expiry (plus clock skew), so a call made inside that window cannot race a take-over.
   */
  async assertLease(): Promise<void> {
    // Trust is measured on the monotonic clock: a wall-clock step must not stretch it, and a stall (GC, SIGSTOP)
    // between the read and the send uses it up, so a node that wakes up asks again instead of sending.
    for (let ask = 1; ; ask++) {
      if (this.signal.aborted) throw this.signal.reason;
      const asked = performance.now();
      if (asked < this.leaseTrustedUntil) return;
      const wallAsked = Date.now();
      // One read for all the calls of this job that ask at the same moment.
      this.leaseRead ??= jobs.leaseExpiry(this.db.db, this.job.id, this.nodeId, this.token).finally(() => {
        this.leaseRead = undefined;
      });
      const expires = await this.leaseRead;
      if (expires === null) {
        this.leaseTrustedUntil = 0;
        throw new FencedError(`Job ${this.job.id} is no longer held by ${this.nodeId} (token ${this.token})`);
      }
      // Counted from when we asked, not when the answer came: the answer may have waited through a pause.
      const validFor = expires - wallAsked;
      this.leaseTrustedUntil = asked + Math.min(LEASE_TRUST_MS, validFor - LEASE_MARGIN_MS);
      if (this.signal.aborted) throw this.signal.reason;
      // The lease as read has run out while the answer waited (the node stalled): ask again, a few times at most.
      if (performance.now() < asked + validFor) return;
      if (ask >= 3) {
        throw new FencedError(`Job ${this.job.id}: lease of ${this.nodeId} could not be confirmed in time`);
      }
    }
  }

  /** Between steps: stop if the node drains or the job was cancelled (checked at most every 250 ms). */
  async checkpoint(): Promise<void> {
    if (this.signal.aborted) throw this.signal.reason;
    const now = Date.now();
    if (now - this.lastCancelCheck < 250) return;
    this.lastCancelCheck = now;
    if (await jobs.isCancelRequested(this.db.db, this.job.id)) throw new JobStopped('cancelled');
  }

  callJob(stepKey: string | null): CallJob {
    return {
      id: this.job.id,
      stepKey,
      token: this.token,
      signal: this.signal,
      assertLease: () => this.assertLease(),
    };
  }

  private emitProgress(): void {
    this.events.emit({
      jobId: this.job.id,
      kind: this.job.kind,
      targetId: this.job.targetId,
      vpcId: this.job.vpcId,
      state: 'running',
      progressDone: this.progressDone,
      progressTotal: this.job.progressTotal,
      at: this.now(),
    });
  }
}
