// trace(): the path one packet (the first of its connection: ct state new) takes through a VPC on the router host,
// evaluated from one read of the appliance (realized/read.ts). Inside a tier it is bridged (no router, no ACL);
// between tiers and to or from the outside it goes through the router namespace as the kernel would take it:
// prerouting NAT (static NAT, port forwarding), the routing decision (connected tiers, the default route of the
// public side), every forward filter chain of the namespace (our ACL table, and anyone else's), postrouting NAT
// (static NAT's and the source NAT's SNAT), then delivery to a NIC whose port is on its bridge and up.
import {
  AdapterError,
  TRACE_SPEC_VERSION,
  type TraceHop,
  type TraceResult,
  type TraceSpec,
} from '@netplane/adapter-sdk';
import { aclTable } from '../acl/render';
import type { Ctx } from '../context';
import { tagOf } from '../host-state';
import { publicHostSide, publicRouterSide } from '../nat/table';
import { type Appliance, adminUp, operUp, readAppliance } from '../realized/read';
import { filterHook, natHook, type Packet } from './eval';
import { filterHops, type HopCtx, natHop, ruleEvidence } from './hops';
import { CT, cidrInterval, ipNum, PROTO } from './nft';

const EPHEMERAL_PORT = 49152;
type Outcome = Pick<TraceResult, 'outcome' | 'reason' | 'message' | 'hops' | 'deliveredTo'>;

const inCidr = (ip: string, cidr: string) => {
  const [a, b] = cidrInterval(cidr);
  return ipNum(ip) >= a && ipNum(ip) <= b;
};

export async function traceVrouter(c: Ctx, spec: TraceSpec, signal: AbortSignal): Promise<TraceResult> {
  if (spec.version !== TRACE_SPEC_VERSION)
    throw new AdapterError('INVALID_REQUEST', `TraceSpec version ${String(spec.version)} is not supported`);
  const a = await readAppliance(c, spec.vpcId, signal);
  return {
    ...walk(c, a, spec),
    tool: {
      name: 'nft-eval',
      command: `ip netns exec ${a.ns} nft -n -j list ruleset (evaluated by Netplane)`,
    },
  };
}

