// The Realized check (issue 12): after a job changed a VPC and in reconcile, ask each controller of the VPC what it
// actually applied (NetworkElement.checkRealized, optional), through the same guarded call path as every other
// adapter call, and turn the reports into one verdict per VPC, tier, NIC and rule. An adapter without the call gives
// Unknown/CheckUnsupported, a check that fails Unknown/CheckFailed: the check never fails the job and never touches
// Ready. realized-write.ts stores the verdicts and the NOT_REALIZED diagnosis.
import type { ObservedResource, RealizedReport } from '@netplane/adapter-sdk';
import { isDatabaseUnavailable } from '@netplane/db';
import { conditionOf, parseConditions, REALIZED_REASONS, type Service } from '@netplane/domain';
import { CallFailed, isControl } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { sharedReport } from './realized-share';
import { groupElements } from './specs';
import { onWholeVpc } from './step-call';
import { vpcContents } from './vpc-contents';

export type RealizedStatus = 'True' | 'False' | 'Unknown';
export type Verdict = { status: RealizedStatus; reason: string; message: string; evidence: string[] };
export type SubjectEntity = 'vpc' | 'network' | 'nic' | 'staticNat' | 'lbRule' | 'portForward';

/** One entity that carries a Realized condition, the observed resources it is made of, and its verdict. */
export type Subject = {
  entity: SubjectEntity;
  id: string;
  name: string;
  /** The stored conditions JSON and version, to skip a write that changes nothing and to compare-and-set. */
  conditions: string;
  version: number;
  verdict: Verdict;
};

/** What one controller answered: its report, or why there is none. */
type Answer =
  | { kind: 'report'; report: RealizedReport }
  | { kind: 'unsupported'; adapterId: string }
  | { kind: 'failed'; message: string };

export type RealizedCheck = {
  vpc: { id: string; name: string; conditions: string };
  subjects: Subject[];
  /** The VPC's own verdict: its own resource and every part of it combined. */
  verdict: Verdict;
  controller: { id: string; name: string } | undefined;
};

type Part = { kind: ObservedResource['kind']; id: string; service: Service; networkId: string | null };

const MAX_MESSAGE = 500;
const cap = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);

function verdictOf(answer: Answer | undefined, part: Part): Verdict | undefined {
  if (!answer) return undefined;
  if (answer.kind === 'unsupported')
    return {
      status: 'Unknown',
      reason: REALIZED_REASONS.unsupported,
      message: `Adapter ${answer.adapterId} cannot tell what its controller applied`,
      evidence: [],
    };
  if (answer.kind === 'failed')
    return {
      status: 'Unknown',
      reason: REALIZED_REASONS.checkFailed,
      message: cap(answer.message),
      evidence: [],
    };
  const { report } = answer;
  const r = report.resources.find((x) => x.kind === part.kind && x.id === part.id);
  if (r)
    return {
      status: r.realized ? 'True' : 'False',
      reason: r.reason,
      message: cap(r.message),
      evidence: [...(r.evidence ?? [])],
    };
  // The controller as a whole did not compile the change: that applies to everything the report does not name.
  if (!report.overall.realized)
    return {
      status: 'False',
      reason: report.overall.reason,
      message: cap(report.overall.message),
      evidence: [],
    };
  return {
    status: 'True',
    reason: REALIZED_REASONS.realized,
    message: 'Applied by the controller',
    evidence: [],
  };
}

/** The Realized condition a row already carries, as a verdict (no evidence kept). */
function storedVerdict(conditions: string): Verdict | undefined {
  const c = conditionOf(parseConditions(conditions), 'Realized');
  return c && { status: c.status, reason: c.reason, message: c.message, evidence: [] };
}

/** False wins, then Unknown; True only when every verdict is True. */
export function combine(verdicts: readonly Verdict[]): Verdict | undefined {
  return (
    verdicts.find((v) => v.status === 'False') ?? verdicts.find((v) => v.status === 'Unknown') ?? verdicts[0]
  );
}

