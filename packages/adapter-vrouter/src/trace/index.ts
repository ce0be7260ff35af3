// trace(): the path one packet (the first of its connection: ct state new) takes through a VPC on the router host,
// evaluated from one read of the appliance (realized/read.ts). Inside a tier it is bridged (no router, no ACL);
// between tiers and to or from the outside it goes through the router namespace as the kernel would take it:
// prerouting NAT (static NAT, port forwarding), the routing decision (connected tiers, the default route of the
// public side), every forward filter chain of the namespace (our ACL table, and anyone else's), postrouting NAT
// (static NAT's and the source NAT's SNAT), then delivery to a NIC whose port is on its bridge and up.

import { AdapterError, TRACE_SPEC_VERSION, type TraceResult, type TraceSpec } from '@netplane/adapter-sdk';
import { aclTable } from '../acl/render';
import type { Ctx } from '../context';
import { tagOf } from '../host-state';
import { publicBridgeFor, vlanOfLink } from '../nat/public-vlan';
import { publicHostSide, publicRouterSide } from '../nat/table';
import { adminUp, operUp, readAppliance } from '../realized/read';
import { filterHook, natHook } from './eval';
import { filterHops, natHop, ruleEvidence } from './hops';
import { cidrInterval, ipNum, type Ruleset } from './nft';
import { type Outcome, Walk } from './walk';

const inCidr = (ip: string, cidr: string) => {
  const [a, b] = cidrInterval(cidr);
  return ipNum(ip) >= a && ipNum(ip) <= b;
};

export async function traceVrouter(c: Ctx, spec: TraceSpec, signal: AbortSignal): Promise<TraceResult> {
  if (spec.version !== TRACE_SPEC_VERSION)
    throw new AdapterError('INVALID_REQUEST', `TraceSpec version ${String(spec.version)} is not supported`);
  if (spec.source.kind !== 'nic' && spec.source.kind !== 'outside')
    throw new AdapterError(
      'INVALID_REQUEST',
      `a trace starts at a NIC or outside the VPC, not at ${spec.source.kind}`,
    );
  const a = await readAppliance(c, spec.vpcId, signal);
  const w = new Walk(c, a, spec);
  const entered = enter(w);
  return {
    ...(typeof entered === 'string' ? throughRouter(w, entered) : entered),
    tool: {
      name: 'nft-eval',
      command: `ip netns exec ${a.ns} nft -n -j list ruleset (evaluated by Netplane)`,
    },
  };
}

/** Where the packet enters the router namespace (its interface there), or how the trace ends before it does. */
function enter(w: Walk): string | Outcome {
  const { c, a, spec } = w;
  if (spec.source.kind === 'outside') {
    const q = publicRouterSide(c, spec.vpcId);
    const inside = a.nsLinks?.get(q);
    const p = a.links.get(publicHostSide(c, spec.vpcId));
    if (!inside || !operUp(inside) || !p || p.master !== publicBridgeFor(c, vlanOfLink(p)))
      return w.drop('NoGateway', {
        kind: 'route',
        at: w.gateway,
        summary: `VPC ${spec.vpcId} has no public side on the router host (veth ${q})`,
      });
    return q;
  }
  const s = spec.source as Extract<TraceSpec['source'], { kind: 'nic' }>;
  const port = a.links.get(c.names.nicPort(s.nicId));
  const bridge = w.bridgeOf(s.networkId);
  const at = w.tierAt(s.networkId);
  if (tagOf(port)?.nic !== s.nicId)
    return {
      outcome: 'unavailable',
      reason: 'NicNotRealized',
      message: `NIC ${s.nicId} has no port on the router host`,
      hops: w.hops,
      deliveredTo: null,
    };
  if (!bridge || port?.master !== bridge.ifname || !adminUp(port))
    return w.drop('PortDown', {
      kind: 'switch',
      at,
      summary: `NIC ${s.nicId}'s port is not up on the tier's bridge`,
    });
  const bt = tagOf(bridge);
  const tier =
    bt?.cidr && bt.gw
      ? { cidr: bt.cidr, gateway: bt.gw }
      : spec.tiers.find((t) => t.networkId === s.networkId);
  if (tier && inCidr(w.dst, tier.cidr) && w.dst !== tier.gateway) {
    w.pass({
      kind: 'switch',
      at,
      summary: `tier ${at.name} bridges it on ${bridge.ifname} (inside a tier: no router, no ACL)`,
      evidence: [`bridge ${bridge.ifname}`],
    });
    return w.deliver(s.networkId);
  }
  const iif = c.names.gatewayRouterSide(s.networkId);
  const g = a.nsLinks?.get(iif);
  const r = a.links.get(c.names.gatewayBridgeSide(s.networkId));
  if (!g || !operUp(g) || r?.master !== bridge.ifname)
    return w.drop('NoRoute', {
      kind: 'route',
      at,
      summary: `tier ${at.name} has no gateway into the VPC router (veth ${iif} missing or down)`,
    });
  w.pass({
    kind: 'switch',
    at,
    summary: `tier ${at.name} sends it to its gateway ${tier?.gateway ?? ''}`.trim(),
    evidence: [`bridge ${bridge.ifname} → ${iif}`],
  });
  return iif;
}

