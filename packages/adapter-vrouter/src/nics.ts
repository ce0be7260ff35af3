// A NIC is a veth pair on the tier's bridge: `n…` is the bridge port, `m…` (the NIC's MAC) is left in the host
// namespace for the hypervisor to move into the VM (or, in the tests, into a "VM" namespace), plus the NIC's static
// DHCP entry. A batch of prepares and releases of one tier is one read, one `ip -batch`, one hosts file write and
// one dnsmasq reload: two SSH round trips for 1 NIC or 500.
import { AdapterError, type NicRef, type NicSpec } from '@netplane/adapter-sdk';
import { type Ctx, conflict } from './context';
import { editHosts, type HostEntry, networkDir, reloadScript } from './dnsmasq';
import { readHost, tagOf } from './host-state';
import { encodeTag } from './names';
import { deleteLinks, ipBatch, lockPreamble } from './shell';

export type NicOp = { type: 'prepare'; nic: NicSpec } | { type: 'release'; nic: NicRef };
export type NicOutcome = { ok: true; adopted: boolean } | { ok: false; error: AdapterError };

export async function runNicBatch(
  c: Ctx,
  networkId: string,
  ops: NicOp[],
  signal: AbortSignal,
): Promise<NicOutcome[]> {
  const state = await readHost(c.ssh, c.names, c.stateRoot, { namespaces: [], tiers: [networkId] }, signal);
  const bridge = [...state.links.values()].find((l) => {
    const t = tagOf(l);
    return t?.kind === 'net' && t.net === networkId;
  });
  const files = state.tiers.get(networkId);
  const hosts = new Map<string, HostEntry>(files?.hosts ?? []);
  const dhcp = tagOf(bridge)?.dhcp === '1';
  const lines: string[] = [];
  const dels: string[] = [];
  let hostsChanged = false;
  /** NIC ids whose hosts line goes (released, or rewritten), and the lines that come: an edit, not a rewrite. */
  const dropped = new Set<string>();
  const added = new Map<string, HostEntry>();
  const byIp = () => new Map([...hosts.values()].map((e) => [e.ip, e.nicId]));
  const byMac = () => new Map([...hosts.values()].map((e) => [e.mac, e.nicId]));
  const planned = new Set<string>();

  const outcomes = ops.map((op): NicOutcome => {
    const { nicId } = op.nic;
    const [port, peer] = [c.names.nicPort(nicId), c.names.nicPeer(nicId)];
    const link = state.links.get(port);
    const tag = tagOf(link);
    try {
      if (op.type === 'release') {
        if (tag?.nic === nicId && !dels.includes(port)) dels.push(port);
        if (hosts.delete(nicId)) {
          hostsChanged = true;
          dropped.add(nicId);
          added.delete(nicId);
        }
        return { ok: true, adopted: false };
      }
      const nic = op.nic;
      if (!bridge) {
        throw new AdapterError(
          'INVALID_REQUEST',
          `Network ${networkId} is not implemented on the router host`,
        );
      }
      if (link && tag?.nic !== nicId) throw conflict('interface', port, link, `NIC ${nicId}`);
      if (tag && (tag.mac !== nic.mac.toLowerCase() || tag.ip !== nic.ip)) {
        throw new AdapterError(
          'RESOURCE_CONFLICT',
          `NIC ${nicId} is already prepared with MAC ${tag.mac} and IP ${tag.ip}; release it before preparing it again`,
          { conflict: { resource: 'nic', name: port, owner: `Netplane NIC ${nicId}` } },
        );
      }
      const ipOwner = byIp().get(nic.ip);
      const macOwner = byMac().get(nic.mac.toLowerCase());
      for (const [what, owner] of [
        [`IP ${nic.ip}`, ipOwner],
        [`MAC ${nic.mac}`, macOwner],
      ] as const) {
        if (owner !== undefined && owner !== nicId) {
          throw new AdapterError(
            'RESOURCE_CONFLICT',
            `${what} already has a DHCP entry of NIC ${owner} on this tier`,
            {
              conflict: { resource: 'dhcp-host', name: what, owner: `Netplane NIC ${owner}` },
            },
          );
        }
      }
      const mtu = bridge.mtu ?? 1500;
      const ids = { nic: nicId, net: networkId, vpc: nic.vpcId };
      if (!link && !planned.has(`add ${port}`)) {
        planned.add(`add ${port}`);
        lines.push(
          // On the bridge and up as it is made (one request, not three); without carrier until the peer is up.
          `link add name ${port} mtu ${mtu} master ${bridge.ifname} up type veth peer name ${peer} address ${nic.mac.toLowerCase()} mtu ${mtu}`,
          `link set dev ${port} alias ${encodeTag({ kind: 'nic', ...ids, mac: nic.mac.toLowerCase(), ip: nic.ip })}`,
          `link set dev ${peer} alias ${encodeTag({ kind: 'peer', ...ids })}`,
          // No IPv6 link-local on either end in the host namespace (set before the peer ever has carrier): every veth
          // coming up would otherwise send its DAD and router solicitations, flooded by the bridge to all its ports
          // (500 × 500 copies in a boot storm: the host's softirq time, not the router's work). A peer moved into a
          // VM's namespace starts afresh there.
          `link set dev ${port} addrgenmode none`,
          `link set dev ${peer} addrgenmode none`,
        );
      } else if (link && link.master !== bridge.ifname) {
        lines.push(`link set dev ${port} master ${bridge.ifname}`, `link set dev ${port} up`);
      }
      const entry = { nicId, mac: nic.mac.toLowerCase(), ip: nic.ip };
      const had = hosts.get(nicId);
      if (dhcp && (had?.mac !== entry.mac || had.ip !== entry.ip)) {
        hosts.set(nicId, entry);
        hostsChanged = true;
        if (had) dropped.add(nicId);
        added.set(nicId, entry);
      }
      return { ok: true, adopted: link !== undefined };
    } catch (e) {
      if (e instanceof AdapterError) return { ok: false, error: e };
      throw e;
    }
  });

  if (lines.length > 0 || dels.length > 0 || hostsChanged) {
    const dir = networkDir(c.stateRoot, networkId);
    const hostsScript =
      hostsChanged && files ? [editHosts(`${dir}/hosts`, dropped, added.values()), reloadScript(dir)] : [];
    await c.ssh.runOk(
      [lockPreamble(c.stateRoot), deleteLinks(dels), ipBatch(lines), ...hostsScript].join('\n'),
      signal,
      `Applying ${ops.length} NIC change(s) on network ${networkId}`,
    );
  }
  return outcomes;
}
