// The negotiation trace: for each service, which provider was chosen or skipped, and the reason, as a readable list.
import type { TraceEntry } from '@netplane/domain';
import { CheckCircle2, MinusCircle } from 'lucide-react';

const VERDICT_TEXT: Record<TraceEntry['verdict'], string> = {
  CHOSEN: 'Chosen',
  TAG_MISMATCH: 'Label mismatch',
  ISOLATION_UNSUPPORTED: 'Isolation not supported',
  SERVICE_NOT_OFFERED: 'Service not offered',
  CAPABILITY_MISSING: 'Capability missing',
  PROVIDER_DISABLED: 'Provider disabled',
  CONTROLLER_UNHEALTHY: 'Controller unhealthy',
  DECLINED: 'Declined (canHandle)',
};

function detailOf(e: TraceEntry): string | undefined {
  if (e.verdict === 'TAG_MISMATCH' && (e.providerLabels || e.requiredLabels)) {
    return `provider handles [${(e.providerLabels ?? []).join(', ') || 'no labels'}], offering needs [${(e.requiredLabels ?? []).join(', ')}]`;
  }
  if (e.verdict === 'ISOLATION_UNSUPPORTED' && e.isolationMethod) {
    return `asked ${e.isolationMethod}, supports ${(e.supportedIsolation ?? []).join(', ') || 'none'}`;
  }
  return e.reason;
}

export function NegotiationTrace({ entries }: { entries: readonly TraceEntry[] }) {
  if (entries.length === 0)
    return <p className="text-sm text-slate-500 dark:text-slate-400">No negotiation recorded.</p>;
  const services = [...new Set(entries.map((e) => e.service))];
  return (
    <div className="space-y-3">
      {services.map((service) => {
        const rows = entries.filter((e) => e.service === service);
        const isChosen = rows.some((r) => r.verdict === 'CHOSEN');
        return (
          <div key={service}>
            <h4 className="mb-1 text-sm font-semibold">
              {service}{' '}
              {!isChosen && (
                <span className="ml-1 rounded bg-red-100 px-1.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
                  no provider
                </span>
              )}
            </h4>
            <ul className="space-y-1">
              {rows.map((r) => (
                <li key={`${r.service}-${r.provider}`} className="flex items-start gap-2 text-sm">
                  {r.verdict === 'CHOSEN' ? (
                    <CheckCircle2 aria-hidden className="mt-0.5 size-4 shrink-0 text-emerald-600" />
                  ) : (
                    <MinusCircle aria-hidden className="mt-0.5 size-4 shrink-0 text-slate-400" />
                  )}
                  <span>
                    <span className="font-medium">{r.provider}</span>{' '}
                    <span
                      className={
                        r.verdict === 'CHOSEN'
                          ? 'text-emerald-700 dark:text-emerald-400'
                          : 'text-slate-600 dark:text-slate-300'
                      }
                    >
                      {VERDICT_TEXT[r.verdict]}
                    </span>
                    {detailOf(r) && (
                      <span className="text-slate-500 dark:text-slate-400"> — {detailOf(r)}</span>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
