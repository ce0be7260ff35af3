// Negotiation, CloudStack's NetworkManager loop made explainable: for each service of the offering, every provider of
// the tier's physical network gets one verdict with its reason. Pure: the adapter's canHandle is passed in.
import { type CapabilityValue, missingCapabilities } from '../inventory/capability-values';
import { missingTags } from '../inventory/tags';
import type { IsolationMethod, NegotiationVerdict, Service } from '../vocabulary';

export type NegotiationController = {
  id: string;
  name: string;
  resourceState: string;
  /** null: never checked (treated as usable), false: the last health check failed. */
  healthOk: boolean | null;
  healthError?: string | null;
};

export type NegotiationProvider = {
  id: string;
  name: string;
  adapterId: string;
  state: string;
  enabledServices: readonly Service[];
  /** The adapter manifest's services and capabilities, already narrowed by the admin's overrides. */
  capabilities: Partial<Record<Service, Record<string, CapabilityValue>>>;
  /** Isolation methods the adapter supports (manifest); null when the adapter is not loaded. */
  adapterIsolationMethods: readonly IsolationMethod[] | null;
  controllers: readonly NegotiationController[];
};

export type NegotiationInput = {
  /** service → adapter id, from the offering. */
  services: Partial<Record<Service, string>>;
  requiredTags: readonly string[];
  requiredCapabilities: Partial<Record<Service, Record<string, CapabilityValue>>>;
  isolationMethod: IsolationMethod;
  physicalNetwork: {
    id: string;
    name: string;
    tags: readonly string[];
    isolationMethods: readonly IsolationMethod[];
  };
  providers: readonly NegotiationProvider[];
};

/** One verdict; the field names match @netplane/domain diagnostics' TraceEntry so diagnostics reads it as is. */
export type NegotiationTraceEntry = {
  service: Service;
  provider: string;
  providerId: string;
  adapterId: string;
  verdict: NegotiationVerdict;
  reason: string;
  controllerId?: string;
  providerLabels?: string[];
  requiredLabels?: string[];
  isolationMethod?: string;
  supportedIsolation?: string[];
  missingCapabilities?: string[];
};

export type ChosenElement = { service: Service; providerId: string; adapterId: string; controllerId: string };

export type NegotiationResult = {
  ok: boolean;
  trace: NegotiationTraceEntry[];
  chosen: ChosenElement[];
  /** Services no provider could give: the implement fails with NO_ELEMENT_FOR_SERVICE. */
  missing: Service[];
};

export type CanHandleFn = (
  service: Service,
  provider: NegotiationProvider,
  controller: NegotiationController,
) => Promise<{ canHandle: true } | { canHandle: false; reason: string }>;

const USABLE_CONTROLLER_STATES = new Set(['Enabled', 'Degraded']);

/** The first usable controller of a provider: Enabled (or Degraded) and not failing its health check. */
export function pickController(p: NegotiationProvider): NegotiationController | undefined {
  return p.controllers.find((c) => USABLE_CONTROLLER_STATES.has(c.resourceState) && c.healthOk !== false);
}

type Static = {
  verdict: Exclude<NegotiationVerdict, 'CHOSEN' | 'DECLINED'>;
  entry: Partial<NegotiationTraceEntry>;
} | null;

