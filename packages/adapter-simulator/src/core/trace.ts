// The simulator's connectivity check: the path one packet takes through a VPC, computed from the controller's own
// tables (ports with their MAC and IP, the ACL each switch holds, the router's NAT, LB and port forwarding rules), so
// a port deleted or an ACL altered behind the engine's back shows in the trace as it would on a real controller.
// Order of the stages, as OVN's logical pipeline has them: port security, the source tier's Egress ACL, routing,
// NAT / LB / port forwarding at the gateway, the destination tier's Ingress ACL, delivery.
import {
  AdapterError,
  TRACE_SPEC_VERSION,
  type TraceFlow,
  type TraceHop,
  type TraceResult,
  type TraceSpec,
} from '@netplane/adapter-sdk';
import { nameOf, type SimResource, type SimStore } from './store';
import { aclHop, aclOfTier, inCidr, type TierAt } from './trace-acl';
import { inboundRewrite, outboundNat } from './trace-nat';
import { VpcView } from './trace-view';

type Hop = TraceHop;
/** Where a packet is headed inside the VPC: a port of a tier and the L4 port it reaches there. */
type Target = { port: SimResource; tier: TierAt; ip: string };

const l4Port = (flow: TraceFlow): number | null => (flow.protocol === 'icmp' ? null : flow.port);
const flowText = (flow: TraceFlow) =>
  flow.protocol === 'icmp' ? `icmp ${flow.icmpType}/${flow.icmpCode}` : `${flow.protocol}/${flow.port}`;

export function traceOnStore(store: SimStore, spec: TraceSpec): TraceResult {
  if (spec.version !== TRACE_SPEC_VERSION)
    throw new AdapterError('INVALID_REQUEST', `TraceSpec version ${String(spec.version)} is not supported`);
  return new Tracer(store, spec).run();
}

class Tracer {
  private readonly hops: Hop[] = [];
  private readonly view: VpcView;
  private flow: TraceFlow;
  private readonly router;
  private readonly gateway;

  constructor(
    private readonly store: SimStore,
    private readonly spec: TraceSpec,
  ) {
    this.flow = spec.flow;
    this.view = new VpcView(store, spec);
    this.router = { type: 'router' as const, id: spec.vpcId, name: 'VPC router' };
    this.gateway = { type: 'gateway' as const, id: spec.vpcId, name: 'VPC gateway' };
  }

  run(): TraceResult {
    const src = this.spec.source;
    if (src.kind === 'outside') return this.inbound(src.ip);
    if (src.kind !== 'nic') throw new AdapterError('INVALID_REQUEST', 'A trace starts at a NIC or outside');
    const port = this.view.portOf(src.nicId);
    if (!port) return this.missingPort(src.nicId, src.networkId);
    const tier = this.view.tierAt(port.externalIds['netplane:network'] ?? src.networkId);
    const { mac, ip } = port.attributes;
    if (mac !== src.mac || ip !== src.ip) {
      return this.drop('PortSecurityDenied', {
        kind: 'portSecurity',
        verdict: 'drop',
        at: tier,
        summary: `Port security of NIC ${port.attributes.vmName ?? src.nicId} dropped it: the port holds ${mac} ${ip}, the packet came from ${src.mac} ${src.ip}`,
        ref: { type: 'nic', nicId: src.nicId },
        evidence: [`port ${port.name}: addresses "${mac} ${ip}"`],
      });
    }
    this.hops.push({
      kind: 'portSecurity',
      verdict: 'pass',
      at: tier,
      summary: `NIC ${port.attributes.vmName ?? src.nicId} sent it from its own ${mac} ${ip}`,
      ref: { type: 'nic', nicId: src.nicId },
      evidence: [`port ${port.name}: addresses "${mac} ${ip}"`],
    });
    return this.fromTier(tier, src.ip, src.nicId);
  }

