// A tier: a bridge per VLAN id (this kernel has no 802.1Q devices, so the bridge is the VLAN) or per VNI (a VXLAN
// device on it), a veth from the bridge into the router namespace holding the gateway address, and, with Dhcp, a
// dnsmasq in the router namespace on that veth. Implementing again adopts, and recreates whatever is missing.
import { AdapterError, type ImplementResult, type NetworkRef, type NetworkSpec } from '@netplane/adapter-sdk';
import { type Ctx, conflict } from './context';
import { networkDir, reloadScript, renderConf, startScript, stopScript } from './dnsmasq';
import { readHost, tagOf } from './host-state';
import { encodeTag } from './names';
import { deleteLinks, ipBatch, lockPreamble, q, writeFile } from './shell';
import { requireVpc } from './vpc';

const VXLAN_OVERHEAD = 50;

export const segmentOf = (n: NetworkSpec) => {
  const method = n.isolation.method;
  if (method !== 'VLAN' && method !== 'VXLAN') {
    throw new AdapterError(
      'INVALID_REQUEST',
      `Isolation ${method} is not supported by the virtual router (VLAN, VXLAN)`,
    );
  }
  return {
    method,
    id: n.isolation.segmentId,
    uri: `${method.toLowerCase()}://${n.isolation.segmentId}`,
  } as const;
};

export const tierMtu = (n: NetworkSpec) =>
  (n.dhcp?.physicalMtu ?? 1500) - (n.isolation.method === 'VXLAN' ? VXLAN_OVERHEAD : 0);

export async function implementNetwork(
  c: Ctx,
  n: NetworkSpec,
  signal: AbortSignal,
): Promise<ImplementResult> {
  const seg = segmentOf(n);
  const ns = c.names.routerNs(n.vpcId);
  const state = await readHost(
    c.ssh,
    c.names,
    c.stateRoot,
    { namespaces: [ns], tiers: [n.networkId] },
    signal,
  );
  const nsLinks = state.namespaces.get(ns);
  requireVpc(c, nsLinks, n.vpcId);
  const mtu = tierMtu(n);
  const plen = n.cidr.split('/')[1];
  const [bridge, r, g] = [
    c.names.bridge(seg.method, seg.id),
    c.names.gatewayBridgeSide(n.networkId),
    c.names.gatewayRouterSide(n.networkId),
  ];
  const dhcp = n.services.includes('Dhcp');
  const ids = { net: n.networkId, vpc: n.vpcId };
  const bridgeTag = encodeTag({
    kind: 'net',
    ...ids,
    seg: seg.uri,
    cidr: n.cidr,
    gw: n.gateway,
    dhcp: dhcp ? '1' : '0',
  });
  const gwTag = encodeTag({ kind: 'gw', ...ids });

  const b = state.links.get(bridge);
  if (b && tagOf(b)?.net !== n.networkId) throw conflict('bridge', bridge, b, `${seg.method} ${seg.id}`);
  const rl = state.links.get(r);
  if (rl && tagOf(rl)?.net !== n.networkId)
    throw conflict('interface', r, rl, `Gateway of network ${n.networkId}`);
  const vx = seg.method === 'VXLAN' ? c.names.vxlan(seg.id) : null;
  const vl = vx ? state.links.get(vx) : undefined;
  if (vx && vl && tagOf(vl)?.net !== n.networkId) throw conflict('vxlan', vx, vl, `VNI ${seg.id}`);

  const root: string[] = [];
  if (!b) root.push(`link add name ${bridge} mtu ${mtu} type bridge`, `link set dev ${bridge} up`);
  if (b?.ifalias !== bridgeTag) root.push(`link set dev ${bridge} alias ${bridgeTag}`);
  if (!rl) {
    root.push(
      `link add name ${r} mtu ${mtu} type veth peer name ${g} mtu ${mtu} netns ${ns}`,
      `link set dev ${r} alias ${gwTag}`,
    );
  }
  if (rl?.master !== bridge) root.push(`link set dev ${r} master ${bridge}`, `link set dev ${r} up`);
  // NIC ports of the tier off its bridge (the bridge was deleted by hand and made again): back on it.
  for (const l of state.links.values()) {
    const t = tagOf(l);
    if (t?.kind === 'nic' && t.net === n.networkId && l.master !== bridge)
      root.push(`link set dev ${l.ifname} master ${bridge}`, `link set dev ${l.ifname} up`);
  }
  let fdb = '';
  if (vx && !vl) {
    const local = c.config.vxlanLocalIp ? ` local ${c.config.vxlanLocalIp}` : '';
    root.push(
      `link add name ${vx} mtu ${mtu} type vxlan id ${seg.id} dstport ${c.config.vxlanPort}${local}`,
      `link set dev ${vx} alias ${encodeTag({ kind: 'vxlan', ...ids })}`,
      `link set dev ${vx} master ${bridge}`,
      `link set dev ${vx} up`,
    );
    fdb = c.config.vxlanRemotes
      .map((ip) => `bridge fdb append 00:00:00:00:00:00 dev ${vx} dst ${ip}`)
      .join('\n');
  }
  const gl = nsLinks?.get(g);
  const hasAddr = gl?.addr_info?.some((a) => a.local === n.gateway && String(a.prefixlen) === plen);
  const inNs: string[] = [];
  if (!rl || !gl || gl.ifalias !== gwTag || !hasAddr) {
    inNs.push(
      `link set dev ${g} alias ${gwTag}`,
      `link set dev ${g} up`,
      `addr replace ${n.gateway}/${plen} dev ${g}`,
    );
  }
  const dir = networkDir(c.stateRoot, n.networkId);
  const files = state.tiers.get(n.networkId);
  const conf = renderConf(n, dir, g, mtu);
  const confChanged = (files?.conf ?? '').trimEnd() !== conf.trimEnd();
  const dnsmasq: string[] = [];
  if (dhcp) {
    if (confChanged) dnsmasq.push(`mkdir -p ${q(dir)}`, writeFile(`${dir}/dnsmasq.conf`, conf));
    // A new gateway veth is a new interface: a dnsmasq bound to the old one serves nothing.
    if (confChanged || !rl || !files?.running) dnsmasq.push(stopScript(dir), startScript(dir, ns));
  } else if (files?.running) dnsmasq.push(stopScript(dir));

  const script = [ipBatch(root), ipBatch(inNs, ns), fdb, ...dnsmasq].filter((s) => s !== '');
  if (script.length > 0) {
    await c.ssh.runOk(
      [lockPreamble(c.stateRoot), ...script].join('\n'),
      signal,
      `Implementing network ${n.networkId}`,
    );
  }
  return { broadcastUri: seg.uri, adopted: b !== undefined };
}

