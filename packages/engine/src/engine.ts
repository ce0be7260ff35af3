// The Engine: the one object the server and the API use, a thin facade over modules split by responsibility:
// jobs/commands.ts (submit, cancel, retry, watch), lifecycle/commands.ts (VPC, tier and NIC commands),
// lifecycle/rule-commands.ts (static NAT and LB), read-models.ts, node-runtime.ts (worker, drift watch, scheduled
// reconcile) and jobs/handlers.ts (one handler per job kind). Lifecycle commands return a job id at once; jobs run
// on every node's worker with leases and fencing; read models serve the console. Documented in
// packages/engine/README.md.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { elementCallsRepo, jobsRepo, nicsRepo, Page, vpcsRepo } from '@netplane/db';
import type { LbRuleView, StaticNatView } from '@netplane/domain';
import { ConnectivityCommands } from './connectivity/commands';
import { DriftWatch } from './drift-watch';
import * as jobs from './jobs/commands';
import type { JobEvent } from './jobs/events';
import { jobHandlers } from './jobs/handlers';
import type { JobRef, SubmitJob, SubmitJobInput } from './jobs/kinds';
import { JobWorker } from './jobs/worker';
import { AclCommands } from './lifecycle/acl-commands';
import type { NicRequest } from './lifecycle/allocate';
import * as lifecycle from './lifecycle/commands';
import { createCore, type EngineCore } from './lifecycle/core';
import type { CreateTierInput, CreateVpcInput } from './lifecycle/create';
import * as lb from './lifecycle/lb-commands';
import { PortForwardingCommands } from './lifecycle/port-forwarding-commands';
import * as rules from './lifecycle/rule-commands';
import * as ruleTable from './lifecycle/rule-table';
import * as nat from './lifecycle/static-nat-commands';
import { NodeRuntime } from './node-runtime';
import { ReadModels } from './read-models';
import { DEFAULT_OPTIONS, type EngineDeps, type EngineOptions } from './types';
import type { CallView, JobDetail, JobView, NicView, TierView, TraceView, VpcDetail, VpcView } from './views';

export { JOB_KINDS, type JobKind, type JobRef, type SubmitJobInput } from './jobs/kinds';

export class Engine {
  readonly nodeId: string;
  readonly options: EngineOptions;
  private readonly reads: ReadModels;
  private readonly core: EngineCore;
  private readonly runtime: NodeRuntime;
  private readonly submit: SubmitJob;
  /** Network ACL lists, their rules and tier assignment (lifecycle/acl-commands.ts). */
  readonly networkAcls: AclCommands;
  /** Port forwarding rules: create, delete, retry, list (lifecycle/port-forwarding-commands.ts). */
  readonly portForwarding: PortForwardingCommands;
  /** Connectivity checks, their record and the reachability matrix (connectivity/). */
  readonly connectivity: ConnectivityCommands;

  constructor(
    readonly deps: EngineDeps,
    options: Partial<EngineOptions> = {},
  ) {
    this.nodeId = options.nodeId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.options = { ...DEFAULT_OPTIONS, ...options, nodeId: this.nodeId };
    const core = createCore(deps, this.options);
    this.core = core;
    const worker = new JobWorker(
      deps.db,
      deps.logger,
      this.options,
      new Map(Object.entries(jobHandlers(core))),
      core.events,
      deps.now,
    );
    this.submit = (input, alongside) => jobs.submitJob(core, () => worker.wake(), input, alongside);
    const drift = new DriftWatch(core, this.options.driftDebounceMs, (vpcId) =>
      this.reconcile(vpcId, 'engine'),
    );
    this.runtime = new NodeRuntime(core, worker, drift, (signal) => this.reconcileAll(signal));
    this.reads = new ReadModels(core);
    this.networkAcls = new AclCommands(core, this.submit);
    this.portForwarding = new PortForwardingCommands(core, this.submit);
    this.connectivity = new ConnectivityCommands(core);
  }

  // ── workers, metrics and test hooks ───────────────────────────────────────────────────────────────────────
  /** Registers the node and starts claiming jobs (and the drift watch and scheduled reconcile when configured). */
  start(): Promise<void> {
    return this.runtime.start();
  }

