// What the connectivity check needs to know of a VPC's Northbound rows, read from the monitor cache: the MACs a packet
// is addressed to (tier router ports, the gateway port), which tier or NIC a logical port is, and the rows of ours a
// logical flow came from (ACLs with their list and rule, NAT rows, load balancers), so hops name our objects.
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import {
  type CachedRow,
  type Monitor,
  optional,
  type TableCache,
  toAtoms,
  toRecord,
  toUuids,
} from '@netplane/ovsdb';
import { ACL_LIST_KEY, ACL_SPEC_KEY, type AclSpecRecord, LIST_RULE_PREFIX } from '../acl-list';
import { EXT, names } from '../names';
import type { NbDatabase } from '../nb';
import { PF_ROLE } from '../port-forwarding';

const str = (v: unknown) => (v === undefined ? '' : String(v));

/** Where a logical port is: a tier's switch, or the VPC's external switch (its gateway to the public network). */
export type PortPlace =
  | { kind: 'tier'; networkId: string; nicId?: string; ip?: string }
  | { kind: 'external'; localnet: boolean };

/** The ACL row a flow came from, with the list it belongs to (the list rule's own spec when it is one). */
export type AclOrigin = {
  networkId: string;
  listId: string;
  listName: string;
  /** Undefined for the tier's fixed rows (egress, intra-tier, default-deny): the list's implicit part. */
  rule?: AclSpecRecord['rules'][number];
  fixed?: string;
  action: 'allow' | 'deny';
  trafficType: 'Ingress' | 'Egress';
};

export type NatOrigin = { type: string; ruleId?: string; externalIp: string; logicalIp: string };
export type LbOrigin = { ruleId: string; name?: string; portForwarding: boolean; backends: string[] };

export type VpcView = {
  routerMac(networkId: string): string | undefined;
  gatewayMac(): string | undefined;
  place(port: string): PortPlace | undefined;
  /** The MAC of our NIC port with this IP on the tier, for a packet switched inside it. */
  macOf(networkId: string, ip: string): string | undefined;
  /** direction from-lport (ls_in_acl) or to-lport (ls_out_acl), the NB priority and match. */
  acl(direction: 'from-lport' | 'to-lport', priority: number, match: string): AclOrigin | undefined;
  natByExternalIp(ip: string, types: readonly string[]): NatOrigin | undefined;
  /** The load balancer of ours with this VIP (`ip:port`). */
  lb(vip: string): LbOrigin | undefined;
};

function readRecord(text: string | undefined): AclSpecRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as AclSpecRecord;
    return Array.isArray(r.rules) ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Views by monitor, dropped at its next change: the hundreds of traces of a matrix read one view of an unchanged VPC
 * instead of walking its rows (thousands with 1,000 NICs) each.
 */
const VIEWS = new WeakMap<Monitor, Map<string, VpcView>>();

export async function readVpcView(db: NbDatabase, vpcId: string, signal: AbortSignal): Promise<VpcView> {
  const m = await db.cache(signal);
  let views = VIEWS.get(m);
  if (!views) {
    const fresh = new Map<string, VpcView>();
    m.onChange(() => fresh.clear());
    VIEWS.set(m, fresh);
    views = fresh;
  }
  const known = views.get(vpcId);
  if (known) return known;
  const view = viewOf(m.cache, vpcId);
  views.set(vpcId, view);
  return view;
}

