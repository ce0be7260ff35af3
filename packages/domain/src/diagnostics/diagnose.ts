// Builds a Diagnosis from the facts of a failure: pure, so the engine, the API and tests get the same answer.
import type { DiagnosisCategory } from '../vocabulary';
import { actionsOf, diagnosisCategoryOf, remediationOf, titleOf } from './categories';
import { candidateSkipsOf, describeNegotiationFailure, refineNegotiationCategory } from './negotiation';
import { diagnoseNotRealized } from './not-realized';
import type {
  Diagnosis,
  DiagnosisAction,
  DiagnosisTarget,
  FailedCall,
  FailureFacts,
  LostResource,
  TraceEntry,
} from './types';

const TARGET_WORD: Record<DiagnosisTarget['type'], string> = {
  vpc: 'VPC',
  network: 'tier',
  nic: 'NIC',
  job: 'job',
  staticNat: 'static NAT',
  lbRule: 'load-balancing rule',
  portForward: 'port forwarding rule',
  aclList: 'network ACL list',
};

export function describeTarget(target: DiagnosisTarget): string {
  return `${TARGET_WORD[target.type]} ${target.name ?? target.id}`;
}

/** Narrows a category's actions to the ones that make sense for this target and evidence. */
function applicableActions(
  category: DiagnosisCategory,
  target: DiagnosisTarget,
  hasController: boolean,
): DiagnosisAction[] {
  return actionsOf(category).filter((action) => {
    switch (action) {
      case 'release':
        return target.type === 'nic';
      // Negotiation runs per tier (implementing it again negotiates with the providers as they are now).
      case 'rerun-negotiation':
        return target.type === 'network';
      case 'open-controller':
        return hasController;
      case 'adopt':
        return target.type !== 'job';
      case 'retry':
        return true;
      default:
        return false;
    }
  });
}

/** Retry-After as a person reads it: "1 s", "2.5 s". */
function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(1))} s`;
}

function callOutcome(category: DiagnosisCategory, call: FailedCall, lost?: LostResource): string {
  const controller = call.controllerName ?? call.controllerId ?? 'the controller';
  switch (category) {
    case 'CONTROLLER_LOST_STATE': {
      const what = lost ? `${lost.resource === 'vpc' ? 'VPC' : 'tier'} ${lost.name ?? lost.id}` : 'resources';
      return `${controller} no longer holds ${what} that Netplane created there`;
    }
    case 'CONTROLLER_TIMEOUT':
      return `${controller} did not answer in time`;
    case 'CONTROLLER_UNREACHABLE':
      return `${controller} could not be reached`;
    case 'AUTH_FAILED':
      return `${controller} rejected Netplane's credentials`;
    case 'RESOURCE_CONFLICT': {
      const c = call.conflict;
      if (!c) return `${controller} already holds a conflicting resource that is not ours`;
      return `${controller} already holds ${c.resource} ${c.name}${c.owner ? ` owned by ${c.owner}` : ''}, which is not ours`;
    }
    case 'CAPACITY_EXHAUSTED':
      return `${controller} has no capacity left`;
    case 'RATE_LIMITED':
      return `${controller} kept refusing calls over its rate limit${call.retryAfterMs !== undefined ? `, asking to retry after ${formatSeconds(call.retryAfterMs)}` : ''}`;
    case 'ADAPTER_CRASHED':
      return `the adapter process serving ${controller} crashed`;
    default:
      return `${controller} answered with an error`;
  }
}

function diagnoseCall(facts: FailureFacts, call: FailedCall): Diagnosis {
  // Observe found what the call needed gone from the controller: that, not the vendor's code, is the cause.
  const lost = facts.failure.kind === 'call' ? facts.failure.lost : undefined;
  const category = lost ? 'CONTROLLER_LOST_STATE' : diagnosisCategoryOf(call.category);
  const vendor =
    call.vendorCode !== undefined || call.vendorMessage !== undefined
      ? ` (vendor code ${call.vendorCode ?? 'none'}: ${call.vendorMessage ?? call.message})`
      : ` (${call.message})`;
  const sentence =
    `The ${call.phase} call to element ${call.element} for ${describeTarget(facts.target)} failed: ` +
    `${callOutcome(category, call, lost)}${vendor}.`;
  const where = call.controllerName
    ? `controller ${call.controllerName}`
    : `the controller of ${call.element}`;
  return {
    category,
    title: titleOf(category),
    sentence,
    evidence: {
      call,
      ...(facts.failure.kind === 'call' && facts.failure.trace ? { trace: [...facts.failure.trace] } : {}),
      ...(call.vendorCode !== undefined ? { vendorCode: call.vendorCode } : {}),
      ...(call.vendorMessage !== undefined ? { vendorMessage: call.vendorMessage } : {}),
      ...(lost ? { lost } : {}),
    },
    remediation: remediationOf(category, where),
    actions: applicableActions(category, facts.target, call.controllerId !== undefined),
  };
}

