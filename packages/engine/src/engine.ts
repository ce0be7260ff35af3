// The Engine: the one object the server and the API use. Lifecycle commands return a job id at once; jobs run on
// every node's worker with leases and fencing; read models serve the console. Documented in packages/engine/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  elementCallsRepo,
  jobsRepo,
  lbRulesRepo,
  negotiationTracesRepo,
  networksRepo,
  nicsRepo,
  type Page,
  staticNatRepo,
  transitionsRepo,
  vpcsRepo,
} from '@netplane/db';
import { AppError, type LbRuleView, type StaticNatView } from '@netplane/domain';
import { DriftWatch } from './drift-watch';
import { ElementRegistry } from './elements';
import { CallRunner } from './guards/call-runner';
import { type JobEvent, JobEvents } from './jobs/events';
import { type JobHandler, JobWorker } from './jobs/worker';
import {
  allocateNics,
  type CreateTierInput,
  type CreateVpcInput,
  createTier,
  createVpc,
  type NicRequest,
} from './lifecycle/allocate';
import { PrepareCoalescer } from './lifecycle/coalescer';
import type { EngineCore } from './lifecycle/core';
import { implementTierJob } from './lifecycle/implement';
import { prepareNicsJob, releaseNicsJob } from './lifecycle/nics';
import { reconcileVpcJob, repairVpcJob } from './lifecycle/reconcile';
import { reconcileSweep } from './lifecycle/reconcile-sweep';
import * as rules from './lifecycle/rule-commands';
import { lbRuleJob, staticNatJob } from './lifecycle/rules';
import { destroyTierJob, destroyVpcJob, shutdownTierJob } from './lifecycle/teardown';
import { pageCallViews, pageJobViews, pageNicViews, pageVpcViews } from './list-pages';
import { StateStore } from './state';
import { DEFAULT_OPTIONS, type EngineDeps, type EngineOptions } from './types';
import {
  type CallView,
  callView,
  type JobDetail,
  type JobView,
  jobView,
  type NicView,
  nicView,
  type TierView,
  type TraceView,
  tierViews,
  traceView,
  type VpcDetail,
  type VpcView,
  vpcDetail,
  vpcView,
} from './views';

