// The public VLAN of a VPC's public side. An untagged public range puts the public veth on config publicBridge (the
// operator's bridge); a range with a VLAN puts it on a bridge per public VLAN that the adapter makes, names
// `<prefix>u<vlan>` and tags `netplane:kind=pubvlan,vlan=<id>`. On a host whose kernel has 802.1Q, the bridge's uplink
// port is the VLAN sub-interface `<publicUplink>.<vlan>` (tagged `kind=uplink`), made by the adapter too; on a kernel
// without 802.1Q (the test host) the bridge alone is the VLAN, and whatever carries that VLAN's traffic joins it.
// The VLAN a VPC uses is in its public veth's tag (`pvlan=<id>`) and in its NAT record; a bridge or sub-interface
// goes when no VPC's public veth is on the bridge any more (checked in the script, under the host lock).
import { AdapterError } from '@netplane/adapter-sdk';
import { type Ctx, conflict } from '../context';
import type { Link } from '../host-state';
import { encodeTag, parseTag } from '../names';
import { q, SECTION } from '../shell';

/** The probe of 802.1Q: /proc/net/vlan exists once the kernel has it (built in, or the 8021q module loaded). */
export const DOT1Q_PROBE =
  '{ [ -d /proc/net/vlan ] || { modprobe -q 8021q 2>/dev/null || true; }; [ -d /proc/net/vlan ] && echo 802.1q || echo bridge-only; }';

export type PublicMode = '802.1q' | 'bridge-only';

export const vlanBridge = (c: Ctx, vlan: number) => `${c.names.prefix}u${vlan}`;
export const vlanSubif = (c: Ctx, vlan: number) => `${c.config.publicUplink}.${vlan}`;
export const vlanBridgeTag = (vlan: number) => encodeTag({ kind: 'pubvlan', vlan: String(vlan) });
export const subifTag = (vlan: number) => encodeTag({ kind: 'uplink', vlan: String(vlan) });
/** The public veth's tag: the VPC, and the public VLAN it is on (none when untagged). */
export const publicTag = (vpcId: string, vlan: number | null) =>
  encodeTag(vlan === null ? { kind: 'pub', vpc: vpcId } : { kind: 'pub', vpc: vpcId, pvlan: String(vlan) });

/** The public VLAN a public veth says it is on, null when untagged or not ours. */
export function vlanOfLink(l: Link | undefined): number | null {
  const v = parseTag(l?.ifalias)?.pvlan;
  return v && /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 4094 ? Number(v) : null;
}

/** The bridge the VPC's public veth belongs on: the public VLAN's, or publicBridge when untagged. */
export const publicBridgeFor = (c: Ctx, vlan: number | null | undefined): string =>
  vlan == null ? (c.config.publicBridge ?? '-') : vlanBridge(c, vlan);

/** Why the public side of a range with (or without) a VLAN cannot be made with this config, null when it can. */
export function noPublicSide(c: Ctx, vlan: number | null | undefined): string | null {
  // Not known yet (a rule of a tier without publicNetwork): either kind of public side may serve it.
  if (vlan === undefined && c.config.publicUplink) return null;
  if (vlan == null) {
    return c.config.publicBridge
      ? null
      : 'The controller has no public bridge configured (config publicBridge): no way out of the VPC';
  }
  if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094)
    return `Invalid public VLAN ${vlan}: must be 1-4094`;
  return c.config.publicUplink
    ? null
    : `The public range is on VLAN ${vlan} but the controller has no public uplink configured (config publicUplink)`;
}

/** Reads the VLAN bridges and sub-interfaces of `vlans` (sections `vbr <v>`, `vif <v>`) and the 802.1Q mode. */
export function readVlanScript(c: Ctx, hostSide: string, record: string, vlans: readonly number[]): string {
  // The VLAN the veth is on now comes from its alias (or the NAT record, the veth gone), read in the same script.
  const lines = [
    `cur=$(sed -n 's/.*,pvlan=\\([0-9]*\\).*/\\1/p' /sys/class/net/${hostSide}/ifalias 2>/dev/null || true)`,
    `rec=$(sed -n 's/.*"vlan":\\([0-9]*\\).*/\\1/p' ${q(record)} 2>/dev/null || true)`,
    `echo '${SECTION}dot1q'; ${DOT1Q_PROBE}`,
    `for v in $cur $rec ${vlans.join(' ')}; do`,
    `  echo "${SECTION}vbr $v"; ip -j -d link show dev ${c.names.prefix}u"$v" 2>/dev/null || echo '[]'`,
  ];
  if (c.config.publicUplink) {
    lines.push(
      `  echo "${SECTION}vif $v"; ip -j -d link show dev ${q(c.config.publicUplink)}."$v" 2>/dev/null || echo '[]'`,
    );
  }
  return [...lines, 'done'].join('\n');
}