function unhealthySkips(service: string, trace: readonly TraceEntry[]): TraceEntry[] {
  return candidateSkipsOf(service, trace).filter((e) => e.verdict === 'CONTROLLER_UNHEALTHY');
}

/**
 * A provider skipped only because its controller is marked unhealthy needs a successful Test connection, not a new
 * provider: say so, alone when it is the only reason, else after the category's own advice.
 */
function negotiationRemediation(
  category: DiagnosisCategory,
  failure: { service: string; physicalNetwork: { name: string }; trace: readonly TraceEntry[] },
  unhealthy: readonly TraceEntry[],
): string {
  const base = remediationOf(category, `physical network ${failure.physicalNetwork.name}`);
  if (unhealthy.length === 0) return base;
  const providers = [...new Set(unhealthy.map((e) => e.provider))].join(', ');
  const hint = `The controller of provider ${providers} is marked unhealthy (its last health check failed): run "Test connection" on it (Infrastructure › Controllers), and once it answers, re-run negotiation.`;
  const onlyUnhealthy = candidateSkipsOf(failure.service, failure.trace).every(
    (e) => e.verdict === 'CONTROLLER_UNHEALTHY',
  );
  return onlyUnhealthy ? hint : `${base} ${hint}`;
}

export function diagnose(facts: FailureFacts): Diagnosis {
  const { failure } = facts;
  switch (failure.kind) {
    case 'call':
      return diagnoseCall(facts, failure.call);
    case 'negotiation': {
      const category = refineNegotiationCategory(failure.service, failure.trace);
      const unhealthy = unhealthySkips(failure.service, failure.trace);
      return {
        category,
        title: titleOf(category),
        sentence: describeNegotiationFailure(category, failure, describeTarget(facts.target)),
        evidence: { trace: [...failure.trace] },
        remediation: negotiationRemediation(category, failure, unhealthy),
        // Skipped for an unhealthy controller: the controller page (its Test connection) is where the fix starts.
        actions: [
          ...applicableActions(category, facts.target, false),
          ...(unhealthy.length > 0 ? (['open-controller'] as const) : []),
        ],
      };
    }
    case 'credentials': {
      const name = failure.controllerName ?? failure.controllerId;
      return {
        category: 'CREDENTIALS_UNREADABLE',
        title: titleOf('CREDENTIALS_UNREADABLE'),
        sentence: `Netplane could not use controller ${name} for ${describeTarget(facts.target)}: its stored credentials cannot be decrypted (${failure.message}).`,
        evidence: {
          message: failure.message,
          controller: {
            id: failure.controllerId,
            ...(failure.controllerName !== undefined && { name: failure.controllerName }),
          },
        },
        remediation: remediationOf('CREDENTIALS_UNREADABLE', `controller ${name}`),
        actions: applicableActions('CREDENTIALS_UNREADABLE', facts.target, true),
      };
    }
    case 'capacity': {
      const zone = failure.zone.name ?? failure.zone.id;
      const ranges = failure.ranges.map((r) => `${r.cidr} (${r.used}/${r.size} used)`).join(', ');
      return {
        category: 'CAPACITY_EXHAUSTED',
        title: titleOf('CAPACITY_EXHAUSTED'),
        sentence: `No public IP is free for ${describeTarget(facts.target)} in zone ${zone}: ${ranges === '' ? 'the zone has no public IP range' : `every range is used up: ${ranges}`}.`,
        evidence: {
          message: failure.message,
          capacity: {
            resource: failure.resource,
            zone: failure.zone,
            ranges: failure.ranges.map((r) => ({ ...r })),
          },
        },
        remediation: `Add a public IP range to zone ${zone} (Infrastructure › Zones › Public IP ranges) or release public IPs that VPCs of the zone no longer use; then retry.`,
        actions: applicableActions('CAPACITY_EXHAUSTED', facts.target, false),
      };
    }
    case 'notRealized':
      return diagnoseNotRealized(
        facts.target,
        {
          ...(failure.controllerId !== undefined && { id: failure.controllerId }),
          ...(failure.controllerName !== undefined && { name: failure.controllerName }),
        },
        failure.parts,
      );
    case 'internal':
      return {
        category: 'INTERNAL',
        title: titleOf('INTERNAL'),
        sentence: `Netplane failed while working on ${describeTarget(facts.target)}: ${failure.message}.`,
        evidence: { message: failure.message },
        remediation: remediationOf('INTERNAL', 'Netplane'),
        actions: applicableActions('INTERNAL', facts.target, false),
      };
    default:
      return failure satisfies never;
  }
}
