// A VPC is a router network namespace on the host (IPv4 forwarding on, so its tiers route to each other); the
// namespace's loopback alias carries the VPC id, which is how a retry adopts it and a foreign namespace is refused.
import { AdapterError, type VpcSpec } from '@netplane/adapter-sdk';
import { type Ctx, conflict } from './context';
import { stopScript } from './dnsmasq';
import type { Link } from './host-state';
import { readHost, tagOf } from './host-state';
import { encodeTag } from './names';
import { releaseVlanScript, vlanOfLink } from './nat/public-vlan';
import { deleteLinks, ipBatch, lockPreamble, q } from './shell';

export async function implementVpc(c: Ctx, vpc: VpcSpec, signal: AbortSignal): Promise<{ adopted: boolean }> {
  const ns = c.names.routerNs(vpc.vpcId);
  const state = await readHost(c.ssh, c.names, c.stateRoot, { namespaces: [ns], tiers: [] }, signal);
  const links = state.namespaces.get(ns);
  if (links) {
    const lo = links.get('lo');
    if (tagOf(lo)?.vpc !== vpc.vpcId) throw conflict('namespace', ns, lo, `VPC ${vpc.vpcId}`);
    return { adopted: true };
  }
  const tag = encodeTag({ kind: 'vpc', vpc: vpc.vpcId, cidr: vpc.cidr });
  await c.ssh.runOk(
    [
      lockPreamble(c.stateRoot),
      `ip netns add ${q(ns)}`,
      ipBatch([`link set dev lo alias ${tag}`, 'link set dev lo up'], ns),
      `ip netns exec ${q(ns)} sysctl -qw net.ipv4.ip_forward=1`,
    ].join('\n'),
    signal,
    `Creating the router namespace of VPC ${vpc.vpcId}`,
  );
  return { adopted: false };
}

/** Removes the namespace and every object of ours tagged with the VPC (tiers left behind included). */
export async function destroyVpc(c: Ctx, vpcId: string, signal: AbortSignal): Promise<void> {
  const ns = c.names.routerNs(vpcId);
  const state = await readHost(c.ssh, c.names, c.stateRoot, { namespaces: [ns], tiers: 'all' }, signal);
  const ours = [...state.links.values()].filter((l) => tagOf(l)?.vpc === vpcId);
  // A veth pair goes with either end: delete the bridge-side ends and the bridges, never a peer twice.
  const dels = ours.filter((l) => tagOf(l)?.kind !== 'peer').map((l) => l.ifname);
  const tiers = [...state.tiers.entries()]
    .filter(([, t]) => t.conf?.includes(` vpc ${vpcId}`))
    .map(([id]) => id);
  // The public VLAN bridge the VPC's public veth is on goes too once no other VPC is on it.
  const vlans = [...new Set(ours.map(vlanOfLink).filter((x) => x !== null))];
  const lo = state.namespaces.get(ns)?.get('lo');
  const nsOurs = state.namespaces.get(ns) != null && tagOf(lo)?.vpc === vpcId;
  if (dels.length === 0 && tiers.length === 0 && !nsOurs) return;
  await c.ssh.runOk(
    [
      lockPreamble(c.stateRoot),
      ...tiers.map((t) => stopScript(`${c.stateRoot}/${t}`)),
      ...tiers.map((t) => `rm -rf ${q(`${c.stateRoot}/${t}`)}`),
      deleteLinks(dels),
      ...(nsOurs ? [`ip netns del ${q(ns)}`] : []),
      ...vlans.map((v) => releaseVlanScript(c, v)),
      `rm -f ${q(`${c.stateRoot}/.nat-${vpcId}.json`)}`,
    ].join('\n'),
    signal,
    `Destroying the router namespace of VPC ${vpcId}`,
  );
}

export function requireVpc(c: Ctx, links: Map<string, Link> | null | undefined, vpcId: string) {
  if (!links) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `VPC ${vpcId} is not implemented on the router host (no namespace ${c.names.routerNs(vpcId)}): implementVpc first`,
    );
  }
  const lo = links.get('lo');
  if (tagOf(lo)?.vpc !== vpcId) throw conflict('namespace', c.names.routerNs(vpcId), lo, `VPC ${vpcId}`);
}
