// Read models the API and the console need: VPC detail with tiers, NICs, conditions; jobs with steps; calls; traces.

import type { Db } from '@netplane/db';
import {
  type elementCallsRepo,
  jobsRepo,
  type negotiationTracesRepo,
  networksRepo,
  nicsRepo,
  transitionsRepo,
  vpcsRepo,
} from '@netplane/db';
import { type Condition, type NegotiationTraceEntry, parseConditions } from '@netplane/domain';

export type VpcView = Omit<vpcsRepo.VpcRow, 'conditions'> & { conditions: Condition[] };
export type TierView = Omit<networksRepo.NetworkRow, 'conditions'> & {
  conditions: Condition[];
  elements: { service: string; providerId: string; controllerId: string; adapterId: string }[];
  nicCounts: Record<string, number>;
};
export type NicView = Omit<nicsRepo.NicRow, 'conditions'> & { conditions: Condition[] };
export type JobView = Omit<jobsRepo.JobRow, 'payload' | 'result' | 'error'> & {
  payload: unknown;
  result: unknown;
  error: { code: string; message: string; [k: string]: unknown } | null;
};
export type JobDetail = JobView & {
  steps: { key: string; seq: number; state: string; at: number; nodeId: string }[];
};
export type CallView = Omit<elementCallsRepo.ElementCallRow, 'requestSummary' | 'responseSummary'> & {
  request: unknown;
  response: unknown;
};
export type TraceView = Omit<negotiationTracesRepo.TraceRow, 'trace' | 'missing'> & {
  trace: NegotiationTraceEntry[];
  missing: string[];
};
export type VpcDetail = VpcView & {
  tiers: TierView[];
  recentJobs: JobView[];
  transitions: transitionsRepo.TransitionRow[];
};

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

export const vpcView = (r: vpcsRepo.VpcRow): VpcView => ({ ...r, conditions: parseConditions(r.conditions) });
export const nicView = (r: nicsRepo.NicRow): NicView => ({ ...r, conditions: parseConditions(r.conditions) });
export const jobView = (r: jobsRepo.JobRow): JobView => ({
  ...r,
  payload: summarizePayload(parse(r.payload)),
  result: parse(r.result),
  error: parse(r.error) as JobView['error'],
});
export const callView = (r: elementCallsRepo.ElementCallRow): CallView => {
  const { requestSummary, responseSummary, ...rest } = r;
  return { ...rest, request: parse(requestSummary), response: parse(responseSummary) };
};
export const traceView = (r: negotiationTracesRepo.TraceRow): TraceView => ({
  ...r,
  trace: JSON.parse(r.trace) as NegotiationTraceEntry[],
  missing: JSON.parse(r.missing) as string[],
});

/** A 500-NIC job's payload is shown as a count, not 500 ids. */
function summarizePayload(p: unknown): unknown {
  if (p && typeof p === 'object' && Array.isArray((p as { nicIds?: unknown }).nicIds)) {
    const ids = (p as { nicIds: string[] }).nicIds;
    return { ...(p as object), nicIds: ids.slice(0, 20), nicCount: ids.length };
  }
  return p;
}

export async function tierViews(db: Db, networks: readonly networksRepo.NetworkRow[]): Promise<TierView[]> {
  const elements = await networksRepo.listElements(
    db,
    networks.map((n) => n.id),
  );
  const nicCounts = await nicsRepo.countNicsByState(
    db,
    networks.map((n) => n.id),
  );
  const out: TierView[] = [];
  for (const n of networks) {
    const counts = nicCounts.get(n.id) ?? {};
    out.push({
      ...n,
      conditions: parseConditions(n.conditions),
      elements: elements
        .filter((e) => e.networkId === n.id)
        .map((e) => ({
          service: e.service,
          providerId: e.providerId,
          controllerId: e.controllerId,
          adapterId: e.adapterId,
        })),
      nicCounts: counts,
    });
  }
  return out;
}

export async function vpcDetail(db: Db, id: string): Promise<VpcDetail | undefined> {
  const vpc = await vpcsRepo.getVpc(db, id);
  if (!vpc) return undefined;
  const networks = await networksRepo.listNetworksOfVpc(db, id, true);
  const jobs = await jobsRepo.listJobs(db, { vpcId: id, limit: 20 });
  const transitions = await transitionsRepo.listTransitions(db, [id, ...networks.map((n) => n.id)], 200);
  return {
    ...vpcView(vpc),
    tiers: await tierViews(db, networks),
    recentJobs: jobs.map(jobView),
    transitions,
  };
}
