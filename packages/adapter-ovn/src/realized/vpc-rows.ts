// The Northbound rows behind each observed resource (same kinds and ids as observe() reports), indexed from the
// snapshot the Realized check took, and what to look up in the Southbound for them.
import type { ObservedResource } from '@netplane/adapter-sdk';
import { type CachedRow, optional, type TableCache, toRecord, toUuids } from '@netplane/ovsdb';
import { LIST_RULE_PREFIX } from '../acl-list';
import { EXT } from '../names';
import type { SbWants } from './sb-facts';

type Snapshot = Pick<TableCache, 'rows' | 'get'>;

export type Gateway =
  | { port: string; chassis: string[] }
  /** Why the router has no way out: no gateway port recorded, the port gone, or no chassis bound to it. */
  | { missing: string };

export class VpcRows {
  readonly router: CachedRow | undefined;
  readonly gateway: Gateway;

  constructor(
    private readonly snap: Snapshot,
    vpcId: string,
  ) {
    this.router = this.all('Logical_Router').find((r) => ext(r)[EXT.vpcId] === vpcId);
    this.gateway = this.gatewayOf(this.router);
  }

  /** The tier's Logical_Switch (never the VPC's external switch). */
  tierSwitch(networkId: string): CachedRow | undefined {
    return this.all('Logical_Switch').find(
      (r) => ext(r)[EXT.networkId] === networkId && ext(r)[EXT.role] !== 'external',
    );
  }

  nicPort(nicId: string): CachedRow | undefined {
    return this.all('Logical_Switch_Port').find((r) => ext(r)[EXT.nicId] === nicId);
  }

  portGroup(networkId: string): CachedRow | undefined {
    return this.all('Port_Group').find((r) => ext(r)[EXT.networkId] === networkId);
  }

  /** The ACL rows of a resource: one for `<networkId>/<rule>`, the list's rows for `<networkId>/list`. */
  acls(id: string): CachedRow[] {
    const [networkId = '', rule = ''] = splitOnce(id);
    const pg = this.portGroup(networkId);
    if (rule === 'list') {
      return toUuids(pg?.acls)
        .flatMap((u) => this.snap.get('ACL', u) ?? [])
        .filter((a) => (ext(a)[EXT.rule] ?? '').startsWith(LIST_RULE_PREFIX));
    }
    return this.all('ACL').filter((a) => ext(a)[EXT.networkId] === networkId && ext(a)[EXT.rule] === rule);
  }

  dhcp(networkId: string): CachedRow | undefined {
    return this.all('DHCP_Options').find((r) => ext(r)[EXT.networkId] === networkId);
  }

  /** The ports of ours that take their addresses from a DHCP_Options row: without one, it compiles to no flow. */
  dhcpUsers(dhcpUuid: string): CachedRow[] {
    return this.all('Logical_Switch_Port').filter((p) => toUuids(p.dhcpv4_options).includes(dhcpUuid));
  }

  /** A static NAT by its rule id, or a tier's source NAT by `<networkId>/snat`. */
  nat(id: string): CachedRow | undefined {
    const [networkId, rule] = splitOnce(id);
    return this.all('NAT').find((r) => {
      const e = ext(r);
      return (
        e[EXT.ruleId] === id || (rule !== undefined && e[EXT.networkId] === networkId && e[EXT.rule] === rule)
      );
    });
  }

  balancer(ruleId: string): CachedRow | undefined {
    return this.all('Load_Balancer').find((r) => ext(r)[EXT.ruleId] === ruleId);
  }

  /** Everything the resources' verdicts need from the Southbound, in one read. */
  wants(resources: readonly ObservedResource[]): SbWants {
    const switches = new Set<string>();
    const ports = new Set<string>();
    const flowRows = new Set<string>();
    for (const r of resources) {
      const networkId = r.attributes.networkId ?? splitOnce(r.id)[0] ?? '';
      const tier = this.tierSwitch(r.kind === 'network' || r.kind === 'dhcp' ? r.id : networkId);
      if (tier) switches.add(tier._uuid);
      if (r.kind === 'nic') ports.add(r.name);
      if (r.kind === 'acl') for (const a of this.acls(r.id)) flowRows.add(a._uuid);
      const row = this.rowOf(r);
      if (row && r.kind !== 'nic' && r.kind !== 'vpc' && r.kind !== 'network') flowRows.add(row._uuid);
    }
    if ('port' in this.gateway) ports.add(chassisRedirect(this.gateway.port));
    return {
      routers: this.router ? [this.router._uuid] : [],
      switches: [...switches],
      ports: [...ports],
      flowRows: [...flowRows],
      chassisNames: 'port' in this.gateway ? this.gateway.chassis : [],
    };
  }

  /** The one row a dhcp, nat, lb or pf resource stands for. */
  rowOf(r: ObservedResource): CachedRow | undefined {
    if (r.kind === 'dhcp') return this.dhcp(r.id);
    if (r.kind === 'nat') return this.nat(r.id);
    if (r.kind === 'lb' || r.kind === 'pf') return this.balancer(r.id);
    return undefined;
  }

  private gatewayOf(router: CachedRow | undefined): Gateway {
    const port = router ? ext(router)[EXT.gatewayPort] : undefined;
    if (!router) return { missing: 'the VPC has no Logical_Router' };
    if (!port) return { missing: `router ${String(router.name)} has no gateway port` };
    const lrp = this.all('Logical_Router_Port').find((p) => p.name === port);
    if (!lrp) return { missing: `gateway port ${port} of router ${String(router.name)} is gone` };
    const chassis = toUuids(lrp.gateway_chassis).flatMap((u) => {
      const gc = this.snap.get('Gateway_Chassis', u);
      return gc ? [String(gc.chassis_name)] : [];
    });
    // A binding we did not make (an HA chassis group, a Gateway_Chassis row not tagged ours) still gives a way out.
    if (toUuids(lrp.gateway_chassis).length === 0 && optional(lrp.ha_chassis_group) === undefined)
      return { missing: `gateway port ${port} of router ${String(router.name)} has no gateway chassis` };
    return { port, chassis };
  }

  private all(table: string): CachedRow[] {
    return [...this.snap.rows(table)];
  }
}

export const chassisRedirect = (port: string): string => `cr-${port}`;

const ext = (r: CachedRow): Record<string, string> => toRecord(r.external_ids);

function splitOnce(id: string): [string, string | undefined] {
  const i = id.indexOf('/');
  return i < 0 ? [id, undefined] : [id.slice(0, i), id.slice(i + 1)];
}
