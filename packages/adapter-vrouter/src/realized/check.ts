// checkRealized(): what the router host really holds of a VPC, judged from one read of it (read.ts): the router
// namespace (vpc), each tier's bridge, gateway veth and address, VXLAN device and dnsmasq (network), each NIC's port
// on the tier's bridge, up, and its lease in the hosts file dnsmasq last loaded (nic), and the kernel's nftables
// rules against the applied ACL lists and NAT rules (rules.ts). Resources are named by the ids observe() uses.
import {
  unrealizedVerdict as no,
  type RealizedReport,
  type RealizedResource,
  type RealizeScope,
  type RealizedVerdict as Verdict,
  realizedVerdict as yes,
} from '@netplane/adapter-sdk';
import { REALIZED_REASONS as R } from '@netplane/domain';
import type { Ctx } from '../context';
import { tagOf } from '../host-state';
import { type Appliance, adminUp, operUp, readAppliance } from './read';
import { aclVerdicts, natVerdicts } from './rules';

export async function checkRealized(
  c: Ctx,
  scope: RealizeScope,
  signal: AbortSignal,
): Promise<RealizedReport> {
  const a = await readAppliance(c, scope.vpcId, signal);
  const wanted = scope.networkIds ? new Set(scope.networkIds) : null;
  const resources: RealizedResource[] = [];
  const lo = a.nsLinks?.get('lo');
  const vpc: Verdict = !a.nsLinks
    ? no(R.missingOnHost, `the router namespace ${a.ns} is missing on the router host`)
    : tagOf(lo)?.vpc !== scope.vpcId
      ? no(R.missingOnHost, `the namespace ${a.ns} does not carry VPC ${scope.vpcId}'s tag`)
      : !a.forwarding
        ? no(R.missingOnHost, `IPv4 forwarding is off in ${a.ns}: its tiers cannot reach each other`)
        : yes(`router namespace ${a.ns} with IPv4 forwarding`, [`ip netns ${a.ns}`]);
  // The VPC itself always (its namespace carries every tier in scope).
  resources.push({ kind: 'vpc', id: scope.vpcId, ...vpc });
  for (const net of tiersOf(a, wanted)) {
    if (wanted && !wanted.has(net)) continue;
    resources.push({ kind: 'network', id: net, ...tierVerdict(c, a, net, vpc) });
    resources.push(...nicVerdicts(c, a, net));
  }
  resources.push(...aclVerdicts(c, a, wanted));
  if (!wanted) resources.push(...natVerdicts(c, a));
  return {
    overall: vpc.realized
      ? { realized: true, reason: R.realized, message: `read the router host's state of VPC ${scope.vpcId}` }
      : { realized: false, reason: vpc.reason, message: vpc.message },
    resources,
  };
}

/** Every tier something on the host still names (a bridge deleted by hand leaves its gateway veth, NICs, files). */
function tiersOf(a: Appliance, wanted: ReadonlySet<string> | null): string[] {
  const ids = new Set<string>(wanted ?? []);
  for (const l of [...a.links.values(), ...(a.nsLinks?.values() ?? [])]) {
    const t = tagOf(l);
    if (t?.vpc === a.vpcId && t.net) ids.add(t.net);
  }
  for (const id of a.tiers.keys()) ids.add(id);
  for (const r of a.records) ids.add(r.networkId);
  return [...ids].sort();
}

export function bridgeOf(a: Appliance, net: string) {
  return [...a.links.values()].find((l) => {
    const t = tagOf(l);
    return t?.kind === 'net' && t.net === net;
  });
}