/** A CamelCase reason the condition schema accepts (an adapter's own reason may not be). */
const safeReason = (r: string) => (/^[A-Z][A-Za-z0-9]*$/.test(r) ? r : 'NotRealized');

async function ask(
  core: EngineCore,
  ctx: JobContext,
  vpcId: string,
  controllerId: string,
  networkIds: readonly string[],
): Promise<Answer> {
  try {
    // Inside the try: a controller that cannot be used (credentials unreadable...) is a check that failed.
    const handle = await core.elements.get(controllerId);
    const check = handle.element.checkRealized?.bind(handle.element);
    if (!check) return { kind: 'unsupported', adapterId: handle.adapterId };
    // Bounded by the controller's own timeout, so the wait ends before the guard gives up on the call.
    const waitMs = Math.max(
      0,
      Math.min(core.options.realizedWaitMs, Math.floor(handle.limits.timeoutMs / 2)),
    );
    const report = await sharedReport(
      core,
      `${controllerId}:${vpcId}`,
      networkIds,
      (share) => {
        const scope = { vpcId, networkIds: share.networkIds, waitMs };
        return core.calls.call({
          handle,
          phase: 'observe',
          ...onWholeVpc(vpcId),
          request: { op: 'checkRealized', ...scope },
          idempotencyKey: `${ctx.job.id}:checkRealized:${controllerId}`,
          job: ctx.callJob(null),
          besideJob: true,
          onAnnounce: share.close,
          invoke: (_e, c) => check(scope, c),
          summarize: (r) => ({
            overall: r.overall.reason,
            notRealized: r.resources.filter((x) => !x.realized).length,
          }),
        });
      },
      (e) => isControl(e) || isDatabaseUnavailable(e),
    );
    return { kind: 'report', report };
  } catch (e) {
    if (isControl(e) || isDatabaseUnavailable(e)) throw e;
    const message = e instanceof CallFailed ? e.message : String((e as Error)?.message ?? e);
    return { kind: 'failed', message: `The realized check failed: ${message}` };
  }
}

/**
 * Checks every Implemented tier of the VPC with its Reserved NICs and Active rules. Undefined when the VPC has no
 * Implemented tier (nothing was applied, nothing to check).
 */