function walk(c: Ctx, a: Appliance, spec: TraceSpec): Outcome {
  const hops: TraceHop[] = [];
  const tierName = (id: string) => spec.tiers.find((t) => t.networkId === id)?.name ?? id;
  const h: HopCtx = { c, vpcId: spec.vpcId, records: a.records, tierName };
  const router: TraceHop['at'] = { type: 'router', id: spec.vpcId, name: 'VPC router' };
  const gatewayAt: TraceHop['at'] = { type: 'gateway', id: spec.vpcId, name: 'VPC gateway' };
  const drop = (
    reason: string,
    hop: Omit<TraceHop, 'verdict' | 'evidence'> & { evidence?: string[] },
  ): Outcome => {
    hops.push({ ...hop, verdict: 'drop', evidence: hop.evidence ?? [] });
    return { outcome: 'dropped', reason, message: hop.summary, hops, deliveredTo: null };
  };
  const f = spec.flow;
  let dst = spec.destination.ip;
  let port: number | null = f.protocol === 'icmp' ? null : f.port;
  let src = spec.source.kind === 'nic' || spec.source.kind === 'outside' ? spec.source.ip : '';
  const pkt = (iif: string, oif: string): Packet => ({
    src: ipNum(src),
    dst: ipNum(dst),
    proto: PROTO[f.protocol],
    sport: f.protocol === 'icmp' ? null : (f.sourcePort ?? EPHEMERAL_PORT),
    dport: port,
    icmpType: f.protocol === 'icmp' ? f.icmpType : null,
    icmpCode: f.protocol === 'icmp' ? f.icmpCode : null,
    iif,
    oif,
    ct: CT.new,
  });
  const nicOn = (networkId: string, ip: string) =>
    [...a.links.values()].find((l) => {
      const t = tagOf(l);
      return t?.kind === 'nic' && t.net === networkId && t.ip === ip;
    });
  const bridgeOf = (networkId: string) =>
    [...a.links.values()].find((l) => tagOf(l)?.kind === 'net' && tagOf(l)?.net === networkId);

  /** The last hop: the NIC holding `dst` on tier `networkId`, its port on the bridge and up. */
  const deliver = (networkId: string): Outcome => {
    const at = { type: 'tier' as const, id: networkId, name: tierName(networkId) };
    const port_ = nicOn(networkId, dst);
    const shown = port === null ? dst : `${dst}:${port}`;
    if (!port_)
      return drop('NoRoute', {
        kind: 'deliver',
        at,
        summary: `no NIC of tier ${at.name} holds ${dst}: nothing answers ARP for it`,
      });
    const nicId = tagOf(port_)?.nic ?? '';
    const ev = [`port ${port_.ifname} (${port_.operstate ?? '?'}) master ${port_.master ?? '-'}`];
    const bridge = bridgeOf(networkId);
    if (!bridge || port_.master !== bridge.ifname)
      return drop('PortDown', {
        kind: 'deliver',
        at,
        summary: `NIC ${nicId}'s port ${port_.ifname} is not on the tier's bridge`,
        evidence: ev,
      });
    if (!operUp(port_))
      return drop(adminUp(port_) ? 'PortNotBound' : 'PortDown', {
        kind: 'deliver',
        at,
        summary: adminUp(port_)
          ? `NIC ${nicId} has no VM (its peer is down)`
          : `NIC ${nicId}'s port ${port_.ifname} is down`,
        evidence: ev,
      });
    hops.push({
      kind: 'deliver',
      verdict: 'pass',
      at,
      summary: `delivered to NIC ${nicId} (${shown})`,
      ref: { type: 'nic', nicId },
      evidence: ev,
    });
    return {
      outcome: 'delivered',
      reason: 'Delivered',
      message: `delivered to NIC ${nicId} (${shown})`,
      hops,
      deliveredTo: { nicId, ip: dst, port },
    };
  };

  // Where the packet enters the router namespace, if it does.
  let iif: string;
  const pubQ = publicRouterSide(c, spec.vpcId);
  if (spec.source.kind === 'nic') {
    const s = spec.source;
    const port_ = a.links.get(c.names.nicPort(s.nicId));
    const bridge = bridgeOf(s.networkId);
    const at = { type: 'tier' as const, id: s.networkId, name: tierName(s.networkId) };
    if (tagOf(port_)?.nic !== s.nicId)
      return {
        outcome: 'unavailable',
        reason: 'NicNotRealized',
        message: `NIC ${s.nicId} has no port on the router host`,
        hops,
        deliveredTo: null,
      };
    if (!bridge || port_?.master !== bridge.ifname || !adminUp(port_))
      return drop('PortDown', {
        kind: 'switch',
        at,
        summary: `NIC ${s.nicId}'s port is not up on the tier's bridge`,
      });
    const bt = tagOf(bridge);
    const tier =
      bt?.cidr && bt.gw
        ? { cidr: bt.cidr, gateway: bt.gw }
        : spec.tiers.find((t) => t.networkId === s.networkId);
    if (tier && inCidr(dst, tier.cidr) && dst !== tier.gateway) {
      hops.push({
        kind: 'switch',
        verdict: 'pass',
        at,
        summary: `tier ${at.name} bridges it on ${bridge.ifname} (inside a tier: no router, no ACL)`,
        evidence: [`bridge ${bridge.ifname}`],
      });
      return deliver(s.networkId);
    }
    iif = c.names.gatewayRouterSide(s.networkId);
    const g = a.nsLinks?.get(iif);
    const r = a.links.get(c.names.gatewayBridgeSide(s.networkId));
    if (!g || !operUp(g) || r?.master !== bridge.ifname)
      return drop('NoRoute', {
        kind: 'route',
        at,
        summary: `tier ${at.name} has no gateway into the VPC router (veth ${iif} missing or down)`,
      });
    hops.push({
      kind: 'switch',
      verdict: 'pass',
      at,
      summary: `tier ${at.name} sends it to its gateway ${tier?.gateway ?? ''}`.trim(),
      evidence: [`bridge ${bridge.ifname} → ${iif}`],
    });
  } else if (spec.source.kind === 'outside') {
    const q = a.nsLinks?.get(pubQ);
    const p = a.links.get(publicHostSide(c, spec.vpcId));
    if (!q || !operUp(q) || !p || p.master !== c.config.publicBridge)
      return drop('NoGateway', {
        kind: 'route',
        at: gatewayAt,
        summary: `VPC ${spec.vpcId} has no public side on the router host (veth ${pubQ})`,
      });
    iif = pubQ;
  } else
    throw new AdapterError(
      'INVALID_REQUEST',
      `a trace starts at a NIC or outside the VPC, not at ${spec.source.kind}`,
    );
  if (!a.ruleset || !a.nsLinks)
    return drop('NoRoute', { kind: 'route', at: router, summary: `the router namespace ${a.ns} is missing` });

  // Prerouting: static NAT and port forwarding rewrite the destination.
  const pre = natHook(a.ruleset, 'prerouting', pkt(iif, ''));
  if (pre?.kind === 'unknown') return unsupported(hops, pre.chain.name, pre.rule.unknown);
  if (pre?.kind === 'drop')
    return drop('Dropped', {
      kind: 'nat',
      at: gatewayAt,
      summary: 'a NAT chain dropped it',
      evidence: pre.steps.map(ruleEvidence),
    });
  if (pre?.nat?.verdict.v === 'nat') {
    const nat = pre.nat.verdict.nat;
    hops.push(natHop(h, pre.nat, nat, dst, port, pre.steps.map(ruleEvidence)));
    dst = nat.addr;
    if (nat.ports && port !== null) port = nat.ports.find(([x]) => x === port)?.[1] ?? port;
  }

  // Routing: a connected tier, the namespace's own address, or the default route.
  const own = [...a.nsLinks.values()].some((l) => l.addr_info?.some((x) => x.local === dst));
  if (own) {
    const summary = `${dst} is the VPC router's own address: no static NAT or port forwarding sends it on`;
    if (f.protocol === 'icmp' && f.icmpType === 8) {
      hops.push({
        kind: 'deliver',
        verdict: 'pass',
        at: router,
        summary: `${dst} is the VPC router's own address: the router answers`,
        evidence: [],
      });
      return {
        outcome: 'delivered',
        reason: 'Delivered',
        message: hops.at(-1)?.summary ?? '',
        hops,
        deliveredTo: { nicId: null, ip: dst, port },
      };
    }
    return drop('NoRoute', { kind: 'route', at: router, summary });
  }
  if (!a.forwarding)
    return drop('NoRoute', { kind: 'route', at: router, summary: `IPv4 forwarding is off in ${a.ns}` });
  // The connected routes are the gateway veths' addresses in the namespace: what the kernel routes by.
  const gw = [...a.nsLinks.values()].find(
    (l) =>
      tagOf(l)?.kind === 'gw' &&
      operUp(l) &&
      l.addr_info?.some((x) => x.family === 'inet' && inCidr(dst, `${x.local}/${x.prefixlen}`)),
  );
  const tier = gw && { networkId: tagOf(gw)?.net ?? '', name: tierName(tagOf(gw)?.net ?? '') };
  let oif: string;
  if (tier && gw) {
    oif = gw.ifname;
    hops.push({
      kind: 'route',
      verdict: 'pass',
      at: router,
      summary: `the router routes ${dst} to tier ${tier.name}`,
      evidence: [`${dst} dev ${oif}`],
    });
  } else {
    const def = a.routes.find((r) => r.dst === 'default' && r.dev);
    if (!def || spec.source.kind === 'outside')
      return drop('NoRoute', { kind: 'route', at: router, summary: `the router has no route to ${dst}` });
    oif = def.dev as string;
    hops.push({
      kind: 'route',
      verdict: 'pass',
      at: router,
      summary: `the router routes ${dst} to the public network via ${def.gateway ?? def.dev}`,
      evidence: [`default via ${def.gateway ?? '-'} dev ${oif}`],
    });
  }

  // Forward: every filter chain on the hook (our ACL table: the source tier's Egress, the destination's Ingress).
  const fwd = filterHook(a.ruleset, 'forward', pkt(iif, oif));
  const last = fwd.at(-1);
  if (last?.kind === 'unknown') return unsupported(hops, last.chain.name, last.rule.unknown);
  const tableGone = !a.ruleset.tables.some(
    (t) => t.family === 'inet' && t.name === aclTable(c.names.prefix, spec.vpcId),
  );
  if (tableGone && a.records.length > 0)
    hops.push({
      kind: 'acl',
      verdict: 'pass',
      at: router,
      summary: `the VPC's ACL table is missing from the kernel (drift): nothing filters it`,
      evidence: [],
    });
  hops.push(...filterHops(h, fwd));
  if (last?.kind === 'drop') {
    const hop = hops.at(-1);
    return {
      outcome: 'dropped',
      reason: 'AclDenied',
      message: hop?.summary ?? 'dropped by the forward filter',
      hops,
      deliveredTo: null,
    };
  }

  // Postrouting: the static NAT's or the source NAT's SNAT on the way out.
  const post = natHook(a.ruleset, 'postrouting', pkt(iif, oif));
  if (post?.kind === 'unknown') return unsupported(hops, post.chain.name, post.rule.unknown);
  if (post?.nat?.verdict.v === 'nat') {
    const nat = post.nat.verdict.nat;
    hops.push(natHop(h, post.nat, nat, src, port, post.steps.map(ruleEvidence)));
    src = nat.addr;
  }
  if (tier && oif === c.names.gatewayRouterSide(tier.networkId)) return deliver(tier.networkId);
  const shown = port === null ? dst : `${dst}:${port}`;
  const summary = `left the VPC through its gateway to the public network, for ${shown}`;
  hops.push({
    kind: 'deliver',
    verdict: 'pass',
    at: { type: 'outside', id: null, name: 'public network' },
    summary,
    evidence: [`dev ${oif}`],
  });
  return {
    outcome: 'delivered',
    reason: 'Delivered',
    message: summary,
    hops,
    deliveredTo: { nicId: null, ip: dst, port },
  };
}

function unsupported(hops: TraceHop[], chain: string, what: readonly string[]): Outcome {
  return {
    outcome: 'unavailable',
    reason: 'UnsupportedRule',
    message: `chain ${chain} holds a rule the trace cannot evaluate: ${what.join(' ').slice(0, 200)}`,
    hops,
    deliveredTo: null,
  };
}