/**
 * shutdown: the tier's NICs go (ports and DHCP entries); destroy: everything of the tier. Only what carries the
 * network's id is touched; what is already gone is a success.
 */
export async function teardownNetwork(
  c: Ctx,
  ref: NetworkRef,
  mode: 'shutdown' | 'destroy',
  signal: AbortSignal,
): Promise<void> {
  const state = await readHost(
    c.ssh,
    c.names,
    c.stateRoot,
    { namespaces: [], tiers: [ref.networkId] },
    signal,
  );
  const ours = [...state.links.values()].filter((l) => tagOf(l)?.net === ref.networkId);
  const nics = ours.filter((l) => tagOf(l)?.kind === 'nic');
  const rest = ours.filter((l) => ['gw', 'vxlan', 'net'].includes(tagOf(l)?.kind ?? ''));
  const dels = (mode === 'destroy' ? [...nics, ...rest] : nics).map((l) => l.ifname);
  const dir = networkDir(c.stateRoot, ref.networkId);
  const files = state.tiers.get(ref.networkId);
  const parts: string[] = [];
  if (mode === 'destroy' && files) parts.push(stopScript(dir), `rm -rf ${q(dir)}`);
  if (mode === 'shutdown' && files && files.hosts.size > 0) {
    parts.push(writeFile(`${dir}/hosts`, ''), reloadScript(dir));
  }
  if (dels.length === 0 && parts.length === 0) return;
  await c.ssh.runOk(
    [lockPreamble(c.stateRoot), deleteLinks(dels), ...parts].join('\n'),
    signal,
    `${mode === 'destroy' ? 'Destroying' : 'Shutting down'} network ${ref.networkId}`,
  );
}
