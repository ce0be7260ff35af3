// PortForwarding (spec version 1) in the VPC's NAT table: a rule maps publicIp's port range, port by port, onto the
// NIC's private range (conntrack takes the replies back). A public IP may carry port forwards and the VPC's source
// NAT, never a static NAT (which takes every port); an overlapping port of the address and protocol is a conflict.
import {
  AdapterError,
  PORT_FORWARDING_SPEC_VERSION,
  type PortForwardingRef,
  type PortForwardingSpec,
} from '@netplane/adapter-sdk';
import type { Ctx } from '../context';
import { checkId } from '../validate';
import { badIp, checkFree, ipConflict, readVpcNat, stateOf, write } from './apply';
import { requirePublicSide } from './public-vlan';
import { natStateOf, type PfRule } from './table';

const port = (what: string, v: unknown) => {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65_535) {
    throw new AdapterError('INVALID_REQUEST', `Invalid ${what}: ${JSON.stringify(v)?.slice(0, 20)}`);
  }
};

function check(rule: PortForwardingSpec): void {
  if (rule.version !== PORT_FORWARDING_SPEC_VERSION) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `Port forwarding spec version ${String(rule.version)} is not known (this adapter knows ${PORT_FORWARDING_SPEC_VERSION})`,
    );
  }
  for (const k of ['ruleId', 'vpcId', 'networkId', 'nicId'] as const) checkId(k, rule[k]);
  badIp('public IP', rule.publicIp);
  badIp('private IP', rule.privateIp);
  if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') {
    throw new AdapterError('INVALID_REQUEST', 'Port forwarding protocol must be tcp or udp');
  }
  for (const k of ['publicPortStart', 'publicPortEnd', 'privatePortStart', 'privatePortEnd'] as const)
    port(k, rule[k]);
  const len = rule.publicPortEnd - rule.publicPortStart;
  if (len < 0 || len > 999 || rule.privatePortEnd - rule.privatePortStart !== len) {
    throw new AdapterError(
      'INVALID_REQUEST',
      'Port forwarding ranges must be ordered, of equal length, ≤ 1000 ports',
    );
  }
}

/** A public port another rule of the address and protocol holds (a port forward, an LB listener). */
export function portConflict(
  what: string,
  ip: string,
  protocol: string,
  kind: string,
  ruleId: string,
): AdapterError {
  return new AdapterError('RESOURCE_CONFLICT', `${what} overlap ${kind} ${ruleId}`, {
    conflict: { resource: 'public-port', name: `${ip}/${protocol}`, owner: ruleId },
  });
}

export async function applyPortForwarding(
  c: Ctx,
  rule: PortForwardingSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  check(rule);
  requirePublicSide(c, undefined);
  const v = await readVpcNat(c, rule.vpcId, signal);
  const st = stateOf(c, rule.vpcId, v);
  const what = `Port forwarding rule ${rule.ruleId}`;
  const statik = st.statics.find((r) => r.publicIp === rule.publicIp);
  if (statik) throw ipConflict(what, rule.publicIp, `static NAT rule ${statik.ruleId}`);
  const overlap = st.pfs.find(
    (r) =>
      r.ruleId !== rule.ruleId &&
      r.publicIp === rule.publicIp &&
      r.protocol === rule.protocol &&
      r.publicPorts[0] <= rule.publicPortEnd &&
      rule.publicPortStart <= r.publicPorts[1],
  );
  if (overlap) {
    throw portConflict(
      `${what}: ${rule.protocol} ports ${rule.publicPortStart}-${rule.publicPortEnd} of ${rule.publicIp}`,
      rule.publicIp,
      rule.protocol,
      'port forwarding rule',
      overlap.ruleId,
    );
  }
  const lb = v.lb.rules.find(
    (r) =>
      rule.protocol === 'tcp' &&
      r.publicIp === rule.publicIp &&
      rule.publicPortStart <= r.publicPort &&
      r.publicPort <= rule.publicPortEnd,
  );
  if (lb)
    throw portConflict(
      `${what}: tcp port ${lb.publicPort} of ${rule.publicIp}`,
      rule.publicIp,
      'tcp',
      'load balancing rule',
      lb.ruleId,
    );
  checkFree(c, rule.vpcId, v, rule.publicIp, what);
  const mine = st.pfs.some((r) => r.ruleId === rule.ruleId);
  const entry: PfRule = {
    ruleId: rule.ruleId,
    protocol: rule.protocol,
    publicIp: rule.publicIp,
    publicPorts: [rule.publicPortStart, rule.publicPortEnd],
    privateIp: rule.privateIp,
    privatePorts: [rule.privatePortStart, rule.privatePortEnd],
  };
  await write(
    c,
    rule.vpcId,
    v,
    { ...st, pfs: [...st.pfs.filter((r) => r.ruleId !== rule.ruleId), entry] },
    signal,
  );
  return { adopted: mine };
}

export async function revokePortForwarding(
  c: Ctx,
  ref: PortForwardingRef,
  signal: AbortSignal,
): Promise<void> {
  for (const k of ['ruleId', 'vpcId', 'networkId'] as const) checkId(k, ref[k]);
  const v = await readVpcNat(c, ref.vpcId, signal);
  if (!v.ruleset || !v.links) return;
  const st = natStateOf(c, ref.vpcId, v.ruleset) ?? v.record;
  if (!st || st === 'foreign' || !st.pfs.some((r) => r.ruleId === ref.ruleId)) return;
  await write(c, ref.vpcId, v, { ...st, pfs: st.pfs.filter((r) => r.ruleId !== ref.ruleId) }, signal);
}
