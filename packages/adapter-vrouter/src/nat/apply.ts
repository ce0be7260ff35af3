// SourceNat and StaticNat of a VPC: one read of its router namespace (nft ruleset, addresses, the public veth), the
// state edited, then one script that makes the public side (a veth from the router namespace onto the configured
// public bridge, the source-NAT address and the static NATs' public IPs on it, the default route) and rewrites the
// NAT table. Only what carries our names and the VPC's id is touched; a public IP used by anything else is refused.
import { isIPv4 } from 'node:net';
import { AdapterError, type NetworkSpec, type StaticNatRef, type StaticNatSpec } from '@netplane/adapter-sdk';
import { type Ctx, conflict } from '../context';
import { firewallStatus, fwTable, renderFirewall } from '../firewall/render';
import type { Link } from '../host-state';
import type { LbRule } from '../lb/config';
import { type LbHost, parseLbHost, readScript as readLbScript } from '../lb/haproxy';
import { parseTag } from '../names';
import { ipBatch, lockPreamble, q, SECTION, splitSections, writeFile } from '../shell';
import { checkId } from '../validate';
import {
  ensureVlan,
  parseVlanHost,
  precondition,
  publicBridgeFor,
  publicTag,
  readVlanScript,
  releaseVlanScript,
  requirePublicSide,
  type VlanHost,
  vlanOfLink,
} from './public-vlan';
import {
  foreignNatOn,
  type NatState,
  natRecordPath,
  natStateOf,
  natTable,
  parseRuleset,
  publicHostSide,
  publicRouterSide,
  type Ruleset,
  renderTable,
} from './table';

type VpcNat = {
  ns: string;
  ruleset: Ruleset | null;
  /** The router namespace's links with addresses, null when the namespace does not exist. */
  links: Map<string, Link> | null;
  hostSide: Link | undefined;
  /** The VPC's haproxy (src/lb): its rules hold public addresses and ports, and the firewall lets them in. */
  lb: LbHost;
  /** The NAT state last applied (natRecordPath), null when none was: what a table flushed by hand held. */
  record: NatState | null;
  /** The public VLAN bridges and sub-interfaces read (the veth's current VLAN and the ones asked for), the mode. */
  vlans: VlanHost;
};

/** Reads the VPC's NAT; `vlans`: public VLANs whose bridges the caller may put the public side on. */
export async function readVpcNat(
  c: Ctx,
  vpcId: string,
  signal: AbortSignal,
  vlans: readonly number[] = [],
): Promise<VpcNat> {
  const ns = c.names.routerNs(vpcId);
  const script = [
    `if ip netns list | cut -d' ' -f1 | grep -qx ${q(ns)}; then`,
    `  echo '${SECTION}nft'; ip netns exec ${q(ns)} nft -j list ruleset`,
    `  echo '${SECTION}addr'; ip -n ${q(ns)} -j -d addr show`,
    'fi',
    `echo '${SECTION}host'; ip -j link show dev ${publicHostSide(c, vpcId)} 2>/dev/null || echo '[]'`,
    readLbScript(c, vpcId),
    `echo '${SECTION}record'; cat ${q(natRecordPath(c, vpcId))} 2>/dev/null || echo null`,
    readVlanScript(c, publicHostSide(c, vpcId), natRecordPath(c, vpcId), vlans),
  ].join('\n');
  const s = splitSections(await c.ssh.runOk(script, signal, `Reading the NAT of VPC ${vpcId}`));
  const addr = s.get('addr');
  const links = addr ? new Map((JSON.parse(addr) as Link[]).map((l) => [l.ifname, l])) : null;
  const [hostSide] = JSON.parse(s.get('host') || '[]') as Link[];
  let record: NatState | null = null;
  try {
    record = JSON.parse(s.get('record')?.trim() || 'null') as NatState | null;
  } catch {
    // A record cut or edited by hand is no record.
  }
  return {
    ns,
    ruleset: parseRuleset(s.get('nft') ?? ''),
    links,
    hostSide,
    lb: parseLbHost(vpcId, s),
    record,
    vlans: parseVlanHost(s),
  };
}

/** The VPC's NAT state; an absent namespace is INVALID_REQUEST, a same-named table not ours RESOURCE_CONFLICT. */
export function stateOf(c: Ctx, vpcId: string, v: VpcNat): NatState {
  const lo = v.links?.get('lo');
  if (!v.links || !v.ruleset) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `VPC ${vpcId} is not implemented on the router host: implementVpc first`,
    );
  }
  if (parseTag(lo?.ifalias)?.vpc !== vpcId) throw conflict('namespace', v.ns, lo, `VPC ${vpcId}`);
  const st = natStateOf(c, vpcId, v.ruleset);
  if (st === 'foreign') {
    throw new AdapterError(
      'RESOURCE_CONFLICT',
      `NAT of VPC ${vpcId}: nft table ip ${natTable(c, vpcId)} exists in ${v.ns} and is not Netplane's`,
      { conflict: { resource: 'nft-table', name: natTable(c, vpcId), owner: 'not Netplane' } },
    );
  }
  // A table flushed by hand: the record says what it held, so any NAT call of the VPC restores all of it.
  const state = st ?? v.record ?? { snat: null, statics: [], pfs: [] };
  // The table does not hold the public VLAN: the veth's tag does, else the record.
  return { ...state, vlan: currentVlan(v) };
}

