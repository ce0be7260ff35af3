// What the router host really holds, named by the ids read back from the objects' tags: the VPCs' namespaces, the
// tiers' bridges (with what is missing of their gateway, VXLAN device and dnsmasq as issues), and the NICs' ports
// (with a missing or different DHCP entry as an issue).
import type { ObservedResource, ObserveScope } from '@netplane/adapter-sdk';
import type { Ctx } from './context';
import { type HostState, readHost, tagOf } from './host-state';

export async function observe(c: Ctx, scope: ObserveScope, signal: AbortSignal): Promise<ObservedResource[]> {
  const wanted = scope.networkIds ? new Set(scope.networkIds) : null;
  const namespaces = scope.vpcId ? [c.names.routerNs(scope.vpcId)] : wanted ? [] : 'all';
  const tiers = wanted ? [...wanted] : 'all';
  const state = await readHost(c.ssh, c.names, c.stateRoot, { namespaces, tiers }, signal);
  // The namespaces of the tiers found, when the scope named only networks: a second read, only then.
  const inScope = (t: Record<string, string>) =>
    (!scope.vpcId || t.vpc === scope.vpcId) && (!wanted || (t.net !== undefined && wanted.has(t.net)));
  const bridges = [...state.links.values()].filter(
    (l) => tagOf(l)?.kind === 'net' && inScope(tagOf(l) ?? {}),
  );
  // A tier whose bridge was deleted by hand still has its gateway veth: reported, with the bridge missing as issue.
  const has = new Set(bridges.map((l) => tagOf(l)?.net));
  const orphans = [...state.links.values()].filter((l) => {
    const t = tagOf(l);
    return t?.kind === 'gw' && !has.has(t.net) && inScope(t);
  });
  const nets = [...bridges, ...orphans];
  const missingNs = [...new Set(nets.map((l) => c.names.routerNs(tagOf(l)?.vpc ?? '')))].filter(
    (ns) => !state.namespaces.has(ns),
  );
  if (missingNs.length > 0) {
    const more = await readHost(c.ssh, c.names, c.stateRoot, { namespaces: missingNs, tiers: [] }, signal);
    for (const [ns, links] of more.namespaces) state.namespaces.set(ns, links);
  }
  const out: ObservedResource[] = [];
  if (!wanted) out.push(...observeVpcs(c, state, scope.vpcId));
  for (const bridge of nets) {
    const t = tagOf(bridge) ?? {};
    const net = t.net as string;
    const issues: string[] = [];
    const orphan = t.kind === 'gw';
    const ns = state.namespaces.get(c.names.routerNs(t.vpc ?? ''));
    const r = state.links.get(c.names.gatewayBridgeSide(net));
    const g = ns?.get(c.names.gatewayRouterSide(net));
    if (!ns) issues.push('the VPC router namespace is missing');
    if (orphan) issues.push('the tier bridge is missing');
    else if (!r || r.master !== bridge.ifname)
      issues.push('the gateway interface is missing from the bridge');
    else if (!g?.addr_info?.some((a) => a.local === t.gw))
      issues.push(`the gateway address ${t.gw} is missing`);
    if (t.seg?.startsWith('vxlan://')) {
      const vx = state.links.get(c.names.vxlan(Number(t.seg.slice(8))));
      if (!vx || vx.master !== bridge.ifname) issues.push('the VXLAN device is missing from the bridge');
    }
    const files = state.tiers.get(net);
    const dhcp = orphan ? (files?.conf ?? null) !== null : t.dhcp === '1';
    if (dhcp && !files?.running) issues.push('dnsmasq is not running');
    out.push({
      kind: 'network',
      id: net,
      name: bridge.ifname,
      attributes: { cidr: t.cidr ?? '', gateway: t.gw ?? '', broadcastUri: t.seg ?? '' },
      ...(issues.length > 0 ? { issues } : {}),
    });
    for (const port of state.links.values()) {
      const p = tagOf(port);
      if (p?.kind !== 'nic' || p.net !== net) continue;
      const nicIssues: string[] = [];
      if (port.master !== bridge.ifname) nicIssues.push('the port is not on the tier bridge');
      const entry = files?.hosts.get(p.nic ?? '');
      if (dhcp && (entry?.mac !== p.mac || entry?.ip !== p.ip))
        nicIssues.push('the DHCP entry is missing or different');
      out.push({
        kind: 'nic',
        id: p.nic ?? '',
        name: port.ifname,
        attributes: { mac: p.mac ?? '', ip: p.ip ?? '', networkId: net },
        ...(nicIssues.length > 0 ? { issues: nicIssues } : {}),
      });
    }
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}

function observeVpcs(c: Ctx, state: HostState, vpcId: string | undefined): ObservedResource[] {
  const out: ObservedResource[] = [];
  for (const [ns, links] of state.namespaces) {
    const t = tagOf(links?.get('lo'));
    if (!t?.vpc || (vpcId && t.vpc !== vpcId) || ns !== c.names.routerNs(t.vpc)) continue;
    out.push({ kind: 'vpc', id: t.vpc, name: ns, attributes: { cidr: t.cidr ?? '' } });
  }
  return out;
}