  /** Drain: see NodeRuntime.stop. Nothing touches the database once it resolves. */
  stop(): Promise<void> {
    return this.runtime.stop();
  }

  /** VPCs the drift watch will check (debouncing, waiting for a job of theirs to end, or being checked now). */
  get driftPending(): string[] {
    return this.runtime.driftWatch.pending;
  }

  /** Ids of the jobs this node runs now. */
  get runningJobs(): string[] {
    return this.runtime.worker.runningJobs;
  }

  /** Simulates a paused node (GC stall, partition) in tests: its leases expire and other nodes take over. */
  suspendHeartbeats(suspended = true): void {
    this.runtime.worker.heartbeatsSuspended = suspended;
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

  // ── jobs (jobs/commands.ts) ───────────────────────────────────────────────────────────────────────────────
  submitJob(input: SubmitJobInput): Promise<string> {
    return this.submit(input);
  }

  getJob(id: string): Promise<JobDetail | undefined> {
    return jobs.getJob(this.core, id);
  }

  listJobs(filter: jobsRepo.JobFilter = {}): Promise<JobView[]> {
    return jobs.listJobs(this.core, filter);
  }

  /** A queued job is cancelled at once; a running one stops at its next step. */
  cancel(jobId: string): Promise<'cancelled' | 'requested' | 'final'> {
    return jobs.cancelJob(this.core, jobId);
  }

  /** Listens to job events of this node (all jobs, or one). Returns the unsubscribe function. */
  subscribe(listener: (e: JobEvent) => void, jobId?: string): () => void {
    return jobs.subscribeJobs(this.core, listener, jobId);
  }

  /** Yields the job whenever it changes (local events, or a poll for jobs run by another node) until it ends. */
  watch(jobId: string, signal?: AbortSignal, pollMs = 500): AsyncGenerator<JobView> {
    return jobs.watchJob(this.core, jobId, signal, pollMs);
  }

  /** Retries a failed or cancelled job, or the last failed operation on a target (tier, VPC or NIC in Error). */
  retry(ref: { jobId: string } | { targetId: string }, actor: string): Promise<JobRef> {
    return jobs.retryJob(this.core, this.submit, ref, actor);
  }

  // ── lifecycle commands (lifecycle/commands.ts) ────────────────────────────────────────────────────────────
  createVpc(input: CreateVpcInput, actor: string): Promise<VpcView> {
    return lifecycle.createVpcCommand(this.core, input, actor);
  }

  createTier(input: CreateTierInput, actor: string): Promise<TierView> {
    return lifecycle.createTierCommand(this.core, input, actor);
  }

  implementTier(tierId: string, actor: string): Promise<JobRef> {
    return lifecycle.tierJob(this.core, this.submit, 'network.implement', tierId, actor);
  }

  shutdownTier(tierId: string, actor: string): Promise<JobRef> {
    return lifecycle.tierJob(this.core, this.submit, 'network.shutdown', tierId, actor);
  }

  destroyTier(tierId: string, actor: string): Promise<JobRef> {
    return lifecycle.tierJob(this.core, this.submit, 'network.destroy', tierId, actor);
  }

  destroyVpc(vpcId: string, actor: string): Promise<JobRef> {
    return lifecycle.vpcJob(this.core, this.submit, 'vpc.destroy', vpcId, actor);
  }

  /** Allocates NIC rows (IP and MAC) and their job at once, then prepares them in that job (batched where it can). */
  prepareNics(
    tierId: string,
    requests: readonly NicRequest[],
    actor: string,
    opts: { batchSize?: number } = {},
  ): Promise<JobRef & { nics: NicView[] }> {
    return lifecycle.prepareNewNics(
      this.core,
      () => this.runtime.worker.wake(),
      tierId,
      requests,
      actor,
      opts,
    );
  }

  /** Prepares NICs that already exist (released, or in Error); repeating it on Reserved NICs is a no-op. */
  prepareExistingNics(nicIds: readonly string[], actor: string): Promise<JobRef> {
    return lifecycle.existingNicsJob(this.core, this.submit, 'nic.prepare', nicIds, actor);
  }

  releaseNics(nicIds: readonly string[], actor: string): Promise<JobRef> {
    return lifecycle.existingNicsJob(this.core, this.submit, 'nic.release', nicIds, actor);
  }

  reconcile(vpcId: string, actor: string): Promise<JobRef> {
    return lifecycle.vpcJob(this.core, this.submit, 'vpc.reconcile', vpcId, actor);
  }

  repair(vpcId: string, actor: string): Promise<JobRef> {
    return lifecycle.vpcJob(this.core, this.submit, 'vpc.repair', vpcId, actor);
  }

  /** The scheduled reconcile: one job per implemented VPC that has none queued or running. */
  reconcileAll(signal?: AbortSignal): Promise<string[]> {
    return lifecycle.reconcileAll(this.core, this.submit, signal);
  }

  // ── public services: static NAT and LB rules (lifecycle/static-nat-commands.ts, lb-commands.ts) ─────────────────────────────────
  /** The providers chosen for the tier's StaticNat and Lb, with the Lb algorithms and protocols they support. */
  publicServiceOptions(networkId: string): Promise<rules.PublicServiceOptions> {
    return rules.publicServiceOptions(this.core, networkId);
  }

  enableStaticNat(input: rules.EnableStaticNatInput, actor: string) {
    return nat.enableStaticNat(this.core, this.submit, input, actor);
  }

  disableStaticNat(id: string, actor: string): Promise<JobRef> {
    return ruleTable.ruleCommand(this.core, this.submit, nat.STATIC_NAT_TABLE, 'revoke', id, actor);
  }

  retryStaticNat(id: string, actor: string): Promise<JobRef> {
    return ruleTable.ruleCommand(this.core, this.submit, nat.STATIC_NAT_TABLE, 'retry', id, actor);
  }

  createLbRule(input: rules.CreateLbRuleInput, actor: string) {
    return lb.createLbRule(this.core, this.submit, input, actor);
  }

  setLbMembers(id: string, nicIds: readonly string[], actor: string): Promise<JobRef> {
    return lb.setLbMembers(this.core, this.submit, id, nicIds, actor);
  }

  deleteLbRule(id: string, actor: string): Promise<JobRef> {
    return ruleTable.ruleCommand(this.core, this.submit, lb.LB_TABLE, 'revoke', id, actor);
  }

  retryLbRule(id: string, actor: string): Promise<JobRef> {
    return ruleTable.ruleCommand(this.core, this.submit, lb.LB_TABLE, 'retry', id, actor);
  }

  // ── read models (read-models.ts) ──────────────────────────────────────────────────────────────────────────
  listStaticNat(vpcId: string): Promise<StaticNatView[]> {
    return this.reads.listStaticNat(vpcId);
  }

  getLbRule(id: string): Promise<LbRuleView | undefined> {
    return this.reads.getLbRule(id);
  }

  listLbRules(vpcId: string): Promise<LbRuleView[]> {
    return this.reads.listLbRules(vpcId);
  }

  /** One keyset page of VPCs (filters, sort and cursor all in SQL). */
  listVpcs(q: vpcsRepo.VpcPageRequest): Promise<Page<VpcView>> {
    return this.reads.listVpcs(q);
  }

  pageJobs(q: jobsRepo.JobPageRequest): Promise<Page<JobView>> {
    return this.reads.pageJobs(q);
  }

  pageCalls(q: elementCallsRepo.CallPageRequest): Promise<Page<CallView>> {
    return this.reads.pageCalls(q);
  }

  pageNics(q: nicsRepo.NicPageRequest): Promise<Page<NicView>> {
    return this.reads.pageNics(q);
  }

  getVpc(id: string): Promise<VpcDetail | undefined> {
    return this.reads.getVpc(id);
  }

  getTier(id: string): Promise<TierView | undefined> {
    return this.reads.getTier(id);
  }

  listNics(tierId: string): Promise<NicView[]> {
    return this.reads.listNics(tierId);
  }

  getNic(id: string): Promise<NicView | undefined> {
    return this.reads.getNic(id);
  }

  listCalls(filter: elementCallsRepo.CallFilter): Promise<CallView[]> {
    return this.reads.listCalls(filter);
  }

  listTraces(filter: { networkId?: string; jobId?: string; limit?: number }): Promise<TraceView[]> {
    return this.reads.listTraces(filter);
  }

  listTransitions(entityIds: readonly string[]) {
    return this.reads.listTransitions(entityIds);
  }
}
