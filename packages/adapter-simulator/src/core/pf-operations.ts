// Port forwarding rules on a VPC's router: apply converges (adopting or updating what exists under the rule id), a
// port of the address held by anything else (a NAT, a load balancer, another forward on an overlapping port of the
// protocol) is RESOURCE_CONFLICT, revoking an unknown rule succeeds.
import {
  AdapterError,
  PORT_FORWARDING_SPEC_VERSION,
  type PortForwardingRef,
  type PortForwardingSpec,
} from '@netplane/adapter-sdk';
import { checkAddressFree, checkIp, checkPort, requireSwitch } from './rule-operations';
import type { SimStore } from './store';

export function applyPortForwarding(store: SimStore, rule: PortForwardingSpec): { adopted: boolean } {
  if (rule.version !== PORT_FORWARDING_SPEC_VERSION)
    throw new AdapterError(
      'INVALID_REQUEST',
      `PortForwardingSpec version ${String(rule.version)} is not supported`,
    );
  checkIp(rule.publicIp, 'Public IP');
  checkIp(rule.privateIp, 'Private IP');
  for (const [port, what] of [
    [rule.publicPortStart, 'Public start port'],
    [rule.publicPortEnd, 'Public end port'],
    [rule.privatePortStart, 'Private start port'],
    [rule.privatePortEnd, 'Private end port'],
  ] as const)
    checkPort(port, what);
  if (
    rule.publicPortStart > rule.publicPortEnd ||
    rule.publicPortEnd - rule.publicPortStart !== rule.privatePortEnd - rule.privatePortStart
  )
    throw new AdapterError(
      'INVALID_REQUEST',
      'The public and private port ranges must be ordered and equally long',
    );
  requireSwitch(store, rule.networkId, rule.vpcId);
  checkAddressFree(store, { ...rule, kind: 'pf' }, rule.publicIp, {
    start: rule.publicPortStart,
    end: rule.publicPortEnd,
    protocol: rule.protocol,
  });
  const attributes = {
    publicIp: rule.publicIp,
    protocol: rule.protocol,
    publicPorts: `${rule.publicPortStart}-${rule.publicPortEnd}`,
    privateIp: rule.privateIp,
    privatePorts: `${rule.privatePortStart}-${rule.privatePortEnd}`,
    logicalPort: rule.nicId,
    networkId: rule.networkId,
  };
  const have = store.pfRules.get(rule.ruleId);
  store.pfRules.set(rule.ruleId, {
    kind: 'pf',
    ruleId: rule.ruleId,
    vpcId: rule.vpcId,
    networkId: rule.networkId,
    attributes,
  });
  return { adopted: have !== undefined };
}

export function revokePortForwarding(store: SimStore, ref: PortForwardingRef): void {
  store.pfRules.delete(ref.ruleId);
}
