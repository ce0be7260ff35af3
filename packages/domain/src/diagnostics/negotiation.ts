// Negotiation failures: refine NO_ELEMENT_FOR_SERVICE when every skip of the service shares one reason, and say so.
import type { DiagnosisCategory } from '../vocabulary';
import type { TraceEntry } from './types';

const REFINABLE = ['TAG_MISMATCH', 'ISOLATION_UNSUPPORTED', 'PROVIDER_DISABLED'] as const;
type Refinable = (typeof REFINABLE)[number];
const isRefinable = (v: string): v is Refinable => (REFINABLE as readonly string[]).includes(v);

export function skipsOf(service: string, trace: readonly TraceEntry[]): TraceEntry[] {
  return trace.filter((e) => e.service === service && e.verdict !== 'CHOSEN');
}

/**
 * Providers that do not offer the service at all were never candidates, so they do not block a refinement: when every
 * remaining skip shares one refinable reason, that reason is the diagnosis.
 */
export function candidateSkipsOf(service: string, trace: readonly TraceEntry[]): TraceEntry[] {
  return skipsOf(service, trace).filter((e) => e.verdict !== 'SERVICE_NOT_OFFERED');
}

export function refineNegotiationCategory(service: string, trace: readonly TraceEntry[]): DiagnosisCategory {
  const skips = candidateSkipsOf(service, trace);
  const first = skips[0];
  if (!first || !isRefinable(first.verdict)) return 'NO_ELEMENT_FOR_SERVICE';
  return skips.every((s) => s.verdict === first.verdict) ? first.verdict : 'NO_ELEMENT_FOR_SERVICE';
}

const list = (labels: readonly string[] | undefined) => `[${(labels ?? []).join(', ')}]`;

/** Why one provider was skipped, in words: "its labels [gold] do not match the offering's [silver]". */
export function explainSkip(e: TraceEntry): string {
  switch (e.verdict) {
    case 'TAG_MISMATCH':
      return `its labels ${list(e.providerLabels)} do not match the offering's ${list(e.requiredLabels)}`;
    case 'ISOLATION_UNSUPPORTED':
      return `it does not support isolation ${e.isolationMethod ?? 'method asked'}${e.supportedIsolation ? ` (it supports ${e.supportedIsolation.join(', ')})` : ''}`;
    case 'PROVIDER_DISABLED':
      return 'it is disabled';
    case 'SERVICE_NOT_OFFERED':
      return `it does not offer ${e.service}`;
    case 'CAPABILITY_MISSING':
      return `it lacks a capability the offering needs${e.reason ? ` (${e.reason})` : ''}`;
    case 'CONTROLLER_UNHEALTHY':
      return `its controller is unhealthy${e.reason ? ` (${e.reason})` : ''}`;
    case 'DECLINED':
      return `it declined: ${e.reason ?? 'no reason given'}`;
    case 'CHOSEN':
      return 'it was chosen';
    default:
      return e.verdict satisfies never;
  }
}

export function describeNegotiationFailure(
  category: DiagnosisCategory,
  failure: { service: string; physicalNetwork: { name: string }; trace: readonly TraceEntry[] },
  target: string,
): string {
  const pn = `physical network ${failure.physicalNetwork.name}`;
  const skips = skipsOf(failure.service, failure.trace);
  if (skips.length === 0) {
    return `No provider on ${pn} is registered for ${failure.service}, so ${target} cannot be implemented.`;
  }
  const shown =
    category === 'NO_ELEMENT_FOR_SERVICE' ? skips : candidateSkipsOf(failure.service, failure.trace);
  const each = shown
    .map(
      (s) => `Provider ${s.provider} on ${pn} was skipped for ${failure.service} because ${explainSkip(s)}`,
    )
    .join('; ');
  return category === 'NO_ELEMENT_FOR_SERVICE'
    ? `No provider can give ${failure.service} to ${target}. ${each}.`
    : `${each}.`;
}
