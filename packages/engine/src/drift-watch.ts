// The drift watch: elements that can watch their controller (NetworkElement.watch) push "these VPCs changed"; after a
// quiet moment per VPC the engine submits a vpc.reconcile, so a port or ACL deleted behind our back shows as
// Synced=False within seconds, without anyone asking. Documented in docs/engine.md (Drift watch).
import { jobsRepo, networksRepo, vpcsRepo } from '@netplane/db';
import type { ElementHandle } from './elements';
import type { JobEvent } from './jobs/events';
import type { EngineCore } from './lifecycle/core';

/** How often a VPC whose job runs on another node (no local job events) is looked at again. */
const RECHECK_MS = 5_000;
/** A VPC that never goes quiet is still checked this long after its first change (debounce multiples). */
const MAX_DELAY_FACTOR = 10;
const FINAL: readonly JobEvent['state'][] = ['succeeded', 'failed', 'cancelled'];

export class DriftWatch {
  private running = false;
  private readonly subscriptions = new Map<string, { handle: ElementHandle; off: () => void }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly firstChangeAt = new Map<string, number>();
  /** VPCs that changed while a job of theirs was queued or running: checked again when it ends. */
  private readonly dirty = new Set<string>();
  private readonly checking = new Set<string>();
  private readonly again = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  private offElements: (() => void) | undefined;
  private offEvents: (() => void) | undefined;
  private offRecheck: (() => void) | undefined;

  constructor(
    private readonly core: EngineCore,
    private readonly debounceMs: number,
    /** Submits the VPC's reconcile job (Engine.reconcile: returns the active one instead of a second). */
    private readonly submit: (vpcId: string) => Promise<unknown>,
  ) {}

  /** Subscribes to every element built now and later, and to this node's job events. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.offEvents = this.core.events.on((e) => {
      if (e.vpcId && FINAL.includes(e.state) && this.dirty.has(e.vpcId))
        this.schedule(e.vpcId, this.debounceMs);
    });
    // A reconcile of this node that saw another job's writes in flight wrote nothing: check after those jobs.
    this.offRecheck = this.core.events.onRecheck((vpcId) => {
      if (!this.running) return;
      this.dirty.add(vpcId);
      this.schedule(vpcId, this.debounceMs);
    });
    this.offElements = this.core.elements.observe({
      built: (h) => this.attach(h),
      closed: (h) => this.detach(h),
    });
  }

  /**
   * Elements are built lazily on first call: after a restart nothing would watch a controller until some job used it.
   * So every controller serving an Implemented tier gets its element now; a failure is logged, not fatal.
   */
  async attachImplementedControllers(): Promise<void> {
    for (const controllerId of await networksRepo.controllersOfImplementedTiers(this.core.deps.db.db)) {
      if (!this.running) return;
      try {
        await this.core.elements.get(controllerId);
      } catch (e) {
        this.core.deps.logger.warn(
          { controllerId, error: (e as Error).message },
          'Drift watch: the controller element could not be built; its drift shows at the next reconcile',
        );
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.offEvents?.();
    this.offRecheck?.();
    this.offElements?.();
    for (const s of this.subscriptions.values()) s.off();
    this.subscriptions.clear();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.firstChangeAt.clear();
    this.dirty.clear();
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * VPCs waiting for their check (debounce or a busy VPC) or being checked (until the reconcile it submits is queued,
   * so "nothing pending and no job active" really means settled), for tests and metrics.
   */
  get pending(): string[] {
    return [...new Set([...this.timers.keys(), ...this.dirty, ...this.checking])];
  }

  private attach(handle: ElementHandle): void {
    const { element, controllerId } = handle;
    if (!this.running || !element.watch) return;
    if (this.subscriptions.get(controllerId)?.handle === handle) return;
    this.subscriptions.get(controllerId)?.off();
    const off = element.watch((change) => {
      for (const vpcId of change.vpcIds) this.changed(vpcId);
    });
    this.subscriptions.set(controllerId, { handle, off });
  }

  private detach(handle: ElementHandle): void {
    const s = this.subscriptions.get(handle.controllerId);
    if (s?.handle !== handle) return;
    s.off();
    this.subscriptions.delete(handle.controllerId);
  }

  /** A change: wait for the VPC to be quiet for debounceMs (but no longer than MAX_DELAY_FACTOR of it in all). */
  private changed(vpcId: string): void {
    if (!this.running) return;
    const now = Date.now();
    const first = this.firstChangeAt.get(vpcId) ?? now;
    this.firstChangeAt.set(vpcId, first);
    const latest = first + this.debounceMs * MAX_DELAY_FACTOR;
    this.schedule(vpcId, Math.max(0, Math.min(this.debounceMs, latest - now)));
  }

  private schedule(vpcId: string, delayMs: number): void {
    if (!this.running) return;
    clearTimeout(this.timers.get(vpcId));
    const t = setTimeout(() => {
      this.timers.delete(vpcId);
      const p = this.check(vpcId)
        .catch((e: unknown) => {
          this.core.deps.logger.warn({ vpcId, error: (e as Error).message }, 'Drift watch check failed');
        })
        .finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }, delayMs);
    t.unref?.();
    this.timers.set(vpcId, t);
  }

  /**
   * Reconciles the VPC unless a job of its own is queued or running: its writes show up as changes too, and a
   * reconcile per monitor update would be a storm. Such a VPC stays dirty and is checked again when the job ends.
   */
  private async check(vpcId: string): Promise<void> {
    if (!this.running) return;
    if (this.checking.has(vpcId)) {
      this.again.add(vpcId);
      return;
    }
    this.checking.add(vpcId);
    this.firstChangeAt.delete(vpcId);
    try {
      const db = this.core.deps.db.db;
      const vpc = await vpcsRepo.getVpc(db, vpcId);
      if (vpc?.state !== 'Implemented') {
        // Not ours, being implemented (its job checks), shut down or destroyed: nothing to reconcile.
        this.dirty.delete(vpcId);
        return;
      }
      // One read: two (queued, then running) miss a job claimed in between.
      const active = await jobsRepo.activeJobsOfVpc(db, vpcId);
      // A reconcile that has not started yet observes after this change: it covers it (and if another job of the
      // VPC overlaps it, it observes again or defers: reconcile-overlap.ts).
      if (active.some((j) => j.kind === 'vpc.reconcile' && j.state === 'queued')) {
        this.dirty.delete(vpcId);
        return;
      }
      if (active.length > 0) {
        this.dirty.add(vpcId);
        // The job may run on another node, whose end this node hears nothing of.
        this.schedule(vpcId, RECHECK_MS);
        return;
      }
      this.dirty.delete(vpcId);
      if (this.running) await this.submit(vpcId);
    } finally {
      this.checking.delete(vpcId);
      if (this.again.delete(vpcId)) this.schedule(vpcId, this.debounceMs);
    }
  }
}
