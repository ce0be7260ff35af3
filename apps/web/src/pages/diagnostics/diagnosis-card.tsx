// One diagnosis, root cause first: category, plain sentence, evidence, remediation, actions, and what it caused.
import { ChevronRight, CircleAlert, Wrench } from 'lucide-react';
import { Link } from 'react-router';
import { NegotiationTrace } from '../../components/negotiation-trace';
import type { Outputs } from '../../lib/api-types';
import { formatAgo } from '../../lib/format';
import { DiagnosisActions } from './diagnosis-actions';

export type DiagnosisView = Outputs['diagnostics']['list']['items'][number];
type DiagnosisRecord = DiagnosisView['caused'][number];

export function CategoryBadge({ category }: { category: string }) {
  return (
    <span className="rounded bg-red-100 px-1.5 py-0.5 font-mono text-xs font-semibold text-red-900 dark:bg-red-950 dark:text-red-200">
      {category}
    </span>
  );
}

function Evidence({ d }: { d: DiagnosisRecord }) {
  const { call, trace, vendorCode, vendorMessage, message, notRealized } = d.evidence;
  return (
    <div className="space-y-3 text-sm">
      {notRealized && notRealized.length > 0 && <NotRealizedParts parts={notRealized} />}
      {call && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 rounded-md bg-slate-50 p-3 text-xs md:grid-cols-4 dark:bg-slate-800/50">
          <Fact label="Failing call">
            {call.phase}
            {call.purpose === 'rollback' ? ' (rollback)' : ''}
          </Fact>
          <Fact label="Element">{call.element}</Fact>
          <Fact label="Controller">{call.controllerName ?? call.controllerId ?? '—'}</Fact>
          <Fact label="Attempt">{call.attempt ?? '—'}</Fact>
          <Fact label="Error category">{call.category}</Fact>
          <Fact label="Retryable">{call.retryable === undefined ? '—' : call.retryable ? 'yes' : 'no'}</Fact>
          {(call.vendorCode ?? vendorCode) && (
            <Fact label="Vendor code">{call.vendorCode ?? vendorCode}</Fact>
          )}
          {call.conflict && (
            <Fact label="Conflict">
              {call.conflict.resource} {call.conflict.name}
              {call.conflict.owner ? ` owned by ${call.conflict.owner}` : ''}
            </Fact>
          )}
          <div className="col-span-full">
            <dt className="text-slate-500 dark:text-slate-400">Message</dt>
            <dd className="font-mono">{call.vendorMessage ?? vendorMessage ?? call.message}</dd>
          </div>
        </dl>
      )}
      {!call && !notRealized && (vendorCode || vendorMessage || message) && (
        <p className="font-mono text-xs">
          {[vendorCode, vendorMessage ?? message].filter(Boolean).join(': ')}
        </p>
      )}
      {trace && trace.length > 0 && (
        <details open={!call}>
          <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            Negotiation trace
          </summary>
          <div className="mt-2">
            <NegotiationTrace entries={trace} />
          </div>
        </details>
      )}
    </div>
  );
}

type NotRealizedPart = NonNullable<DiagnosisRecord['evidence']['notRealized']>[number];

/** NOT_REALIZED: each part the controller did not put into effect, its reason, and what the controller showed. */
function NotRealizedParts({ parts }: { parts: readonly NotRealizedPart[] }) {
  return (
    <ul
      className="space-y-2 rounded-md bg-slate-50 p-3 text-xs dark:bg-slate-800/50"
      aria-label="Parts not realized"
    >
      {parts.map((p) => (
        <li key={`${p.entity}:${p.id}`}>
          <span className="font-medium">
            {TARGET_LABEL[p.entity] ?? p.entity} {p.name ?? p.id.slice(0, 8)}
          </span>{' '}
          <span className="font-mono">{p.reason}</span> — {p.message}
          {p.evidence.length > 0 && (
            <ul className="mt-1 list-disc pl-5 font-mono text-slate-600 dark:text-slate-300">
              {p.evidence.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** What the target is called in a sentence: a network is a tier to the people reading this. */
const TARGET_LABEL: Record<string, string> = {
  network: 'tier',
  nic: 'NIC',
  vpc: 'VPC',
  job: 'job',
  staticNat: 'static NAT',
  lbRule: 'load balancer',
  portForward: 'port forwarding rule',
  aclList: 'ACL list',
};

/** The target's name; an id only when there is none (a job, or a target deleted since). */
function TargetName({ record }: { record: DiagnosisRecord }) {
  return record.targetName ? (
    <span className="font-medium">{record.targetName}</span>
  ) : (
    <span className="font-mono" title={record.targetId}>
      {record.targetId.slice(0, 8)}
    </span>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="font-medium">{children}</dd>
    </div>
  );
}

export function DiagnosisCard({ view }: { view: DiagnosisView }) {
  return (
    <article
      aria-labelledby={`diag-${view.id}`}
      className="rounded-lg border border-red-200 bg-white shadow-xs dark:border-red-900/60 dark:bg-slate-900"
    >
      <header className="space-y-1 border-b border-red-100 px-4 py-3 dark:border-red-900/40">
        <div className="flex flex-wrap items-center gap-2">
          <CircleAlert aria-hidden className="size-5 shrink-0 text-red-600" />
          <h2 id={`diag-${view.id}`} className="text-base font-semibold">
            {view.title}
          </h2>
          <CategoryBadge category={view.category} />
          {view.resolvedAt && (
            <span className="text-xs text-emerald-700 dark:text-emerald-400">
              resolved {formatAgo(view.resolvedAt)}
            </span>
          )}
        </div>
        <p className="text-sm">{view.sentence}</p>
        {/* One wrapping line of facts, so a narrow card breaks between them rather than inside them. */}
        <p className="flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-slate-600 dark:text-slate-300">
          <span className="whitespace-nowrap">
            {TARGET_LABEL[view.targetType] ?? view.targetType} <TargetName record={view} />
          </span>
          {view.vpcName && view.targetType !== 'vpc' && (
            <span className="whitespace-nowrap">
              in VPC <span className="font-medium">{view.vpcName}</span>
            </span>
          )}
          <span className="whitespace-nowrap">{formatAgo(view.createdAt)}</span>
          {view.vpcId && (
            <Link
              to={`/vpcs/${view.vpcId}`}
              className="inline-flex items-center whitespace-nowrap text-sky-700 underline dark:text-sky-400"
            >
              Open VPC {view.vpcName ?? ''} <ChevronRight aria-hidden className="size-3" />
            </Link>
          )}
        </p>
      </header>
      <div className="space-y-4 px-4 py-3">
        <Evidence d={view} />
        <div className="flex items-start gap-2 rounded-md bg-sky-50 p-3 text-sm text-sky-950 dark:bg-sky-950/40 dark:text-sky-100">
          <Wrench aria-hidden className="mt-0.5 size-4 shrink-0" />
          <p>
            <strong>Remediation:</strong> {view.remediation}
          </p>
        </div>
        <DiagnosisActions diagnosis={view} />
        {view.caused.length > 0 && (
          <details>
            <summary className="cursor-pointer text-sm font-medium">
              Caused {view.caused.length} downstream failure{view.caused.length === 1 ? '' : 's'} (not
              separate problems)
            </summary>
            <ul className="mt-2 space-y-1 border-l-2 border-red-200 pl-3 text-sm dark:border-red-900">
              {view.caused.map((c) => (
                <li key={c.id}>
                  <span className="font-medium">{c.title}</span> ·{' '}
                  {TARGET_LABEL[c.targetType] ?? c.targetType} <TargetName record={c} /> — {c.sentence}
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </article>
  );
}