function viewOf(cache: TableCache, vpcId: string): VpcView {
  const ours = (table: string) =>
    [...cache.rows(table)].filter((r) => toRecord(r.external_ids)[EXT.vpcId] === vpcId);
  const byName = (rows: CachedRow[]) => new Map(rows.map((r) => [str(r.name), r]));
  const lrps = byName(ours('Logical_Router_Port'));
  const lsps = ours('Logical_Switch_Port');
  const lspByUuid = new Map(lsps.map((r) => [r._uuid, r]));

  const places = new Map<string, PortPlace>();
  const macs = new Map<string, string>();
  for (const sw of ours('Logical_Switch')) {
    const ext = toRecord(sw.external_ids);
    const external = ext[EXT.role] === 'external' || str(sw.name) === names.externalSwitch(vpcId);
    for (const u of toUuids(sw.ports)) {
      const lsp = lspByUuid.get(u);
      if (!lsp) continue;
      const name = str(lsp.name);
      const lspExt = toRecord(lsp.external_ids);
      if (external) {
        places.set(name, { kind: 'external', localnet: str(optional(lsp.type)) === 'localnet' });
        continue;
      }
      const networkId = ext[EXT.networkId] ?? '';
      const nicId = lspExt[EXT.nicId];
      const [mac, ip] = toAtoms(lsp.addresses).map(String)[0]?.split(' ') ?? [];
      places.set(name, { kind: 'tier', networkId, ...(nicId ? { nicId } : {}), ...(ip ? { ip } : {}) });
      if (nicId && mac && ip) macs.set(`${networkId}|${ip}`, mac);
    }
  }

  // ACL rows by what northd compiles them to: the stage (direction), the priority and the match.
  const acls = new Map<string, AclOrigin>();
  const aclRows = new Map([...cache.rows('ACL')].map((r) => [r._uuid, r]));
  for (const pg of ours('Port_Group')) {
    const ext = toRecord(pg.external_ids);
    const networkId = ext[EXT.networkId] ?? '';
    // A tier no list was applied to holds only its fixed rows: what the built-in default_deny makes.
    const listId = ext[ACL_LIST_KEY] ?? DEFAULT_DENY_ACL_ID;
    const record = readRecord(ext[ACL_SPEC_KEY]);
    const listName = record?.listName ?? (ext[ACL_LIST_KEY] ? listId : 'default_deny');
    for (const u of toUuids(pg.acls)) {
      const row = aclRows.get(u);
      if (!row) continue;
      const tag = toRecord(row.external_ids)[EXT.rule] ?? '';
      const direction = str(row.direction);
      const number = tag.startsWith(LIST_RULE_PREFIX)
        ? Number(tag.slice(LIST_RULE_PREFIX.length))
        : undefined;
      const rule = number === undefined ? undefined : record?.rules.find((r) => r.number === number);
      acls.set(`${direction}|${str(row.priority)}|${str(row.match)}`, {
        networkId,
        listId,
        listName,
        ...(rule ? { rule } : { fixed: tag }),
        action: str(row.action) === 'drop' || str(row.action) === 'reject' ? 'deny' : 'allow',
        trafficType: direction === 'to-lport' ? 'Ingress' : 'Egress',
      });
    }
  }

  const nats = ours('NAT').map((r) => ({
    type: str(r.type),
    externalIp: str(r.external_ip),
    logicalIp: str(r.logical_ip),
    ruleId: toRecord(r.external_ids)[EXT.ruleId],
  }));
  const lbs = new Map<string, LbOrigin>();
  for (const r of ours('Load_Balancer')) {
    const ext = toRecord(r.external_ids);
    for (const [vip, backends] of Object.entries(toRecord(r.vips))) {
      lbs.set(vip, {
        ruleId: ext[EXT.ruleId] ?? '',
        ...(ext[EXT.name] ? { name: ext[EXT.name] } : {}),
        portForwarding: ext[EXT.role] === PF_ROLE,
        backends: backends.split(',').filter(Boolean),
      });
    }
  }

  return {
    routerMac: (networkId) => str(optional(lrps.get(names.routerPort(networkId))?.mac)) || undefined,
    gatewayMac: () => str(optional(lrps.get(names.gatewayPort(vpcId))?.mac)) || undefined,
    place: (port) => places.get(port),
    macOf: (networkId, ip) => macs.get(`${networkId}|${ip}`),
    acl: (direction, priority, match) => acls.get(`${direction}|${priority}|${match}`),
    natByExternalIp: (ip, types) => nats.find((x) => x.externalIp === ip && types.includes(x.type)),
    lb: (vip) => lbs.get(vip),
  };
}