/** The public VLAN the VPC's public side is on (its veth's tag), else the one last applied (the record). */
export function currentVlan(v: VpcNat): number | null {
  if (v.hostSide) return vlanOfLink(v.hostSide);
  // The record is a file on the host: only a VLAN id from it reaches a script.
  const r = v.record?.vlan;
  return Number.isInteger(r) && (r as number) >= 1 && (r as number) <= 4094 ? (r as number) : null;
}

/**
 * The public side, the NAT table and the firewall table as `want` and `lb` say (the LB rules default to what the
 * host holds), only what differs from what `v` holds; `lb.script` (src/lb) runs last, once the addresses exist.
 */
export async function write(
  c: Ctx,
  vpcId: string,
  v: VpcNat,
  want: NatState,
  signal: AbortSignal,
  lb: { rules: readonly LbRule[]; script: string } = { rules: v.lb.rules, script: '' },
): Promise<boolean> {
  const vlan = want.vlan ?? null;
  requirePublicSide(c, vlan);
  const bridge = publicBridgeFor(c, vlan);
  const [p, pq] = [publicHostSide(c, vpcId), publicRouterSide(c, vpcId)];
  const tag = publicTag(vpcId, vlan);
  const what = `Public side of VPC ${vpcId}`;
  if (v.hostSide && parseTag(v.hostSide.ifalias)?.vpc !== vpcId)
    throw conflict('interface', p, v.hostSide, what);
  const root = vlan === null ? [] : ensureVlan(c, v.vlans, vlan, what);
  const inside = v.links?.get(pq);
  if (!v.hostSide || !inside) {
    if (v.hostSide) root.push(`link del dev ${p}`);
    root.push(`link add name ${p} type veth peer name ${pq} netns ${v.ns}`, `link set dev ${p} alias ${tag}`);
  } else if (v.hostSide.ifalias !== tag) root.push(`link set dev ${p} alias ${tag}`);
  // Moved off another public VLAN: that VLAN's bridge goes once no VPC is on it.
  const was = v.hostSide ? vlanOfLink(v.hostSide) : null;
  const release = was !== null && was !== vlan ? releaseVlanScript(c, was) : '';
  if (!v.hostSide || !inside || v.hostSide.master !== bridge) {
    root.push(`link set dev ${p} master ${bridge}`, `link set dev ${p} up`);
  }
  const has = new Set(
    (inside?.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
  );
  const wanted = new Set([...want.statics, ...want.pfs, ...lb.rules].map((r) => `${r.publicIp}/32`));
  if (want.snat) {
    wanted.delete(`${want.snat.ip}/32`);
    wanted.add(`${want.snat.ip}/${want.snat.plen}`);
  }
  const fresh = !v.hostSide || !inside;
  const inNs: string[] = [];
  if (fresh || inside?.ifalias !== tag) inNs.push(`link set dev ${pq} alias ${tag}`, `link set dev ${pq} up`);
  for (const a of wanted) if (fresh || !has.has(a)) inNs.push(`addr replace ${a} dev ${pq}`);
  if (!fresh) for (const a of has) if (!wanted.has(a)) inNs.push(`addr del ${a} dev ${pq}`);
  if (want.snat?.gateway) inNs.push(`route replace default via ${want.snat.gateway} dev ${pq}`);
  const table = renderTable(c, vpcId, want);
  const current = v.ruleset ? natStateOf(c, vpcId, v.ruleset) : null;
  const same = current !== 'foreign' && current !== null && renderTable(c, vpcId, current) === table;
  const fw = v.ruleset ? firewallStatus(c, vpcId, v.ruleset, want, lb.rules) : 'missing';
  if (fw === 'foreign') {
    const name = fwTable(c, vpcId);
    throw new AdapterError(
      'RESOURCE_CONFLICT',
      `Firewall of VPC ${vpcId}: nft table inet ${name} exists in ${v.ns} and is not Netplane's`,
      { conflict: { resource: 'nft-table', name, owner: 'not Netplane' } },
    );
  }
  const routeOnly = inNs.every((l) => l.startsWith('route replace'));
  if (root.length === 0 && routeOnly && same && fw === 'current' && lb.script === '') return false;
  await c.ssh.runOk(
    [
      lockPreamble(c.stateRoot),
      precondition(c, v.vlans, vlan),
      ipBatch(root),
      release,
      ipBatch(inNs, v.ns),
      // One transaction: the NAT and the firewall that lets its flows in change together.
      `ip netns exec ${q(v.ns)} nft -f - <<'NETPLANE_EOF'\n${table}${renderFirewall(c, vpcId, want, lb.rules)}NETPLANE_EOF`,
      // What was applied, beside the table: the Realized check still knows the rules after a flush by hand.
      writeFile(natRecordPath(c, vpcId), JSON.stringify(want)),
      lb.script,
    ].join('\n'),
    signal,
    lb.script === '' ? `Applying the NAT of VPC ${vpcId}` : `Applying the load balancer of VPC ${vpcId}`,
  );
  return true;
}

export const badIp = (what: string, ip: unknown) => {
  if (typeof ip !== 'string' || !isIPv4(ip)) {
    throw new AdapterError('INVALID_REQUEST', `Invalid ${what}: ${JSON.stringify(ip)?.slice(0, 40)}`);
  }
};

export function ipConflict(what: string, ip: string, owner: string): AdapterError {
  return new AdapterError('RESOURCE_CONFLICT', `${what}: public IP ${ip} is already used by ${owner}`, {
    conflict: { resource: 'public-ip', name: ip, owner },
  });
}

/** Checks the public IP is free of anything but `self` (an address elsewhere in the namespace, someone's NAT). */
export function checkFree(c: Ctx, vpcId: string, v: VpcNat, ip: string, what: string) {
  const foreign = v.ruleset ? foreignNatOn(c, vpcId, v.ruleset, ip) : null;
  if (foreign) throw ipConflict(what, ip, `nft table ${foreign}, not Netplane's`);
  for (const l of v.links?.values() ?? []) {
    if (l.ifname === publicRouterSide(c, vpcId)) continue;
    if (l.addr_info?.some((a) => a.local === ip))
      throw ipConflict(what, ip, `interface ${l.ifname} of ${v.ns}`);
  }
}

export async function applySourceNat(c: Ctx, n: NetworkSpec, signal: AbortSignal): Promise<void> {
  const vlan = n.publicNetwork?.vlan ?? null;
  requirePublicSide(c, vlan);
  const ip = n.sourceNatIp as string;
  badIp('source NAT IP', ip);
  const pn = n.publicNetwork;
  if (pn) badIp('public gateway', pn.gateway);
  const plen = pn ? Number(pn.cidr.split('/')[1]) : 32;
  if (!Number.isInteger(plen) || plen < 8 || plen > 32) badIp('public CIDR', pn?.cidr);
  const v = await readVpcNat(c, n.vpcId, signal, vlan === null ? [] : [vlan]);
  const st = stateOf(c, n.vpcId, v);
  const what = `Source NAT of VPC ${n.vpcId}`;
  const other = st.statics.find((r) => r.publicIp === ip);
  if (other) throw ipConflict(what, ip, `static NAT rule ${other.ruleId}`);
  checkFree(c, n.vpcId, v, ip, what);
  // The first tier's spec names the source NAT; another tier of the VPC with the same address adopts it.
  const keep = st.snat?.ip === ip ? st.snat.networkId : n.networkId;
  const snat = { networkId: keep, ip, plen, gateway: pn?.gateway ?? null };
  await write(c, n.vpcId, v, { ...st, snat, vlan }, signal);
}

export async function applyStaticNat(
  c: Ctx,
  rule: StaticNatSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  for (const k of ['ruleId', 'vpcId', 'networkId', 'nicId'] as const) checkId(k, rule[k]);
  badIp('public IP', rule.publicIp);
  badIp('private IP', rule.privateIp);
  requirePublicSide(c, undefined);
  const v = await readVpcNat(c, rule.vpcId, signal);
  const st = stateOf(c, rule.vpcId, v);
  const what = `Static NAT rule ${rule.ruleId}`;
  const mine = st.statics.find((r) => r.ruleId === rule.ruleId);
  const holder = st.statics.find((r) => r.publicIp === rule.publicIp && r.ruleId !== rule.ruleId);
  if (holder) throw ipConflict(what, rule.publicIp, `static NAT rule ${holder.ruleId}`);
  if (st.snat?.ip === rule.publicIp)
    throw ipConflict(what, rule.publicIp, `the source NAT of VPC ${rule.vpcId}`);
  const lbHolder = v.lb.rules.find((r) => r.publicIp === rule.publicIp);
  if (lbHolder) throw ipConflict(what, rule.publicIp, `load balancing rule ${lbHolder.ruleId}`);
  checkFree(c, rule.vpcId, v, rule.publicIp, what);
  const entry = {
    ruleId: rule.ruleId,
    networkId: rule.networkId,
    publicIp: rule.publicIp,
    privateIp: rule.privateIp,
  };
  const statics = [...st.statics.filter((r) => r.ruleId !== rule.ruleId), entry];
  await write(c, rule.vpcId, v, { ...st, statics }, signal);
  return { adopted: mine !== undefined };
}

export async function revokeStaticNat(c: Ctx, ref: StaticNatRef, signal: AbortSignal): Promise<void> {
  for (const k of ['ruleId', 'vpcId', 'networkId'] as const) checkId(k, ref[k]);
  const v = await readVpcNat(c, ref.vpcId, signal);
  if (!v.ruleset || !v.links) return;
  const st = natStateOf(c, ref.vpcId, v.ruleset) ?? v.record;
  if (!st || st === 'foreign' || !st.statics.some((r) => r.ruleId === ref.ruleId)) return;
  await write(c, ref.vpcId, v, { ...st, statics: st.statics.filter((r) => r.ruleId !== ref.ruleId) }, signal);
}