/** The checks that need no adapter call, in the order an operator would look: state, service, isolation, tags, caps. */
export function staticVerdict(input: NegotiationInput, service: Service, p: NegotiationProvider): Static {
  if (p.state !== 'Enabled') {
    return { verdict: 'PROVIDER_DISABLED', entry: { reason: `provider ${p.name} is ${p.state}` } };
  }
  const wanted = input.services[service];
  if (wanted !== undefined && wanted !== p.adapterId && wanted !== p.name) {
    return {
      verdict: 'SERVICE_NOT_OFFERED',
      entry: { reason: `the offering asks ${wanted} for ${service}, this provider is ${p.adapterId}` },
    };
  }
  if (!(service in p.capabilities)) {
    return { verdict: 'SERVICE_NOT_OFFERED', entry: { reason: `${p.adapterId} does not offer ${service}` } };
  }
  if (!p.enabledServices.includes(service)) {
    return {
      verdict: 'SERVICE_NOT_OFFERED',
      entry: { reason: `${service} is not enabled on provider ${p.name}` },
    };
  }
  const supported = p.adapterIsolationMethods ?? [];
  if (
    !supported.includes(input.isolationMethod) ||
    !input.physicalNetwork.isolationMethods.includes(input.isolationMethod)
  ) {
    return {
      verdict: 'ISOLATION_UNSUPPORTED',
      entry: {
        reason: `${input.isolationMethod} is not supported by ${p.adapterId} on ${input.physicalNetwork.name}`,
        isolationMethod: input.isolationMethod,
        supportedIsolation: supported.filter((m) => input.physicalNetwork.isolationMethods.includes(m)),
      },
    };
  }
  const lacking = missingTags(input.physicalNetwork.tags, input.requiredTags);
  if (lacking.length > 0) {
    return {
      verdict: 'TAG_MISMATCH',
      entry: {
        reason: `physical network ${input.physicalNetwork.name} lacks the tags ${lacking.join(', ')}`,
        providerLabels: [...input.physicalNetwork.tags],
        requiredLabels: [...input.requiredTags],
      },
    };
  }
  const missingCaps = missingCapabilities(p.capabilities[service], input.requiredCapabilities[service]);
  if (missingCaps.length > 0) {
    return {
      verdict: 'CAPABILITY_MISSING',
      entry: { reason: `${service} lacks ${missingCaps.join(', ')}`, missingCapabilities: missingCaps },
    };
  }
  if (!pickController(p)) {
    const detail =
      p.controllers.length === 0
        ? 'it has no controller'
        : p.controllers
            .map(
              (c) =>
                `${c.name}: ${c.resourceState}${c.healthOk === false ? `, unhealthy${c.healthError ? ` (${c.healthError})` : ''}` : ''}`,
            )
            .join('; ');
    return {
      verdict: 'CONTROLLER_UNHEALTHY',
      entry: { reason: `no enabled, healthy controller: ${detail}` },
    };
  }
  return null;
}

/** Walks every provider for every service; the first one that passes every check and accepts is CHOSEN. */
export async function negotiate(input: NegotiationInput, canHandle: CanHandleFn): Promise<NegotiationResult> {
  const trace: NegotiationTraceEntry[] = [];
  const chosen: ChosenElement[] = [];
  const missing: Service[] = [];
  for (const service of Object.keys(input.services) as Service[]) {
    let pick: ChosenElement | undefined;
    for (const p of input.providers) {
      const base = { service, provider: p.name, providerId: p.id, adapterId: p.adapterId };
      const skip = staticVerdict(input, service, p);
      if (skip) {
        trace.push({ ...base, reason: '', ...skip.entry, verdict: skip.verdict });
        continue;
      }
      const controller = pickController(p) as NegotiationController;
      if (pick) {
        trace.push({
          ...base,
          verdict: 'DECLINED',
          controllerId: controller.id,
          reason: `${service} is already given by another provider`,
        });
        continue;
      }
      const answer = await canHandle(service, p, controller);
      if (!answer.canHandle) {
        trace.push({ ...base, verdict: 'DECLINED', controllerId: controller.id, reason: answer.reason });
        continue;
      }
      pick = { service, providerId: p.id, adapterId: p.adapterId, controllerId: controller.id };
      trace.push({
        ...base,
        verdict: 'CHOSEN',
        controllerId: controller.id,
        reason: `controller ${controller.name}`,
      });
    }
    if (pick) chosen.push(pick);
    else missing.push(service);
  }
  return { ok: missing.length === 0, trace, chosen, missing };
}