function throughRouter(w: Walk, iif: string): Outcome {
  const { c, a, spec } = w;
  if (!a.ruleset || !a.nsLinks)
    return w.drop('NoRoute', {
      kind: 'route',
      at: w.router,
      summary: `the router namespace ${a.ns} is missing`,
    });
  const rs: Ruleset = a.ruleset;
  // Prerouting: static NAT and port forwarding rewrite the destination.
  const pre = natHook(rs, 'prerouting', w.packet(iif, ''));
  if (pre?.kind === 'unknown') return w.unsupported(pre.chain.name, pre.rule.unknown);
  if (pre?.kind === 'drop')
    return w.drop('Dropped', {
      kind: 'nat',
      at: w.gateway,
      summary: 'a NAT chain dropped it',
      evidence: pre.steps.map(ruleEvidence),
    });
  if (pre?.nat?.verdict.v === 'nat') {
    const nat = pre.nat.verdict.nat;
    w.hops.push(natHop(w.h, pre.nat, nat, w.dst, w.port, pre.steps.map(ruleEvidence)));
    w.dst = nat.addr;
    w.dnatted = true;
    if (nat.ports && w.port !== null) w.port = nat.ports.find(([x]) => x === w.port)?.[1] ?? w.port;
  }

  // Routing: the namespace's own address, a connected tier (a gateway veth's address), or the default route.
  const f = spec.flow;
  if ([...a.nsLinks.values()].some((l) => l.addr_info?.some((x) => x.local === w.dst))) {
    if (f.protocol === 'icmp' && f.icmpType === 8) {
      const summary = `${w.dst} is the VPC router's own address: the router answers`;
      w.pass({ kind: 'deliver', at: w.router, summary });
      return w.delivered(summary, null);
    }
    return w.drop('NoRoute', {
      kind: 'route',
      at: w.router,
      summary: `${w.dst} is the VPC router's own address: no static NAT or port forwarding sends it on`,
    });
  }
  if (!a.forwarding)
    return w.drop('NoRoute', { kind: 'route', at: w.router, summary: `IPv4 forwarding is off in ${a.ns}` });
  const gw = [...a.nsLinks.values()].find(
    (l) =>
      tagOf(l)?.kind === 'gw' &&
      operUp(l) &&
      l.addr_info?.some((x) => x.family === 'inet' && inCidr(w.dst, `${x.local}/${x.prefixlen}`)),
  );
  const toTier = gw ? (tagOf(gw)?.net ?? '') : null;
  let oif: string;
  if (gw && toTier !== null) {
    oif = gw.ifname;
    w.pass({
      kind: 'route',
      at: w.router,
      summary: `the router routes ${w.dst} to tier ${w.h.tierName(toTier)}`,
      evidence: [`${w.dst} dev ${oif}`],
    });
  } else {
    const def = a.routes.find((r) => r.dst === 'default' && r.dev);
    // From outside, an address that is no tier's would go back out: nothing the VPC delivers.
    if (!def || spec.source.kind === 'outside')
      return w.drop('NoRoute', {
        kind: 'route',
        at: w.router,
        summary: `the router has no route to ${w.dst}`,
      });
    oif = def.dev as string;
    w.pass({
      kind: 'route',
      at: w.router,
      summary: `the router routes ${w.dst} to the public network via ${def.gateway ?? def.dev}`,
      evidence: [`default via ${def.gateway ?? '-'} dev ${oif}`],
    });
  }

  // Forward: every filter chain on the hook (our ACL table: the source tier's Egress, the destination's Ingress).
  const fwd = filterHook(rs, 'forward', w.packet(iif, oif));
  const last = fwd.at(-1);
  if (last?.kind === 'unknown') return w.unsupported(last.chain.name, last.rule.unknown);
  const table = aclTable(c.names.prefix, spec.vpcId);
  if (a.records.length > 0 && !rs.tables.some((t) => t.family === 'inet' && t.name === table))
    w.pass({
      kind: 'acl',
      at: w.router,
      summary: `the VPC's ACL table ${table} is missing from the kernel (drift): nothing filters it`,
    });
  w.hops.push(...filterHops(w.h, fwd));
  if (last?.kind === 'drop') {
    const message = w.hops.at(-1)?.summary ?? 'dropped by the forward filter';
    return { outcome: 'dropped', reason: 'AclDenied', message, hops: w.hops, deliveredTo: null };
  }

  // Postrouting: the static NAT's or the source NAT's SNAT on the way out.
  const post = natHook(rs, 'postrouting', w.packet(iif, oif));
  if (post?.kind === 'unknown') return w.unsupported(post.chain.name, post.rule.unknown);
  if (post?.nat?.verdict.v === 'nat') {
    const rule = post.nat.verdict.nat;
    // Masquerade (the hairpin rule) takes the outgoing interface's address: the router's gateway on that tier.
    const out = a.nsLinks.get(oif)?.addr_info?.find((x) => x.family === 'inet')?.local ?? '';
    const nat = rule.type === 'masquerade' ? { ...rule, addr: out } : rule;
    w.hops.push(natHop(w.h, post.nat, nat, w.src, w.port, post.steps.map(ruleEvidence)));
    w.src = nat.addr;
  }
  if (toTier !== null) return w.deliver(toTier);
  const summary = `left the VPC through its gateway to the public network, for ${w.shown}`;
  w.pass({
    kind: 'deliver',
    at: { type: 'outside', id: null, name: 'public network' },
    summary,
    evidence: [`dev ${oif}`],
  });
  return w.delivered(summary, null);
}