export async function checkRealized(
  core: EngineCore,
  ctx: JobContext,
  vpcId: string,
  /** The tiers the job changed (all when undefined): only their controllers are asked. */
  scope?: ReadonlySet<string>,
): Promise<RealizedCheck | undefined> {
  const contents = await vpcContents(core.deps.db.db, vpcId);
  if (!contents) return undefined;
  const { vpc, nics, nats, lbs, pfs } = contents;
  const live = contents.networks.filter((n) => n.state === 'Implemented');
  if (live.length === 0) return undefined;
  const liveIds = new Set(live.map((n) => n.id));
  const inScope = (networkId: string) => scope === undefined || scope.has(networkId);
  const elements = contents.elements.filter((e) => liveIds.has(e.networkId));
  const servedBy = (networkId: string | null, service: Service) =>
    elements
      .filter((e) => e.service === service && (networkId === null || e.networkId === networkId))
      .map((e) => e.controllerId);
  const answers = new Map<string, Answer>();
  // Only the controllers of the tiers in scope: a job on one tier never waits on another tier's busy controller.
  const scoped = elements.filter((e) => inScope(e.networkId));
  for (const g of groupElements(scoped)) {
    const tiers = [
      ...new Set(scoped.filter((e) => e.controllerId === g.controllerId).map((e) => e.networkId)),
    ];
    answers.set(g.controllerId, await ask(core, ctx, vpcId, g.controllerId, tiers));
  }
  const judge = (parts: readonly Part[]) =>
    combine(
      parts.flatMap((p) =>
        [...new Set(servedBy(p.networkId, p.service))].flatMap((c) => verdictOf(answers.get(c), p) ?? []),
      ),
    );
  const subjects: Subject[] = [];
  const add = (
    entity: SubjectEntity,
    row: { id: string; conditions: string; version: number },
    name: string,
    parts: Part[],
  ) => {
    // Out of scope, the part keeps what its last check said (it still counts in the VPC's verdict).
    const tier = parts[0]?.networkId;
    const verdict =
      tier === null || tier === undefined || inScope(tier) ? judge(parts) : storedVerdict(row.conditions);
    if (verdict)
      subjects.push({
        entity,
        id: row.id,
        name,
        conditions: row.conditions,
        version: row.version,
        verdict: { ...verdict, reason: safeReason(verdict.reason) },
      });
  };
  for (const n of live) {
    const parts: Part[] = [{ kind: 'network', id: n.id, service: 'Connectivity', networkId: n.id }];
    if (servedBy(n.id, 'NetworkACL').length > 0)
      parts.push({ kind: 'acl', id: `${n.id}/list`, service: 'NetworkACL', networkId: n.id });
    add('network', n, n.name, parts);
  }
  for (const nic of nics.filter((x) => x.state === 'Reserved' && liveIds.has(x.networkId)))
    add('nic', nic, `${nic.vmName} (${nic.ip})`, [
      { kind: 'nic', id: nic.id, service: 'Connectivity', networkId: nic.networkId },
    ]);
  const active = <R extends { state: string; networkId: string }>(rows: readonly R[]) =>
    rows.filter((r) => r.state === 'Active' && liveIds.has(r.networkId));
  for (const r of active(nats))
    add('staticNat', r, r.publicIp, [
      { kind: 'nat', id: r.id, service: 'StaticNat', networkId: r.networkId },
    ]);
  for (const r of active(lbs))
    add('lbRule', r, r.name, [{ kind: 'lb', id: r.id, service: 'Lb', networkId: r.networkId }]);
  for (const r of active(pfs))
    add('portForward', r, `${r.publicIp}:${r.publicPortStart}`, [
      { kind: 'pf', id: r.id, service: 'PortForwarding', networkId: r.networkId },
    ]);
  const own = judge(
    [...liveIds]
      .filter(inScope)
      .map((networkId) => ({ kind: 'vpc' as const, id: vpcId, service: 'Connectivity' as const, networkId })),
  );
  const verdict = vpcVerdict(own, subjects);
  // The diagnosis names the controller whose report has something off (else the first one asked).
  const off = [...answers].find(
    ([, a]) =>
      a.kind === 'report' && (!a.report.overall.realized || a.report.resources.some((r) => !r.realized)),
  );
  const named = off?.[0] ?? groupElements(scoped)[0]?.controllerId;
  const controller = named ? await core.elements.get(named).catch(() => undefined) : undefined;
  return {
    vpc: { id: vpc.id, name: vpc.name, conditions: vpc.conditions },
    subjects,
    verdict,
    controller: controller && { id: controller.controllerId, name: controller.controllerName },
  };
}

/** The VPC is realized when it and every part of it are; otherwise the count and the first parts say what is not. */
function vpcVerdict(own: Verdict | undefined, subjects: readonly Subject[]): Verdict {
  const all = [...(own ? [own] : []), ...subjects.map((s) => s.verdict)];
  const worst = combine(all) ?? {
    status: 'Unknown',
    reason: REALIZED_REASONS.pending,
    message: 'Nothing to check',
    evidence: [],
  };
  if (worst.status === 'True')
    return { ...worst, message: 'The controller applied the VPC and every part of it' };
  const off = subjects.filter((s) => s.verdict.status === worst.status);
  if (off.length === 0) return { ...worst, reason: safeReason(worst.reason) };
  const named = off
    .slice(0, 3)
    .map((s) => `${s.entity === 'network' ? 'tier' : s.entity} ${s.name}: ${s.verdict.reason}`);
  const more = off.length > named.length ? ` and ${off.length - named.length} more` : '';
  const what = worst.status === 'False' ? 'not realized' : 'not known to be realized';
  return {
    ...worst,
    reason: safeReason(worst.reason),
    message: cap(`${off.length} part${off.length === 1 ? '' : 's'} ${what}: ${named.join('; ')}${more}`),
  };
}