export const JOB_KINDS = [
  'network.implement',
  'network.shutdown',
  'network.destroy',
  'vpc.destroy',
  'nic.prepare',
  'nic.release',
  'vpc.reconcile',
  'vpc.repair',
  'staticNat.apply',
  'staticNat.revoke',
  'lb.apply',
  'lb.revoke',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type SubmitJobInput = {
  /** Set when the target row already names the job (rules); a fresh UUID otherwise. */
  id?: string;
  kind: JobKind;
  targetType: 'vpc' | 'network' | 'nic' | 'staticNat' | 'lbRule';
  targetId: string;
  vpcId: string | null;
  payload?: Record<string, unknown>;
  total?: number;
  actor: string;
};

export type JobRef = { jobId: string };

export class Engine {
  readonly nodeId: string;
  readonly options: EngineOptions;
  private readonly core: EngineCore;
  private readonly worker: JobWorker;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private reconciling: Promise<unknown> | undefined;
  private readonly stopping = new AbortController();
  private readonly driftWatch: DriftWatch;
  private attaching: Promise<void> | undefined;

  constructor(
    readonly deps: EngineDeps,
    options: Partial<EngineOptions> = {},
  ) {
    this.nodeId = options.nodeId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.options = { ...DEFAULT_OPTIONS, ...options, nodeId: this.nodeId };
    const events = new JobEvents();
    const coalescers = new Map<string, PrepareCoalescer>();
    this.core = {
      deps,
      options: this.options,
      elements: new ElementRegistry(deps),
      calls: new CallRunner(deps.db, deps.logger, this.nodeId, this.options),
      state: new StateStore(deps.db, deps.logger, deps.now),
      events,
      coalescer: (controllerId) => {
        let c = coalescers.get(controllerId);
        if (!c) {
          c = new PrepareCoalescer(this.core, () => this.core.elements.get(controllerId));
          coalescers.set(controllerId, c);
        }
        return c;
      },
    };
    const c = this.core;
    const handlers = new Map<string, JobHandler>([
      ['network.implement', (ctx) => implementTierJob(c, ctx)],
      ['network.shutdown', (ctx) => shutdownTierJob(c, ctx)],
      ['network.destroy', (ctx) => destroyTierJob(c, ctx)],
      ['vpc.destroy', (ctx) => destroyVpcJob(c, ctx)],
      ['nic.prepare', (ctx) => prepareNicsJob(c, ctx)],
      ['nic.release', (ctx) => releaseNicsJob(c, ctx)],
      ['vpc.reconcile', (ctx) => reconcileVpcJob(c, ctx)],
      ['vpc.repair', (ctx) => repairVpcJob(c, ctx)],
      ['staticNat.apply', (ctx) => staticNatJob(c, ctx, 'apply')],
      ['staticNat.revoke', (ctx) => staticNatJob(c, ctx, 'revoke')],
      ['lb.apply', (ctx) => lbRuleJob(c, ctx, 'apply')],
      ['lb.revoke', (ctx) => lbRuleJob(c, ctx, 'revoke')],
    ]);
    this.worker = new JobWorker(deps.db, deps.logger, this.options, handlers, events, deps.now);
    this.driftWatch = new DriftWatch(this.core, this.options.driftDebounceMs, (vpcId) =>
      this.reconcile(vpcId, 'engine'),
    );
  }

  private get db() {
    return this.deps.db.db;
  }

  // ── workers ────────────────────────────────────────────────────────────────────────────────────────────────
  /** Registers the node and starts claiming jobs (and the scheduled reconcile when configured). */
  async start(): Promise<void> {
    await this.worker.start();
    if (this.options.driftDebounceMs > 0) {
      this.driftWatch.start();
      this.attaching = this.driftWatch.attachImplementedControllers().catch((e: unknown) => {
        this.deps.logger.warn({ error: (e as Error).message }, 'Drift watch: listing controllers failed');
      });
    }
    if (this.options.reconcileIntervalMs > 0) {
      this.reconcileTimer = setInterval(() => {
        this.reconciling ??= this.reconcileAll(this.stopping.signal)
          .catch(() => {})
          .finally(() => {
            this.reconciling = undefined;
          });
      }, this.options.reconcileIntervalMs);
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

  /** VPCs the drift watch will check (debouncing, or waiting for a job of theirs to end). */
  get driftPending(): string[] {
    return this.driftWatch.pending;
  }

  /** Ids of the jobs this node runs now. */
  get runningJobs(): string[] {
    return this.worker.runningJobs;
  }

  /** Simulates a paused node (GC stall, partition) in tests: its leases expire and other nodes take over. */
  suspendHeartbeats(suspended = true): void {
    this.worker.heartbeatsSuspended = suspended;
  }

  /** Listens to every recorded adapter call attempt (metrics). */
  onCall(listener: (call: elementCallsRepo.ElementCallRow) => void): void {
    this.core.calls.onCall(listener);
  }

  /** Controllers this node has guards for (it called them at least once). */
  guardedControllers(): string[] {
    return this.core.calls.controllerIds;
  }

  /** Per-controller guard state, for metrics. */
  guardStats(controllerId: string) {
    const g = this.core.calls.guardOf(controllerId);
    return { breaker: g.breakerState, inFlight: g.slots.inUse, queued: g.slots.queued };
  }

  // ── jobs ───────────────────────────────────────────────────────────────────────────────────────────────────
  async submitJob(input: SubmitJobInput): Promise<string> {
    const id = input.id ?? randomUUID();
    const now = this.deps.now();
    await jobsRepo.insertJob(this.db, {
      id,
      kind: input.kind,
      targetType: input.targetType,
      targetId: input.targetId,
      vpcId: input.vpcId,
      payload: JSON.stringify(input.payload ?? {}),
      progressTotal: input.total ?? 0,
      deadlineAt: now + this.options.jobTimeoutMs,
      createdBy: input.actor,
      now,
    });
    this.core.events.emit({
      jobId: id,
      kind: input.kind,
      targetId: input.targetId,
      vpcId: input.vpcId,
      state: 'queued',
      progressDone: 0,
      progressTotal: input.total ?? 0,
      at: now,
    });
    this.worker.wake();
    return id;
  }

  async getJob(id: string): Promise<JobDetail | undefined> {
    const job = await jobsRepo.getJob(this.db, id);
    if (!job) return undefined;
    const steps = await jobsRepo.listSteps(this.db, id);
    return { ...jobView(job), steps: steps.map(({ result: _r, ...s }) => s) };
  }

  async listJobs(filter: jobsRepo.JobFilter = {}): Promise<JobView[]> {
    return (await jobsRepo.listJobs(this.db, filter)).map(jobView);
  }

  /** A queued job is cancelled at once; a running one stops at its next step. */
  async cancel(jobId: string): Promise<'cancelled' | 'requested' | 'final'> {
    const r = await jobsRepo.requestCancel(this.db, jobId, this.deps.now());
    if (r === 'cancelled') {
      const job = await jobsRepo.getJob(this.db, jobId);
      if (job) this.core.events.emit({ ...eventOf(job), state: 'cancelled', at: this.deps.now() });
    }
    return r;
  }

  /** Listens to job events of this node (all jobs, or one). Returns the unsubscribe function. */
  subscribe(listener: (e: JobEvent) => void, jobId?: string): () => void {
    return this.core.events.on((e) => {
      if (!jobId || e.jobId === jobId) listener(e);
    });
  }

  /** Yields the job whenever it changes (local events, or a poll for jobs run by another node) until it ends. */
  async *watch(jobId: string, signal?: AbortSignal, pollMs = 500): AsyncGenerator<JobView> {
    let wake: (() => void) | undefined;
    const off = this.subscribe(() => wake?.(), jobId);
    try {
      let last = '';
      while (!signal?.aborted) {
        const job = await jobsRepo.getJob(this.db, jobId);
        if (!job) return;
        const key = `${job.state}:${job.progressDone}:${job.progressTotal}`;
        if (key !== last) {
          last = key;
          yield jobView(job);
        }
        if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    } finally {
      off();
    }
  }

  /** Retries a failed or cancelled job, or the last failed operation on a target (tier, VPC or NIC in Error). */
  async retry(ref: { jobId: string } | { targetId: string }, actor: string): Promise<JobRef> {
    let job: jobsRepo.JobRow | undefined;
    let nicId: string | undefined;
    if ('jobId' in ref) job = await jobsRepo.getJob(this.db, ref.jobId);
    else {
      const [last] = (await transitionsRepo.listTransitions(this.db, [ref.targetId], 1000))
        .filter((t) => t.to === 'Error' && t.jobId)
        .reverse();
      if (last?.jobId) job = await jobsRepo.getJob(this.db, last.jobId);
      if (last?.entityType === 'nic') nicId = ref.targetId;
      if (!job) {
        const [recent] = await jobsRepo.listJobs(this.db, { targetId: ref.targetId, limit: 1 });
        job = recent;
      }
    }
    if (!job) throw new AppError('NOT_FOUND', 'Nothing to retry: no failed job found');
    if (job.state === 'queued' || job.state === 'running') return { jobId: job.id };
    const payload = JSON.parse(job.payload) as Record<string, unknown>;
    const nicIds = nicId ? [nicId] : (payload.nicIds as string[] | undefined);
    const jobId = await this.submitJob({
      kind: job.kind as JobKind,
      targetType: job.targetType as SubmitJobInput['targetType'],
      targetId: job.targetId,
      vpcId: job.vpcId,
      payload: nicIds ? { ...payload, nicIds, retryOf: job.id } : { ...payload, retryOf: job.id },
      total: nicIds?.length ?? 0,
      actor,
    });
    return { jobId };
  }

  // ── lifecycle commands ────────────────────────────────────────────────────────────────────────────────────
  async createVpc(input: CreateVpcInput, actor: string): Promise<VpcView> {
    return vpcView(await createVpc(this.core, input, actor));
  }

  async createTier(input: CreateTierInput, actor: string): Promise<TierView> {
    const row = await createTier(this.core, input, actor);
    const [view] = await tierViews(this.db, [row]);
    return view as TierView;
  }

  private async tierJob(kind: JobKind, tierId: string, actor: string): Promise<JobRef> {
    const tier = await networksRepo.getNetwork(this.db, tierId);
    if (!tier || tier.state === 'Destroy') throw new AppError('NOT_FOUND', 'The tier does not exist');
    const active = await jobsRepo.activeJobsOn(this.db, tierId);
    const same = active.find((j) => j.kind === kind);
    if (same) return { jobId: same.id };
    if (active.length > 0) {
      throw new AppError(
        'CONFLICT',
        `Tier ${tier.name} is busy with job ${active[0]?.kind}; wait for it or cancel it`,
      );
    }
    return {
      jobId: await this.submitJob({
        kind,
        targetType: 'network',
        targetId: tierId,
        vpcId: tier.vpcId,
        actor,
      }),
    };
  }

  implementTier(tierId: string, actor: string): Promise<JobRef> {
    return this.tierJob('network.implement', tierId, actor);
  }

  shutdownTier(tierId: string, actor: string): Promise<JobRef> {
    return this.tierJob('network.shutdown', tierId, actor);
  }

  destroyTier(tierId: string, actor: string): Promise<JobRef> {
    return this.tierJob('network.destroy', tierId, actor);
  }

  async destroyVpc(vpcId: string, actor: string): Promise<JobRef> {
    const vpc = await vpcsRepo.getVpc(this.db, vpcId);
    if (!vpc || vpc.state === 'Destroy') throw new AppError('NOT_FOUND', 'The VPC does not exist');
    const active = (await jobsRepo.activeJobsOn(this.db, vpcId)).find((j) => j.kind === 'vpc.destroy');
    if (active) return { jobId: active.id };
    return {
      jobId: await this.submitJob({ kind: 'vpc.destroy', targetType: 'vpc', targetId: vpcId, vpcId, actor }),
    };
  }

  /** Allocates NIC rows (IP and MAC) and their job at once, then prepares them in that job (batched where it can). */
  async prepareNics(
    tierId: string,
    requests: readonly NicRequest[],
    actor: string,
    opts: { batchSize?: number } = {},
  ): Promise<JobRef & { nics: NicView[] }> {
    if (requests.length === 0) throw new AppError('BAD_INPUT', 'Ask for at least one NIC');
    const tier = await networksRepo.getNetwork(this.db, tierId);
    if (!tier || tier.state === 'Destroy') throw new AppError('NOT_FOUND', 'The tier does not exist');
    if (tier.state !== 'Implemented')
      throw new AppError('INVALID_STATE', `Tier ${tier.name} is ${tier.state}; implement it first`);
    // NIC rows, transitions and the job row in one transaction; the job is announced (queued event) once committed.
    const { rows, jobId } = await allocateNics(this.core, tier, requests, { actor, ...opts });
    this.worker.wake();
    return { jobId, nics: rows.map((r) => nicView({ ...r, updatedAt: r.createdAt, version: 1 })) };
  }

  /** Prepares NICs that already exist (released, or in Error); repeating it on Reserved NICs is a no-op. */
  async prepareExistingNics(nicIds: readonly string[], actor: string): Promise<JobRef> {
    const { tier, ids } = await this.nicsOfOneTier(nicIds);
    const jobId = await this.submitJob({
      kind: 'nic.prepare',
      targetType: 'network',
      targetId: tier.id,
      vpcId: tier.vpcId,
      payload: { nicIds: ids },
      total: ids.length,
      actor,
    });
    return { jobId };
  }

  async releaseNics(nicIds: readonly string[], actor: string): Promise<JobRef> {
    const { tier, ids } = await this.nicsOfOneTier(nicIds);
    const jobId = await this.submitJob({
      kind: 'nic.release',
      targetType: 'network',
      targetId: tier.id,
      vpcId: tier.vpcId,
      payload: { nicIds: ids },
      total: ids.length,
      actor,
    });
    return { jobId };
  }

  private async nicsOfOneTier(nicIds: readonly string[]) {
    const nics = await nicsRepo.getNics(this.db, [...new Set(nicIds)]);
    if (nics.length === 0 || nics.length !== new Set(nicIds).size)
      throw new AppError('NOT_FOUND', 'Some NICs do not exist');
    const tierIds = new Set(nics.map((n) => n.networkId));
    if (tierIds.size !== 1)
      throw new AppError('BAD_INPUT', 'All NICs of one request must be on the same tier');
    const tier = await networksRepo.getNetwork(this.db, nics[0]?.networkId ?? '');
    if (!tier) throw new AppError('NOT_FOUND', 'The tier does not exist');
    return { tier, ids: nics.map((n) => n.id) };
  }

  async reconcile(vpcId: string, actor: string): Promise<JobRef> {
    return this.vpcJob('vpc.reconcile', vpcId, actor);
  }

  async repair(vpcId: string, actor: string): Promise<JobRef> {
    return this.vpcJob('vpc.repair', vpcId, actor);
  }

  private async vpcJob(kind: 'vpc.reconcile' | 'vpc.repair', vpcId: string, actor: string): Promise<JobRef> {
    const vpc = await vpcsRepo.getVpc(this.db, vpcId);
    if (!vpc || vpc.state === 'Destroy') throw new AppError('NOT_FOUND', 'The VPC does not exist');
    const active = (await jobsRepo.activeJobsOn(this.db, vpcId)).find((j) => j.kind === kind);
    if (active) return { jobId: active.id };
    return { jobId: await this.submitJob({ kind, targetType: 'vpc', targetId: vpcId, vpcId, actor }) };
  }

  /** The scheduled reconcile: one job per Implemented VPC (every one, page by page), paced over the interval. */
  reconcileAll(signal?: AbortSignal): Promise<string[]> {
    const o = this.options;
    return reconcileSweep(this.db, (vpcId) => this.reconcile(vpcId, 'engine'), {
      intervalMs: o.reconcileIntervalMs,
      pageSize: o.reconcilePageSize,
      concurrency: o.reconcileConcurrency,
      spread: o.reconcileSpread,
      ...(signal ? { signal } : {}),
    });
  }

  // ── public services: static NAT and LB rules ──────────────────────────────────────────────────────────────
  private readonly submitRule: rules.SubmitRuleJob = (j) => this.submitJob({ ...j });

  /** The providers chosen for the tier's StaticNat and Lb, with the Lb algorithms and protocols they support. */
  publicServiceOptions(networkId: string): Promise<rules.PublicServiceOptions> {
    return rules.publicServiceOptions(this.core, networkId);
  }

  enableStaticNat(input: rules.EnableStaticNatInput, actor: string) {
    return rules.enableStaticNat(this.core, this.submitRule, input, actor);
  }

  disableStaticNat(id: string, actor: string): Promise<JobRef> {
    return rules.disableStaticNat(this.core, this.submitRule, id, actor);
  }

  retryStaticNat(id: string, actor: string): Promise<JobRef> {
    return rules.retryStaticNat(this.core, this.submitRule, id, actor);
  }

  createLbRule(input: rules.CreateLbRuleInput, actor: string) {
    return rules.createLbRule(this.core, this.submitRule, input, actor);
  }

  setLbMembers(id: string, nicIds: readonly string[], actor: string): Promise<JobRef> {
    return rules.setLbMembers(this.core, this.submitRule, id, nicIds, actor);
  }

  deleteLbRule(id: string, actor: string): Promise<JobRef> {
    return rules.deleteLbRule(this.core, this.submitRule, id, actor);
  }

  retryLbRule(id: string, actor: string): Promise<JobRef> {
    return rules.retryLbRule(this.core, this.submitRule, id, actor);
  }

  async listStaticNat(vpcId: string): Promise<StaticNatView[]> {
    return (await staticNatRepo.listStaticNatOfVpc(this.db, vpcId)).map(rules.staticNatView);
  }

  async getLbRule(id: string): Promise<LbRuleView | undefined> {
    const rule = await lbRulesRepo.getLbRule(this.db, id);
    if (!rule) return undefined;
    return (await lbRulesRepo.listLbRulesOfVpc(this.db, rule.vpcId))
      .map(rules.lbRuleView)
      .find((r) => r.id === id);
  }

  async listLbRules(vpcId: string): Promise<LbRuleView[]> {
    return (await lbRulesRepo.listLbRulesOfVpc(this.db, vpcId)).map(rules.lbRuleView);
  }

  // ── read models ───────────────────────────────────────────────────────────────────────────────────────────
  /** One keyset page of VPCs (filters, sort and cursor all in SQL). */
  listVpcs(q: vpcsRepo.VpcPageRequest): Promise<Page<VpcView>> {
    return pageVpcViews(this.db, q);
  }

  pageJobs(q: jobsRepo.JobPageRequest): Promise<Page<JobView>> {
    return pageJobViews(this.db, q);
  }

  pageCalls(q: elementCallsRepo.CallPageRequest): Promise<Page<CallView>> {
    return pageCallViews(this.db, q);
  }

  pageNics(q: nicsRepo.NicPageRequest): Promise<Page<NicView>> {
    return pageNicViews(this.db, q);
  }

  getVpc(id: string): Promise<VpcDetail | undefined> {
    return vpcDetail(this.db, id);
  }

  async getTier(id: string): Promise<TierView | undefined> {
    const n = await networksRepo.getNetwork(this.db, id);
    return n ? (await tierViews(this.db, [n]))[0] : undefined;
  }

  async listNics(tierId: string): Promise<NicView[]> {
    return (await nicsRepo.listNicsOfNetwork(this.db, tierId)).map(nicView);
  }

  async getNic(id: string): Promise<NicView | undefined> {
    const n = await nicsRepo.getNic(this.db, id);
    return n ? nicView(n) : undefined;
  }

  async listCalls(filter: elementCallsRepo.CallFilter): Promise<CallView[]> {
    return (await elementCallsRepo.listCalls(this.db, filter)).map(callView);
  }

  async listTraces(filter: { networkId?: string; jobId?: string; limit?: number }): Promise<TraceView[]> {
    return (await negotiationTracesRepo.listTraces(this.db, filter)).map(traceView);
  }

  listTransitions(entityIds: readonly string[]) {
    return transitionsRepo.listTransitions(this.db, entityIds);
  }
}

const eventOf = (j: jobsRepo.JobRow): JobEvent => ({
  jobId: j.id,
  kind: j.kind,
  targetId: j.targetId,
  vpcId: j.vpcId,
  state: j.state,
  progressDone: j.progressDone,
  progressTotal: j.progressTotal,
  at: j.updatedAt,
});
