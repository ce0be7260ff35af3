// What runs on this node behind Engine.start / stop: the job worker, the drift watch and the scheduled reconcile.
import type { DriftWatch } from './drift-watch';
import type { JobWorker } from './jobs/worker';
import type { EngineCore } from './lifecycle/core';

export class NodeRuntime {
  private reconcileTimer: NodeJS.Timeout | undefined;
  private reconciling: Promise<unknown> | undefined;
  private attaching: Promise<void> | undefined;
  /** Aborts a paced reconcile sweep in progress when the node stops. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly core: EngineCore,
    readonly worker: JobWorker,
    readonly driftWatch: DriftWatch,
    private readonly reconcileAll: (signal: AbortSignal) => Promise<unknown>,
  ) {}

  /** Registers the node and starts claiming jobs (and the drift watch and scheduled reconcile when configured). */
  async start(): Promise<void> {
    const { options, deps } = this.core;
    await this.worker.start();
    if (options.driftDebounceMs > 0) {
      this.driftWatch.start();
      this.attaching = this.driftWatch.attachImplementedControllers().catch((e: unknown) => {
        deps.logger.warn({ error: (e as Error).message }, 'Drift watch: listing controllers failed');
      });
    }
    if (options.reconcileIntervalMs > 0) {
      this.reconcileTimer = setInterval(() => {
        this.reconciling ??= this.reconcileAll(this.stopping.signal)
          .catch(() => {})
          .finally(() => {
            this.reconciling = undefined;
          });
      }, options.reconcileIntervalMs);
    }
  }

  /**
   * Drain: no new claims; running jobs are aborted and hand their leases back; elements are closed. Resolves only
   * when every job loop, heartbeat and scheduled reconcile has settled: nothing touches the database afterwards.
   */
  async stop(): Promise<void> {
    clearInterval(this.reconcileTimer);
    this.stopping.abort();
    await this.reconciling;
    await this.driftWatch.stop();
    await this.attaching;
    await this.worker.stop();
    await this.core.calls.close();
    await this.core.elements.closeAll();
  }
}