export type VlanHost = { mode: PublicMode; bridges: Map<number, Link>; subifs: Map<number, Link> };

export function parseVlanHost(s: Map<string, string>): VlanHost {
  const out: VlanHost = {
    mode: s.get('dot1q')?.trim() === '802.1q' ? '802.1q' : 'bridge-only',
    bridges: new Map(),
    subifs: new Map(),
  };
  for (const [key, body] of s) {
    const m = /^(vbr|vif) (\d+)$/.exec(key);
    if (!m) continue;
    const [l] = JSON.parse(body.trim() || '[]') as Link[];
    if (l) (m[1] === 'vbr' ? out.bridges : out.subifs).set(Number(m[2]), l);
  }
  return out;
}

/** The `ip -batch` lines that make the VLAN's bridge (and sub-interface in 802.1Q mode); a same-named one not ours conflicts. */
export function ensureVlan(c: Ctx, h: VlanHost, vlan: number, what: string): string[] {
  const b = vlanBridge(c, vlan);
  const out: string[] = [];
  const br = h.bridges.get(vlan);
  if (br && br.ifalias !== vlanBridgeTag(vlan)) throw conflict('bridge', b, br, what);
  if (!br) out.push(`link add name ${b} type bridge`, `link set dev ${b} alias ${vlanBridgeTag(vlan)}`);
  if (!br?.flags?.includes('UP')) out.push(`link set dev ${b} up`);
  if (h.mode !== '802.1q') return out;
  const s = vlanSubif(c, vlan);
  const sub = h.subifs.get(vlan);
  if (sub && sub.ifalias !== subifTag(vlan)) throw conflict('interface', s, sub, what);
  if (!sub) {
    out.push(
      `link add link ${c.config.publicUplink} name ${s} type vlan id ${vlan}`,
      `link set dev ${s} alias ${subifTag(vlan)}`,
    );
  }
  if (!sub || sub.master !== b) out.push(`link set dev ${s} master ${b}`, `link set dev ${s} up`);
  return out;
}

/** Shell lines checking what the public side needs exists: the uplink (802.1Q mode) or publicBridge (untagged). */
export function precondition(c: Ctx, h: VlanHost, vlan: number | null): string {
  if (vlan === null) {
    const b = c.config.publicBridge as string;
    return `test -d /sys/class/net/${b} || { echo "netplane: public bridge ${b} does not exist" >&2; exit 1; }`;
  }
  if (h.mode !== '802.1q') return '';
  const u = c.config.publicUplink as string;
  return `test -d /sys/class/net/${u} || { echo "netplane: public uplink ${u} does not exist" >&2; exit 1; }`;
}

/**
 * Removes the VLAN's bridge and sub-interface when they are ours and no VPC's public veth is on the bridge any more.
 * Runs under the host lock, after the caller's veth was moved or deleted, so another VPC joining cannot race it.
 */
export function releaseVlanScript(c: Ctx, vlan: number): string {
  const b = vlanBridge(c, vlan);
  const lines = [
    `if [ "$(cat /sys/class/net/${b}/ifalias 2>/dev/null)" = ${q(vlanBridgeTag(vlan))} ] &&`,
    `  ! ip -j link show master ${b} | grep -q '"ifalias":"netplane:kind=pub,'; then`,
  ];
  if (c.config.publicUplink) {
    const s = vlanSubif(c, vlan);
    lines.push(
      `  [ "$(cat /sys/class/net/${s}/ifalias 2>/dev/null)" = ${q(subifTag(vlan))} ] && ip link del dev ${s}`,
    );
  }
  return [...lines, `  ip link del dev ${b}`, 'fi'].join('\n');
}

export function requirePublicSide(c: Ctx, vlan: number | null | undefined) {
  const why = noPublicSide(c, vlan);
  if (why) throw new AdapterError('INVALID_REQUEST', why);
}
