// The gateway's rewrites as the simulator's trace sees them. Leaving the VPC: the NIC's static NAT, else the tier's
// source NAT (outboundNat). Arriving for one of the VPC's public addresses (inboundRewrite):
// a static NAT takes the whole address to its NIC; otherwise an LB rule on the flow's port chooses a backend (the one a
// source-hashing balancer would pick for this source), or a port forwarding rule covering the port maps it onto the
// same offset of its private range. ICMP only passes a static NAT. Undefined: no rule takes the packet.
import type { TraceFlow, TraceHop } from '@netplane/adapter-sdk';
import type { SimRule } from './store';
import type { TierAt } from './trace-acl';
import type { VpcView } from './trace-view';

export type InboundRewrite =
  | { hop: TraceHop; networkId: string; ip: string; port?: number }
  | { drop: TraceHop; reason: string };

type Rules = { nat: readonly SimRule[]; lb: readonly SimRule[]; pf: readonly SimRule[] };
type At = TraceHop['at'];

const range = (text: string | undefined): [number, number] => {
  const [start = 0, end = start] = (text ?? '').split('-').map(Number);
  return [start, end];
};

export function inboundRewrite(
  rules: Rules,
  ip: string,
  flow: TraceFlow,
  at: At,
  sourceHash: number,
): InboundRewrite | undefined {
  const nat = rules.nat.find((r) => r.attributes.externalIp === ip);
  if (nat) {
    const logicalIp = nat.attributes.logicalIp ?? '';
    return {
      hop: {
        kind: 'nat',
        verdict: 'pass',
        at,
        summary: `Static NAT took ${ip} to ${logicalIp}`,
        ref: { type: 'staticNat', ruleId: nat.ruleId },
        rewrite: { field: 'ip4.dst', from: ip, to: logicalIp },
        evidence: [`nat dnat_and_snat ${ip} ↔ ${logicalIp}`],
      },
      networkId: nat.networkId,
      ip: logicalIp,
    };
  }
  if (flow.protocol === 'icmp') return undefined;
  const lb = rules.lb.find(
    (r) => r.attributes.vip === `${ip}:${flow.port}` && r.attributes.protocol === flow.protocol,
  );
  if (lb) {
    const name = lb.attributes.name ?? lb.ruleId;
    const members = (lb.attributes.members ?? '').split(',').filter(Boolean);
    if (members.length === 0)
      return {
        reason: 'NoLbBackend',
        drop: {
          kind: 'lb',
          verdict: 'drop',
          at,
          summary: `LB rule ${name} on ${ip}:${flow.port} has no members`,
          ref: { type: 'lbRule', ruleId: lb.ruleId },
          evidence: [`load_balancer vip ${lb.attributes.vip}: no backends`],
        },
      };
    const backend = members[sourceHash % members.length] ?? '';
    const [bIp = '', bPort = ''] = backend.split(':');
    return {
      hop: {
        kind: 'lb',
        verdict: 'pass',
        at,
        summary: `LB rule ${name} chose backend ${backend} of ${members.length}`,
        ref: { type: 'lbRule', ruleId: lb.ruleId, backend },
        rewrite: { field: 'ip4.dst', from: ip, to: bIp },
        evidence: [`load_balancer vip ${lb.attributes.vip} members ${lb.attributes.members}`],
      },
      networkId: lb.networkId,
      ip: bIp,
      port: Number(bPort),
    };
  }
  const pf = rules.pf.find((r) => {
    const [start, end] = range(r.attributes.publicPorts);
    return (
      r.attributes.publicIp === ip &&
      r.attributes.protocol === flow.protocol &&
      flow.port >= start &&
      flow.port <= end
    );
  });
  if (!pf) return undefined;
  const privatePort =
    range(pf.attributes.privatePorts)[0] + (flow.port - range(pf.attributes.publicPorts)[0]);
  const privateIp = pf.attributes.privateIp ?? '';
  return {
    hop: {
      kind: 'nat',
      verdict: 'pass',
      at,
      summary: `Port forwarding took ${ip}:${flow.port} to ${privateIp}:${privatePort}`,
      ref: { type: 'portForwarding', ruleId: pf.ruleId },
      rewrite: { field: 'ip4.dst', from: `${ip}:${flow.port}`, to: `${privateIp}:${privatePort}` },
      evidence: [`dnat ${ip}:${pf.attributes.publicPorts} → ${privateIp}:${pf.attributes.privatePorts}`],
    },
    networkId: pf.networkId,
    ip: privateIp,
    port: privatePort,
  };
}

/** The source address a packet leaving `tier` gets: its NIC's static NAT address, else the source-NAT address. */
export function outboundNat(
  view: VpcView,
  tier: TierAt,
  srcIp: string,
  srcNicId: string,
  at: At,
  router: string,
): { hop: TraceHop; publicSrc: string } | { drop: TraceHop } {
  const nat = view
    .rulesOfVpc('nat')
    .find((r) => r.attributes.logicalPort === srcNicId || r.attributes.logicalIp === srcIp);
  if (nat) {
    const publicSrc = nat.attributes.externalIp ?? '';
    return {
      publicSrc,
      hop: {
        kind: 'nat',
        verdict: 'pass',
        at,
        summary: `Static NAT gave it the NIC's public address ${publicSrc}`,
        ref: { type: 'staticNat', ruleId: nat.ruleId },
        rewrite: { field: 'ip4.src', from: srcIp, to: publicSrc },
        evidence: [`nat dnat_and_snat ${publicSrc} ↔ ${srcIp}`],
      },
    };
  }
  const snatIp = view.sourceNatIpOf(tier.id);
  if (snatIp)
    return {
      publicSrc: snatIp,
      hop: {
        kind: 'nat',
        verdict: 'pass',
        at,
        summary: `Source NAT gave it the VPC's address ${snatIp}`,
        ref: { type: 'sourceNat', publicIp: snatIp },
        rewrite: { field: 'ip4.src', from: srcIp, to: snatIp },
        evidence: [`nat snat ${snatIp} ← ${tier.name}`],
      },
    };
  return {
    drop: {
      kind: 'nat',
      verdict: 'drop',
      at,
      summary: `Tier ${tier.name} has no source NAT and the NIC no static NAT: nothing can leave the VPC`,
      evidence: [`router ${router}: no snat for ${srcIp}`],
    },
  };
}