function tierVerdict(c: Ctx, a: Appliance, net: string, vpc: Verdict): Verdict {
  if (!vpc.realized) return vpc;
  const bridge = bridgeOf(a, net);
  const files = a.tiers.get(net);
  if (!bridge) return no(R.missingOnHost, `the tier's bridge is missing on the router host`);
  const t = tagOf(bridge) ?? {};
  const ev = [`bridge ${bridge.ifname} ${t.seg ?? ''} (${bridge.operstate ?? '?'})`];
  if (!adminUp(bridge)) return no(R.missingOnHost, `the tier's bridge ${bridge.ifname} is down`, ev);
  const [rn, gn] = [c.names.gatewayBridgeSide(net), c.names.gatewayRouterSide(net)];
  const r = a.links.get(rn);
  const g = a.nsLinks?.get(gn);
  if (!r || r.master !== bridge.ifname || !adminUp(r))
    return no(R.missingOnHost, `the gateway veth ${rn} is not up on the bridge ${bridge.ifname}`, ev);
  if (!g || !operUp(g)) return no(R.missingOnHost, `the gateway veth ${gn} is not up in ${a.ns}`, ev);
  const plen = t.cidr?.split('/')[1];
  if (!g.addr_info?.some((x) => x.local === t.gw && String(x.prefixlen) === plen))
    return no(R.missingOnHost, `the gateway address ${t.gw}/${plen} is missing on ${gn}`, ev);
  ev.push(`gateway ${gn} ${t.gw}/${plen} in ${a.ns}`);
  if (t.seg?.startsWith('vxlan://')) {
    const vx = a.links.get(c.names.vxlan(Number(t.seg.slice(8))));
    if (!vx || vx.master !== bridge.ifname || !adminUp(vx) || vx.linkinfo?.info_kind !== 'vxlan')
      return no(
        R.missingOnHost,
        `the VXLAN device ${c.names.vxlan(Number(t.seg.slice(8)))} is not up on the bridge`,
        ev,
      );
    ev.push(`vxlan ${vx.ifname} on ${bridge.ifname}`);
  }
  if (t.dhcp === '1') {
    if (!files?.pid) return no(R.dhcpNotRunning, `dnsmasq of the tier is not running`, ev);
    ev.push(`dnsmasq pid ${files.pid}`);
  }
  return yes(
    `bridge, gateway${t.seg?.startsWith('vxlan') ? ', VXLAN device' : ''}${t.dhcp === '1' ? ' and dnsmasq' : ''} in place`,
    ev,
  );
}

/** The hosts dnsmasq serves now: the file it was last HUPed or started with, or (started by hand) the file as it is. */
function servedHosts(a: Appliance, net: string) {
  const f = a.tiers.get(net);
  if (!f?.pid) return null;
  if (f.loaded && f.loaded.pid === f.pid) return f.loaded.hosts;
  // Started (by hand) after the file's last change: it read the file as it is. The start is known to a clock tick.
  if (f.startedAt !== null && f.hostsMtime !== null && f.startedAt + 0.01 >= f.hostsMtime) return f.hosts;
  return undefined;
}

function nicVerdicts(c: Ctx, a: Appliance, net: string): RealizedResource[] {
  const bridge = bridgeOf(a, net);
  const dhcp = tagOf(bridge)?.dhcp === '1';
  const served = servedHosts(a, net);
  const out: RealizedResource[] = [];
  for (const port of a.links.values()) {
    const p = tagOf(port);
    if (p?.kind !== 'nic' || p.net !== net || !p.nic) continue;
    const ev = [`port ${port.ifname} (${port.operstate ?? '?'}) master ${port.master ?? '-'}`];
    const v = (): Verdict => {
      if (!bridge || port.master !== bridge.ifname)
        return no(R.missingOnHost, `the NIC's port ${port.ifname} is not on the tier's bridge`, ev);
      if (!adminUp(port)) return no(R.portDown, `the NIC's port ${port.ifname} is down`, ev);
      if (!operUp(port))
        return no(
          R.portNotBound,
          `no VM has taken the NIC's peer ${c.names.nicPeer(p.nic ?? '')} (it is down)`,
          ev,
        );
      if (!dhcp) return yes(`port ${port.ifname} up on ${bridge.ifname}`, ev);
      if (served === null) return no(R.dhcpNotRunning, `dnsmasq of the tier is not running`, ev);
      if (served === undefined)
        return no(R.dhcpEntryNotLoaded, 'dnsmasq has not re-read the hosts file since it changed', ev);
      const e = served.get(p.nic ?? '');
      if (!e || e.mac !== p.mac || e.ip !== p.ip)
        return no(R.dhcpEntryNotLoaded, `dnsmasq does not serve the lease ${p.mac} → ${p.ip}`, ev);
      return yes(`port ${port.ifname} up on ${bridge.ifname}, lease ${p.mac} → ${p.ip} served`, [
        ...ev,
        `dhcp-host ${e.mac},set:${e.nicId},${e.ip}`,
      ]);
    };
    out.push({ kind: 'nic', id: p.nic, ...v() });
  }
  return out;
}
