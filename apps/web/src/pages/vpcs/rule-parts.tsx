// What the static NAT, port forwarding and LB sections share: the VPC's NICs and public-service options per tier, the rule's state
// with the progress of its job and its Realized condition, and its last error with the way to its diagnosis.
import type { RuleAddress } from '@netplane/domain';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { type Condition, ConditionPill } from '../../components/condition-pills';
import { ProgressBar } from '../../components/progress-bar';
import { StateBadge } from '../../components/state-badge';
import type { Outputs } from '../../lib/api-types';
import { formatDuration } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { DiagnosisCard } from '../diagnostics/diagnosis-card';

export type Vpc = Outputs['vpcs']['get'];
export type Tier = Vpc['tiers'][number];
export type Nic = Outputs['nics']['list']['items'][number];
export type Job = Vpc['recentJobs'][number];
export type PublicOptions = Outputs['publicServices']['options'];
export type StaticNatRule = Outputs['staticNat']['list'][number];
export type LbRule = Outputs['lbRules']['list'][number];
export type PortForwardingRule = Outputs['portForwarding']['list']['items'][number];
export type PublicIp = Outputs['publicIps']['list']['items'][number];

export const isRuleBusy = (r: { state: string }) => r.state === 'Add' || r.state === 'Revoke';

/** Rules poll fast only while one of them is being applied or revoked. */
export const ruleRefetch = (rules: readonly { state: string }[] | undefined) =>
  rules?.some(isRuleBusy) ? 1500 : 5000;

/** The NICs of every tier of the VPC (the same queries the tier cards use, so one fetch serves both). */
export function useVpcNics(tiers: readonly Tier[]): { byTier: Map<string, Nic[]>; isPending: boolean } {
  const trpc = useTRPC();
  const results = useQueries({
    queries: tiers.map((t) => trpc.nics.list.queryOptions({ tierId: t.id, limit: 200 })),
  });
  const byTier = new Map<string, Nic[]>();
  tiers.forEach((t, i) => {
    byTier.set(t.id, results[i]?.data?.items ?? []);
  });
  return { byTier, isPending: results.some((r) => r.isPending) };
}

/** publicServices.options of every tier: which provider serves StaticNat / Lb there, with its LB algorithms. */
export function usePublicOptions(tiers: readonly Tier[]) {
  const trpc = useTRPC();
  const results = useQueries({
    queries: tiers.map((t) =>
      // The provider is chosen at implement: ask again when the tier's state changes.
      trpc.publicServices.options.queryOptions({ tierId: t.id }, { staleTime: 30_000 }),
    ),
  });
  const byTier = new Map<string, PublicOptions | undefined>();
  tiers.forEach((t, i) => {
    byTier.set(t.id, results[i]?.data);
  });
  return { byTier, isPending: results.some((r) => r.isPending), error: results.find((r) => r.error)?.error };
}

/**
 * The VPC's public addresses with the rules on each. Every tier's options carry the same list, so the first tier's is
 * asked (and kept fresh while the page is open: rules come and go through jobs); the dialogs pick from it.
 */
export function useVpcAddresses(vpc: Vpc): { addresses: RuleAddress[]; isKnown: boolean } {
  const trpc = useTRPC();
  const first = vpc.tiers[0]?.id ?? '';
  const q = useQuery(
    trpc.publicServices.options.queryOptions(
      { tierId: first },
      { enabled: first !== '', staleTime: 30_000, refetchInterval: 5000 },
    ),
  );
  return { addresses: q.data?.addresses ?? [], isKnown: q.data !== undefined };
}

export function useOfferingNames(): (id: string) => string {
  const trpc = useTRPC();
  const offerings = useQuery(trpc.offerings.list.queryOptions({ kind: 'network' }));
  return (id) => offerings.data?.find((o) => o.id === id)?.name ?? id.slice(0, 8);
}

/** The rule's state; while a job applies or revokes it, the job's own state, time and progress; its last error. */
export function RuleStatus({
  rule,
  job,
}: {
  rule: {
    id: string;
    state: string;
    jobId: string | null;
    lastError: string | null;
    conditions?: readonly Condition[];
  };
  job?: Job | undefined;
}) {
  const isBusy = isRuleBusy(rule);
  const realized = rule.conditions?.find((c) => c.type === 'Realized');
  return (
    <div className="min-w-32 space-y-1">
      <StateBadge state={rule.state} />
      {/* Whether the controller put the Active rule into effect (its Realized condition, once checked). */}
      {rule.state === 'Active' && realized && (
        <div>
          <ConditionPill name="Realized" condition={realized} />
        </div>
      )}
      {isBusy && job && (
        <div className="text-xs text-slate-600 dark:text-slate-300">
          <span className="font-mono">{job.kind}</span> {job.state}
          {job.startedAt ? ` · ${formatDuration((job.finishedAt ?? Date.now()) - job.startedAt)}` : ''}
          {job.progressTotal > 0 && (
            <ProgressBar label={`Progress of ${job.kind}`} value={job.progressDone} max={job.progressTotal} />
          )}
        </div>
      )}
      {rule.lastError && <RuleError rule={rule} />}
    </div>
  );
}

/** The rule's last error, and where its diagnosis (evidence, remediation, retry) is. */
export function RuleError({ rule }: { rule: { id: string; state: string; lastError: string | null } }) {
  if (!rule.lastError) return null;
  return (
    <span className="block max-w-xs space-y-0.5 break-words text-xs">
      {/* Narrow screens keep the link only: the diagnosis below the table says it all in full width. */}
      <span className="hidden text-red-700 lg:block dark:text-red-400">{rule.lastError}</span>
      {rule.state === 'Error' && (
        <Link to={`/diagnostics?target=${rule.id}`} className="text-sky-700 underline dark:text-sky-400">
          Diagnosis and fix
        </Link>
      )}
    </span>
  );
}

/** The open diagnoses of the VPC keyed by their target, for rules in Error (fetched only when there is one). */
export function useOpenDiagnoses(vpcId: string, isNeeded: boolean) {
  const trpc = useTRPC();
  const q = useQuery(
    trpc.diagnostics.list.queryOptions(
      { vpcId, openOnly: true },
      { enabled: isNeeded, refetchInterval: isNeeded ? 5000 : false },
    ),
  );
  return new Map((q.data?.items ?? []).map((d) => [d.targetId, d]));
}

/** The diagnoses of the rules in Error, in full (cause, evidence, remediation, retry), under the rules' table. */
export function RuleDiagnoses({
  vpcId,
  rules,
}: {
  vpcId: string;
  rules: readonly { id: string; state: string }[];
}) {
  const failed = rules.filter((r) => r.state === 'Error');
  const diagnoses = useOpenDiagnoses(vpcId, failed.length > 0);
  const views = failed.map((r) => diagnoses.get(r.id)).filter((d) => d !== undefined);
  if (views.length === 0) return null;
  return (
    <div className="mt-3 space-y-3">
      {views.map((d) => (
        <DiagnosisCard key={d.id} view={d} />
      ))}
    </div>
  );
}
