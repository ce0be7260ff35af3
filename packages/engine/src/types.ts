// The engine's dependencies and options: what the server (or a test) hands it. Structurally the API's ApiDeps fits.
import type { AdapterModule } from '@netplane/adapter-sdk';
import type { DbHandle } from '@netplane/db';

export type EngineLogger = {
  /** Adapters' debug lines (toAdapterLogger); a logger without it drops them. */
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type EngineAdapterRegistration =
  | { id: string; status: 'Fully Loaded'; module: AdapterModule }
  | { id: string; status: 'Unable to load'; reason: string };

export type EngineDeps = {
  db: DbHandle;
  logger: EngineLogger;
  adapters: readonly EngineAdapterRegistration[];
  /** Decrypts controller credentials bound to the controller id; plaintext lives only in memory. */
  secrets: { decrypt(ciphertext: string, rowId: string): string };
  now(): number;
};

export type EngineOptions = {
  /** Unique per process; defaults to hostname-pid-random. */
  nodeId: string;
  /**
   * How long a claimed job stays ours without a renewal: a dead node's jobs are taken over after at most this (plus
   * one poll), so it bounds the take-over time.
   */
  leaseMs: number;
  /**
   * How often leases and the node heartbeat are renewed (on their own timer), and cluster housekeeping runs (on
   * another). A quarter of the lease: three renewals may be lost or late before a live node loses a job.
   */
  heartbeatMs: number;
  pollMs: number;
  maxConcurrentJobs: number;
  /** Jobs past created_at + this are flagged stuck. */
  jobTimeoutMs: number;
  /** Attempts per call for retryable categories (1 = no retry). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Consecutive TIMEOUT/UNREACHABLE failures that open a controller's circuit, and how long it stays open. */
  breakerThreshold: number;
  breakerHalfOpenMs: number;
  /** Fraction of a controller's calls/s the engine uses, headroom for clock and scheduling jitter. */
  rateHeadroom: number;
  /**
   * Engine-wide cap on NICs per prepareNics call (the server's NETPLANE_PREPARE_BATCH_SIZE); 1 disables batching.
   * By default none: the adapter's manifest maxBatchSize decides (OVN: 1000, one transaction).
   */
  prepareBatchSize: number;
  /** How many NIC steps of one job run at once (the guards still cap calls per controller). */
  nicParallelism: number;
  /** 0 disables the scheduled reconcile (the safety net under the drift watch; the server's default is 5 min). */
  reconcileIntervalMs: number;
  /** VPCs read per keyset page by the scheduled reconcile (it walks every Implemented VPC, page by page). */
  reconcilePageSize: number;
  /** Reconcile submissions the scheduled sweep has in flight at once. */
  reconcileConcurrency: number;
  /** Share of the interval the sweep spreads its submissions over (the rest is slack before the next tick). */
  reconcileSpread: number;
  /**
   * Drift watch: a VPC an element's watch() names is reconciled once it has been quiet this long (and no job of its
   * own is queued or running). 0 turns the watch off.
   */
  driftDebounceMs: number;
  /**
   * How long a Realized check may wait for the controller to compile the latest change (RealizeScope.waitMs), capped
   * at half the controller's call timeout so the wait ends before the guard gives up on the call.
   */
  realizedWaitMs: number;
};

export const DEFAULT_OPTIONS: Omit<EngineOptions, 'nodeId'> = {
  leaseMs: 8_000,
  heartbeatMs: 2_000,
  pollMs: 250,
  maxConcurrentJobs: 32,
  jobTimeoutMs: 10 * 60_000,
  maxAttempts: 4,
  backoffBaseMs: 100,
  backoffMaxMs: 5_000,
  breakerThreshold: 5,
  breakerHalfOpenMs: 10_000,
  rateHeadroom: 0.97,
  prepareBatchSize: Number.POSITIVE_INFINITY,
  nicParallelism: 64,
  reconcileIntervalMs: 0,
  reconcilePageSize: 200,
  reconcileConcurrency: 4,
  reconcileSpread: 0.5,
  driftDebounceMs: 1_000,
  realizedWaitMs: 10_000,
};
