// The fixed vocabulary of Netplane, in CloudStack's words: every enum the other packages switch over.
import { z } from 'zod';

export const ISOLATION_METHODS = ['VLAN', 'VXLAN', 'GRE', 'GENEVE', 'STT'] as const;
export type IsolationMethod = (typeof ISOLATION_METHODS)[number];
/** Isolation methods are matched case-insensitively, as CloudStack does; the canonical form is upper case. */
export const isolationMethodSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(ISOLATION_METHODS));

export const SERVICES = [
  'Dhcp',
  'Dns',
  'UserData',
  'SourceNat',
  'StaticNat',
  'PortForwarding',
  'Firewall',
  'Lb',
  'NetworkACL',
  'Vpn',
  'Gateway',
  'Connectivity',
  'SecurityGroup',
] as const;
export type Service = (typeof SERVICES)[number];

/** Load-balancer protocols and algorithms in CloudStack's words; a provider's Lb capabilities narrow them. */
export const LB_PROTOCOLS = ['tcp', 'udp'] as const;
export type LbProtocol = (typeof LB_PROTOCOLS)[number];
export const lbProtocolSchema = z.enum(LB_PROTOCOLS);
export const LB_ALGORITHMS = ['roundrobin', 'leastconn', 'source'] as const;
export type LbAlgorithm = (typeof LB_ALGORITHMS)[number];
export const lbAlgorithmSchema = z.enum(LB_ALGORITHMS);

export const TRAFFIC_TYPES = ['Guest', 'Public', 'Management', 'Storage'] as const;
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

export const HYPERVISORS = ['KVM', 'XenServer', 'VMware', 'HyperV', 'LXC', 'Ovm3', 'Simulator'] as const;
export type Hypervisor = (typeof HYPERVISORS)[number];

export const PROTOCOLS = ['SSH', 'NETCONF', 'gRPC', 'HTTPS', 'OVSDB', 'SIMULATED'] as const;
export type ControllerProtocol = (typeof PROTOCOLS)[number];
export const protocolSchema = z.enum(PROTOCOLS);

export const ENABLE_STATES = ['Enabled', 'Disabled'] as const;
export type EnableState = (typeof ENABLE_STATES)[number];

export const PROVIDER_STATES = ['Enabled', 'Disabled', 'Shutdown'] as const;
export type ProviderState = (typeof PROVIDER_STATES)[number];

export const CONTROLLER_RESOURCE_STATES = [
  'Creating',
  'Enabled',
  'Disabled',
  'Maintenance',
  'Degraded',
  'Error',
] as const;
export type ControllerResourceState = (typeof CONTROLLER_RESOURCE_STATES)[number];

export const GUEST_TYPES = ['Isolated', 'Shared', 'L2'] as const;
export type GuestType = (typeof GUEST_TYPES)[number];

export const NETWORK_STATES = [
  'Allocated',
  'Implementing',
  'Implemented',
  'Shutdown',
  'Destroy',
  'Error',
] as const;
export type NetworkState = (typeof NETWORK_STATES)[number];

export const NIC_STATES = [
  'Allocated',
  'Reserving',
  'Reserved',
  'Releasing',
  'Deallocating',
  'Error',
] as const;
export type NicState = (typeof NIC_STATES)[number];

export const ROLES = ['admin', 'operator', 'support', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** Categories of an adapter failure (DESIGN.md §4). */
export const ADAPTER_ERROR_CATEGORIES = [
  'TIMEOUT',
  'UNREACHABLE',
  'AUTH_FAILED',
  'RESOURCE_CONFLICT',
  'CAPACITY_EXHAUSTED',
  'RATE_LIMITED',
  'INVALID_REQUEST',
  'VENDOR_ERROR',
  /** The out-of-process adapter serving the call exited, was killed or broke the wire protocol (docs/adapter-protocol.md). */
  'ADAPTER_CRASHED',
] as const;
export type AdapterErrorCategory = (typeof ADAPTER_ERROR_CATEGORIES)[number];

/** Why negotiation skipped a provider for a service (DESIGN.md §3). */
export const NEGOTIATION_VERDICTS = [
  'CHOSEN',
  'TAG_MISMATCH',
  'ISOLATION_UNSUPPORTED',
  'SERVICE_NOT_OFFERED',
  'CAPABILITY_MISSING',
  'PROVIDER_DISABLED',
  'CONTROLLER_UNHEALTHY',
  'DECLINED',
] as const;
export type NegotiationVerdict = (typeof NEGOTIATION_VERDICTS)[number];

/** Diagnosis categories of a resource in Error (DESIGN.md §6). */
export const DIAGNOSIS_CATEGORIES = [
  'NO_ELEMENT_FOR_SERVICE',
  'TAG_MISMATCH',
  'ISOLATION_UNSUPPORTED',
  'PROVIDER_DISABLED',
  'CONTROLLER_UNREACHABLE',
  'CONTROLLER_TIMEOUT',
  'AUTH_FAILED',
  'RESOURCE_CONFLICT',
  'CAPACITY_EXHAUSTED',
  'RATE_LIMITED',
  'VENDOR_ERROR',
  'CREDENTIALS_UNREADABLE',
  /** The controller no longer holds what Netplane made there (restarted empty, restored from an old backup). */
  'CONTROLLER_LOST_STATE',
  /** Implemented and Synced, but the controller did not make it work (Realized=False): not an Error, never hidden. */
  'NOT_REALIZED',
  /** The adapter's own process died under the call; the host restarted it. */
  'ADAPTER_CRASHED',
  'INTERNAL',
] as const;
export type DiagnosisCategory = (typeof DIAGNOSIS_CATEGORIES)[number];

export const CALL_PHASES = [
  'implement',
  'prepare',
  'release',
  'shutdown',
  'destroy',
  'observe',
  'health',
  /** applyStaticNat / applyLbRule */
  'apply',
  /** revokeStaticNat / revokeLbRule */
  'revoke',
] as const;
export type CallPhase = (typeof CALL_PHASES)[number];

/**
 * How an element call ended, as the call log shows it. A call is recorded `inFlight` before it is sent; `abandoned`
 * means its node died (or stalled past its lease) or stopped it while it was on its way, so nobody knows whether the
 * controller applied it — the job that resumes repeats it idempotently.
 */
export const CALL_OUTCOMES = ['ok', 'failed', 'inFlight', 'abandoned'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const callOutcomeSchema = z.enum(CALL_OUTCOMES);

/** Exhaustiveness guard for switches over the unions above. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${String(value)}`);
}
