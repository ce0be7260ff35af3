// The calls a simulated controller answers, as plain data so the same dispatch serves in-process and HTTP callers.
import type {
  CanHandleRequest,
  LbRuleRef,
  LbRuleSpec,
  NetworkAclSpec,
  NetworkRef,
  NetworkSpec,
  NicRef,
  NicSpec,
  ObserveScope,
  PortForwardingRef,
  PortForwardingSpec,
  RealizeScope,
  StaticNatRef,
  StaticNatSpec,
  TraceSpec,
  VpcSpec,
} from '@netplane/adapter-sdk';
import type { SimOperation, SimResourceKind } from './types';

export type SimCommand =
  | { op: 'canHandle'; req: CanHandleRequest }
  | { op: 'implementVpc'; vpc: VpcSpec }
  | { op: 'destroyVpc'; vpc: { vpcId: string } }
  | { op: 'implementNetwork'; network: NetworkSpec }
  | { op: 'prepareNic'; nic: NicSpec }
  | { op: 'prepareNics'; nics: readonly NicSpec[] }
  | { op: 'releaseNic'; nic: NicRef }
  | { op: 'shutdownNetwork'; network: NetworkRef }
  | { op: 'destroyNetwork'; network: NetworkRef }
  | { op: 'applyStaticNat'; rule: StaticNatSpec }
  | { op: 'revokeStaticNat'; rule: StaticNatRef }
  | { op: 'applyLbRule'; rule: LbRuleSpec }
  | { op: 'revokeLbRule'; rule: LbRuleRef }
  | { op: 'applyNetworkAcl'; acl: NetworkAclSpec }
  | { op: 'applyPortForwarding'; rule: PortForwardingSpec }
  | { op: 'revokePortForwarding'; rule: PortForwardingRef }
  | { op: 'observe'; scope: ObserveScope }
  | { op: 'checkRealized'; scope: RealizeScope }
  /** Read-only, counted and faulted as an observe. */
  | { op: 'trace'; spec: TraceSpec }
  | { op: 'healthCheck' };

export type SimCommandName = SimCommand['op'];

export const SIM_COMMANDS: readonly SimCommandName[] = [
  'canHandle',
  'implementVpc',
  'destroyVpc',
  'implementNetwork',
  'prepareNic',
  'prepareNics',
  'releaseNic',
  'shutdownNetwork',
  'destroyNetwork',
  'applyStaticNat',
  'revokeStaticNat',
  'applyLbRule',
  'revokeLbRule',
  'applyNetworkAcl',
  'applyPortForwarding',
  'revokePortForwarding',
  'observe',
  'checkRealized',
  'trace',
  'healthCheck',
];

/** The call phase each command counts under, for faults and stats; canHandle is a local decision, not a call. */
export function operationOf(op: Exclude<SimCommandName, 'canHandle'>): SimOperation {
  switch (op) {
    case 'implementVpc':
    case 'implementNetwork':
      return 'implement';
    case 'prepareNic':
    case 'prepareNics':
      return 'prepare';
    case 'releaseNic':
      return 'release';
    case 'shutdownNetwork':
      return 'shutdown';
    case 'destroyVpc':
    case 'destroyNetwork':
      return 'destroy';
    case 'applyStaticNat':
    case 'applyLbRule':
    case 'applyNetworkAcl':
    case 'applyPortForwarding':
      return 'apply';
    case 'revokeStaticNat':
    case 'revokeLbRule':
    case 'revokePortForwarding':
      return 'revoke';
    // Read-only like observe, and counted (and faulted) with it.
    case 'observe':
    case 'checkRealized':
    case 'trace':
      return 'observe';
    case 'healthCheck':
      return 'health';
  }
}

/** The kind of resource a command works on, for faults scoped to one. */
export function resourceOf(op: Exclude<SimCommandName, 'canHandle'>): SimResourceKind | undefined {
  switch (op) {
    case 'implementVpc':
    case 'destroyVpc':
      return 'vpc';
    case 'implementNetwork':
    case 'shutdownNetwork':
    case 'destroyNetwork':
      return 'network';
    case 'prepareNic':
    case 'prepareNics':
    case 'releaseNic':
      return 'nic';
    case 'applyStaticNat':
    case 'revokeStaticNat':
      return 'nat';
    case 'applyLbRule':
    case 'revokeLbRule':
      return 'lb';
    case 'applyNetworkAcl':
      return 'acl';
    case 'applyPortForwarding':
    case 'revokePortForwarding':
      return 'pf';
    case 'observe':
    case 'checkRealized':
    case 'trace':
    case 'healthCheck':
      return undefined;
  }
}