  /** From a NIC of `tier`: within the tier, to another tier, or out through the gateway. */
  private fromTier(tier: TierAt, srcIp: string, srcNicId: string): TraceResult {
    const dst = this.spec.destination;
    let target: Target | undefined;
    let dstIp: string;
    if (dst.kind === 'nic') {
      const port = this.view.portOf(dst.nicId);
      if (!port) return this.missingPort(dst.nicId, dst.networkId);
      dstIp = port.attributes.ip ?? dst.ip;
      target = {
        port,
        tier: this.view.tierAt(port.externalIds['netplane:network'] ?? dst.networkId),
        ip: dstIp,
      };
    } else if (dst.kind === 'address') {
      dstIp = dst.ip;
      const inTier = this.spec.tiers.find((t) => inCidr(dst.ip, t.cidr));
      if (inTier) {
        const port = this.view.portByIp(inTier.networkId, dst.ip);
        if (!port)
          return this.drop('NoSuchAddress', {
            kind: 'switch',
            verdict: 'drop',
            at: this.view.tierAt(inTier.networkId),
            summary: `No NIC of tier ${inTier.name} holds ${dst.ip}`,
            evidence: [`switch ${nameOf('network', inTier.networkId)}: no port with ${dst.ip}`],
          });
        target = { port, tier: this.view.tierAt(inTier.networkId), ip: dst.ip };
      }
    } else throw new AdapterError('INVALID_REQUEST', 'A trace ends at a NIC or an address');

    if (target && target.tier.id === tier.id) {
      this.hops.push({
        kind: 'switch',
        verdict: 'pass',
        at: tier,
        summary: `Switched inside tier ${tier.name} (traffic within a tier is never filtered)`,
        evidence: [`switch ${nameOf('network', tier.id)}: ${srcIp} → ${target.ip}`],
      });
      return this.deliver(target);
    }
    const egress = aclHop(aclOfTier(this.store, tier.id, this.spec.vpcId), tier, 'Egress', this.flow, dstIp);
    if (!this.pass(egress)) return this.drop('AclDenied', egress);
    if (target) {
      this.hops.push({
        kind: 'route',
        verdict: 'pass',
        at: this.router,
        summary: `Routed from tier ${tier.name} to tier ${target.tier.name}`,
        evidence: [`router ${nameOf('vpc', this.spec.vpcId)}: ${dstIp} via ${target.tier.name}`],
      });
      return this.intoTier(target, srcIp);
    }
    return this.outbound(tier, srcIp, srcNicId, dstIp);
  }

  /** Out through the gateway: the NIC's static NAT or the VPC's source NAT, then outside (or back in: hairpin). */
  private outbound(tier: TierAt, srcIp: string, srcNicId: string, dstIp: string): TraceResult {
    const pub = this.spec.publicNetwork;
    if (!pub) return this.noGateway(`Tier ${tier.name} has no way out: the VPC has no public side`);
    this.hops.push({
      kind: 'route',
      verdict: 'pass',
      at: this.router,
      summary: `Routed from tier ${tier.name} to the gateway (default route via ${pub.gateway})`,
      evidence: [`router ${nameOf('vpc', this.spec.vpcId)}: 0.0.0.0/0 via ${pub.gateway}`],
    });
    const out = outboundNat(this.view, tier, srcIp, srcNicId, this.gateway, nameOf('vpc', this.spec.vpcId));
    if ('drop' in out) return this.drop('NoSourceNat', out.drop);
    this.hops.push(out.hop);
    const publicSrc = out.publicSrc;
    // To one of the VPC's own public addresses: it comes back in through the gateway, as from outside.
    if (this.view.isPublicOfVpc(dstIp)) return this.inbound(publicSrc, dstIp);
    this.hops.push({
      kind: 'deliver',
      verdict: 'pass',
      at: { type: 'outside', id: null, name: dstIp },
      summary: `Left the VPC towards ${dstIp} from ${publicSrc}`,
      evidence: [`upstream ${pub.gateway}`],
    });
    return this.result('delivered', 'Delivered', `Leaves the VPC to ${dstIp} from ${publicSrc}`, {
      nicId: null,
      ip: dstIp,
      port: l4Port(this.flow),
    });
  }

