// The engine's read models behind Engine.listVpcs / getVpc / getTier / listNics / ... : rows from the repositories
// turned into the views the API serves.
import {
  elementCallsRepo,
  type jobsRepo,
  lbRulesRepo,
  negotiationTracesRepo,
  networksRepo,
  nicsRepo,
  type Page,
  staticNatRepo,
  transitionsRepo,
  type vpcsRepo,
} from '@netplane/db';
import type { LbRuleView, StaticNatView } from '@netplane/domain';
import type { EngineCore } from './lifecycle/core';
import { lbRuleView, staticNatView } from './lifecycle/rule-views';
import { pageCallViews, pageJobViews, pageNicViews, pageVpcViews } from './list-pages';
import {
  type CallView,
  callView,
  type JobView,
  type NicView,
  nicView,
  type TierView,
  type TraceView,
  tierViews,
  traceView,
  type VpcDetail,
  type VpcView,
  vpcDetail,
} from './views';

/** The read models over one engine's database. */
export class ReadModels {
  constructor(private readonly core: EngineCore) {}

  private get db() {
    return this.core.deps.db.db;
  }

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

  async listStaticNat(vpcId: string): Promise<StaticNatView[]> {
    return (await staticNatRepo.listStaticNatOfVpc(this.db, vpcId)).map(staticNatView);
  }

  async getLbRule(id: string): Promise<LbRuleView | undefined> {
    const rule = await lbRulesRepo.getLbRule(this.db, id);
    if (!rule) return undefined;
    return (await lbRulesRepo.listLbRulesOfVpc(this.db, rule.vpcId)).map(lbRuleView).find((r) => r.id === id);
  }

  async listLbRules(vpcId: string): Promise<LbRuleView[]> {
    return (await lbRulesRepo.listLbRulesOfVpc(this.db, vpcId)).map(lbRuleView);
  }
}