  /** From outside (or hairpinned back): the gateway's static NAT, LB or port forwarding takes it to a NIC. */
  private inbound(srcIp: string, dstIpGiven?: string): TraceResult {
    if (!this.spec.publicNetwork) return this.noGateway('The VPC has no public side to arrive on');
    const dst = this.spec.destination;
    const dstIp = dstIpGiven ?? (dst.kind === 'address' ? dst.ip : null);
    if (dstIp === null || !this.view.isPublicOfVpc(dstIp)) {
      const what = dstIp === null ? 'a NIC address (private)' : dstIp;
      return this.drop('NoRoute', {
        kind: 'route',
        verdict: 'drop',
        at: this.gateway,
        summary: `From outside only the VPC's public addresses are reachable, not ${what}`,
        evidence: [`gateway: no route from the public side to ${what}`],
      });
    }
    this.hops.push({
      kind: 'route',
      verdict: 'pass',
      at: this.gateway,
      summary: `Arrived from ${srcIp} on the public side, for ${dstIp}`,
      evidence: [`gateway ${this.spec.publicNetwork.gateway} → ${dstIp}`],
    });
    const rw = inboundRewrite(
      { nat: this.view.rulesOfVpc('nat'), lb: this.view.rulesOfVpc('lb'), pf: this.view.rulesOfVpc('pf') },
      dstIp,
      this.flow,
      this.gateway,
      this.hashSource(),
    );
    if (!rw) {
      return this.drop('NoInboundRule', {
        kind: 'nat',
        verdict: 'drop',
        at: this.gateway,
        summary: `No static NAT, LB or port forwarding rule of ${dstIp} takes ${flowText(this.flow)}`,
        evidence: [`router ${nameOf('vpc', this.spec.vpcId)}: no dnat for ${dstIp} ${flowText(this.flow)}`],
      });
    }
    if ('drop' in rw) return this.drop(rw.reason, rw.drop);
    this.hops.push(rw.hop);
    if (rw.port !== undefined && this.flow.protocol !== 'icmp') this.flow = { ...this.flow, port: rw.port };
    const target = this.targetIn(rw.networkId, rw.ip);
    if ('dropped' in target) return target.dropped;
    this.hops.push({
      kind: 'route',
      verdict: 'pass',
      at: this.router,
      summary: `Routed to tier ${target.tier.name}`,
      evidence: [`router ${nameOf('vpc', this.spec.vpcId)}: ${target.ip} via ${target.tier.name}`],
    });
    return this.intoTier(target, srcIp);
  }

  private targetIn(networkId: string, ip: string): Target | { dropped: TraceResult } {
    const port = this.view.portByIp(networkId, ip);
    const tier = this.view.tierAt(networkId);
    if (port) return { port, tier, ip };
    return {
      dropped: this.drop('NoSuchAddress', {
        kind: 'switch',
        verdict: 'drop',
        at: tier,
        summary: `No NIC of tier ${tier.name} holds ${ip}`,
        evidence: [`switch ${nameOf('network', networkId)}: no port with ${ip}`],
      }),
    };
  }

  /** The destination tier's Ingress ACL (remote side: the packet's source as it arrives), then delivery. */
  private intoTier(target: Target, srcIp: string): TraceResult {
    const ingress = aclHop(
      aclOfTier(this.store, target.tier.id, this.spec.vpcId),
      target.tier,
      'Ingress',
      this.flow,
      srcIp,
    );
    if (!this.pass(ingress)) return this.drop('AclDenied', ingress);
    return this.deliver(target);
  }

  private deliver(t: Target): TraceResult {
    const nicId = t.port.externalIds['netplane:id'] ?? '';
    const vm = t.port.attributes.vmName ?? nicId;
    const port = l4Port(this.flow);
    const where = port === null ? t.ip : `${t.ip}:${port}`;
    this.hops.push({
      kind: 'deliver',
      verdict: 'pass',
      at: t.tier,
      summary: `Delivered to NIC ${vm} (${where})`,
      ref: { type: 'nic', nicId },
      evidence: [`port ${t.port.name}`],
    });
    return this.result('delivered', 'Delivered', `Delivered to NIC ${vm} (${where})`, {
      nicId,
      ip: t.ip,
      port,
    });
  }

  private pass(hop: Hop): boolean {
    if (hop.verdict === 'pass') this.hops.push(hop);
    return hop.verdict === 'pass';
  }

  private drop(reason: string, hop: Hop): TraceResult {
    this.hops.push(hop);
    return this.result('dropped', reason, hop.summary, null);
  }

  private noGateway(summary: string): TraceResult {
    return this.drop('NoGateway', {
      kind: 'route',
      verdict: 'drop',
      at: this.router,
      summary,
      evidence: [`router ${nameOf('vpc', this.spec.vpcId)}: no gateway port`],
    });
  }

  private missingPort(nicId: string, networkId: string): TraceResult {
    return this.drop('PortNotFound', {
      kind: 'portSecurity',
      verdict: 'drop',
      at: this.view.tierAt(networkId),
      summary: `NIC ${nicId} has no port on the controller`,
      ref: { type: 'nic', nicId },
      evidence: [`port ${nameOf('nic', nicId)} not found`],
    });
  }

  private result(
    outcome: 'delivered' | 'dropped',
    reason: string,
    message: string,
    deliveredTo: TraceResult['deliveredTo'],
  ): TraceResult {
    return { outcome, reason, message, hops: this.hops, deliveredTo, tool: { name: 'simulator' } };
  }

  private hashSource(): number {
    const src = this.spec.source;
    const key = `${src.kind === 'address' ? '' : src.ip}:${this.flow.protocol === 'icmp' ? 0 : (this.flow.sourcePort ?? 0)}`;
    let h = 0;
    for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return h;
  }
}
