// observe(): what the Northbound database holds of ours, read from the monitor cache (so drift shows in seconds).
import type { ObservedResource, ObserveScope } from '@netplane/adapter-sdk';
import { type CachedRow, optional, type TableCache, toAtoms, toRecord, toUuids } from '@netplane/ovsdb';
import { coreDhcpOptions } from './dhcp';
import { GATEWAY_SERVICES } from './gateway';
import { gatewayIssuesOf } from './gateway-observe';
import { EXT, names, prefixLength } from './names';
import type { NbDatabase } from './nb';
import { DEFAULT_ACL_RULES, defaultAclRules } from './network-rows';
import { observeAclLists } from './observe-acl';
import { observeBalancers } from './observe-lb';

const str = (v: unknown) => (v === undefined ? '' : String(v));

type Cache = Pick<TableCache, 'rows'>;

export async function observe(
  db: NbDatabase,
  scope: ObserveScope,
  signal: AbortSignal,
): Promise<ObservedResource[]> {
  return observeRows((await db.cache(signal)).cache, scope);
}

/** observe() of any replica of our rows: the monitor cache, or the snapshot the Realized check reads (realized/). */
export function observeRows(cache: Cache, scope: ObserveScope): ObservedResource[] {
  const wanted = scope.networkIds ? new Set(scope.networkIds) : undefined;
  const inScope = (ext: Record<string, string>, networkScoped: boolean) => {
    if (scope.vpcId !== undefined && ext[EXT.vpcId] !== scope.vpcId) return false;
    if (wanted) return networkScoped && wanted.has(ext[EXT.networkId] ?? '');
    return true;
  };
  const rows = (table: string, networkScoped = true) =>
    [...cache.rows(table)]
      .map((row) => ({ row, ext: toRecord(row.external_ids) }))
      .filter(({ ext }) => inScope(ext, networkScoped));
  const out: ObservedResource[] = [];

  for (const { row, ext } of rows('Logical_Router', false)) {
    out.push({
      kind: 'vpc',
      id: ext[EXT.vpcId] ?? '',
      name: str(row.name),
      attributes: { cidr: ext[EXT.cidr] ?? '' },
    });
  }
  const groups = new Map<string, CachedRow>();
  for (const row of cache.rows('Port_Group'))
    groups.set(toRecord(row.external_ids)[EXT.networkId] ?? '', row);
  const dhcpOf = byNetwork(cache, 'DHCP_Options');

  // The VPC's external switch is part of its gateway, not a tier.
  const tiers = rows('Logical_Switch').filter(({ ext }) => ext[EXT.role] !== 'external');
  out.push(...observeNetworks(cache, tiers, groups, dhcpOf));

  for (const { row, ext } of rows('Logical_Switch_Port')) {
    const nicId = ext[EXT.nicId];
    if (nicId === undefined) continue; // the switch's router-type port is part of the network
    const networkId = ext[EXT.networkId] ?? '';
    const name = str(row.name);
    const addresses = str(optional(row.addresses));
    const [mac = '', ip = ''] = addresses.split(' ');
    const portSecurity = toAtoms(row.port_security).map(String).join(',');
    const attributes: Record<string, string> = { mac, ip, networkId, portSecurity };
    const issues: string[] = [];
    const pg = groups.get(networkId);
    if (pg) {
      const member = toUuids(pg.ports).includes(row._uuid);
      attributes.portGroup = member ? 'member' : 'missing';
      if (!member) issues.push(`port ${name} is not in port group ${str(pg.name)}`);
    }
    if (portSecurity !== addresses) {
      issues.push(`port_security of port ${name} is '${portSecurity}', expected '${addresses}'`);
    }
    // Only while the tier's DHCP row exists: without it the network reports the loss, and its repair re-points us.
    if (dhcpOf.has(networkId) && toUuids(row.dhcpv4_options).length === 0) {
      issues.push(`port ${name} has no DHCP options`);
    }
    out.push({ kind: 'nic', id: nicId, name, attributes, ...(issues.length > 0 ? { issues } : {}) });
  }
  for (const { row, ext } of rows('ACL')) {
    out.push({
      kind: 'acl',
      id: `${ext[EXT.networkId]}/${ext[EXT.rule]}`,
      name: str(optional(row.name)),
      attributes: {
        direction: str(row.direction),
        priority: str(row.priority),
        match: str(row.match),
        action: str(row.action),
      },
    });
  }
  const acls = new Map([...cache.rows('ACL')].map((row) => [row._uuid, row]));
  const tierNames = new Map(
    rows('Logical_Switch').map(({ ext }) => [ext[EXT.networkId] ?? '', ext[EXT.name]]),
  );
  out.push(
    ...observeAclLists(
      rows('Port_Group').map(({ row }) => row),
      acls,
      (id) => `tier ${tierNames.get(id) ?? id}`,
    ),
  );
  for (const { row, ext } of rows('DHCP_Options')) {
    const o = toRecord(row.options);
    out.push({
      kind: 'dhcp',
      id: ext[EXT.networkId] ?? '',
      name: str(row.cidr),
      attributes: {
        cidr: str(row.cidr),
        router: o.router ?? '',
        serverId: o.server_id ?? '',
        leaseTime: o.lease_time ?? '',
      },
    });
  }
  for (const { row, ext } of rows('NAT')) {
    const ruleId = ext[EXT.ruleId];
    out.push({
      kind: 'nat',
      // a static NAT is named by its rule id; the tier's source NAT by <networkId>/snat
      id: ruleId ?? `${ext[EXT.networkId]}/${ext[EXT.rule]}`,
      name: `${str(row.type)} ${str(row.logical_ip)}`,
      attributes: {
        type: str(row.type),
        externalIp: str(row.external_ip),
        logicalIp: str(row.logical_ip),
        ...(ruleId ? { networkId: ext[EXT.networkId] ?? '', nicId: ext[EXT.nicId] ?? '' } : {}),
      },
    });
  }
  out.push(...observeBalancers(cache, rows('Load_Balancer')));
  return out.sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id) || a.name.localeCompare(b.name),
  );
}

function byNetwork(cache: Cache, table: string): Map<string, CachedRow[]> {
  const m = new Map<string, CachedRow[]>();
  for (const row of cache.rows(table)) {
    const id = toRecord(row.external_ids)[EXT.networkId] ?? '';
    m.set(id, [...(m.get(id) ?? []), row]);
  }
  return m;
}

type Tagged = { row: CachedRow; ext: Record<string, string> };

/** The tiers, each with what implementNetwork would have made for it that is missing or changed, as issues. */
function observeNetworks(
  cache: Cache,
  switches: Tagged[],
  groups: Map<string, CachedRow>,
  dhcpOf: Map<string, CachedRow[]>,
): ObservedResource[] {
  const routerPorts = new Map<string, CachedRow>();
  for (const row of cache.rows('Logical_Router_Port')) routerPorts.set(str(row.name), row);
  const localnets = new Map<string, string>();
  for (const row of cache.rows('Logical_Switch_Port')) {
    if (row.type !== 'localnet') continue;
    localnets.set(
      toRecord(row.external_ids)[EXT.networkId] ?? '',
      `${toRecord(row.options).network_name ?? ''}/${str(optional(row.tag_request))}`,
    );
  }
  const acls = new Map<string, CachedRow>();
  for (const row of cache.rows('ACL')) acls.set(row._uuid, row);
  const snats = new Map<string, CachedRow>();
  for (const row of cache.rows('NAT')) {
    const ext = toRecord(row.external_ids);
    if (ext[EXT.rule] === 'snat') snats.set(ext[EXT.networkId] ?? '', row);
  }
  const gateways = gatewayIssuesOf(cache);
  const switchRouterPorts = new Set(
    [...cache.rows('Logical_Switch_Port')].filter((r) => r.type === 'router').map((r) => str(r.name)),
  );

  return switches.map(({ row, ext }) => {
    const id = ext[EXT.networkId] ?? '';
    const cidr = ext[EXT.cidr] ?? '';
    const gateway = ext['netplane:gateway'] ?? '';
    const tier = `tier ${ext[EXT.name] ?? id}`;
    const services = new Set((ext[EXT.services] ?? '').split(','));
    const issues: string[] = [];
    // A part the tier was implemented with reads "missing" when it is gone, so drift names what to repair.
    const lrp = routerPorts.get(names.routerPort(id));
    const hasRtr = switchRouterPorts.has(names.switchRouterPort(id));
    const routerPort = lrp && hasRtr ? toAtoms(lrp.networks).map(String).join(',') : 'missing';
    if (!lrp) issues.push(`router port ${names.routerPort(id)} of ${tier} is missing`);
    if (!hasRtr) issues.push(`switch port ${names.switchRouterPort(id)} of ${tier} is missing`);
    const expectedNetworks = safeNetworks(gateway, cidr);
    if (lrp && expectedNetworks && routerPort !== 'missing' && routerPort !== expectedNetworks) {
      issues.push(`router port of ${tier} has networks '${routerPort}', expected '${expectedNetworks}'`);
    }
    const parts: Record<string, string> = {};
    if ((ext['netplane:broadcast_uri'] ?? '').startsWith('vlan://')) {
      parts.localnet = localnets.get(id) ?? 'missing';
      if (parts.localnet === 'missing') issues.push(`localnet port of ${tier} is missing`);
    }
    if (services.has('Dhcp')) {
      const dhcp = dhcpOf.get(id)?.[0];
      parts.dhcp = str(dhcp?.cidr ?? 'missing');
      if (!dhcp) issues.push(`DHCP_Options of ${tier} are missing`);
      else {
        const o = toRecord(dhcp.options);
        if (str(dhcp.cidr) !== cidr)
          issues.push(`DHCP_Options of ${tier} have cidr ${str(dhcp.cidr)}, expected ${cidr}`);
        for (const [k, v] of Object.entries(coreDhcpOptions({ networkId: id, gateway }))) {
          if (o[k] !== v) issues.push(`DHCP_Options of ${tier} have ${k} '${o[k] ?? ''}', expected '${v}'`);
        }
      }
    }
    if (services.has('NetworkACL')) {
      const pg = groups.get(id);
      const mine = pg ? toUuids(pg.acls).flatMap((u) => acls.get(u) ?? []) : [];
      const rules = mine.map((a) => toRecord(a.external_ids)[EXT.rule] ?? '').sort();
      parts.networkAcl =
        pg && DEFAULT_ACL_RULES.every((r) => rules.includes(r)) ? rules.join(',') : 'missing';
      if (!pg) issues.push(`port group ${names.portGroup(id)} of ${tier} is missing`);
      else {
        for (const want of defaultAclRules({ networkId: id, cidr })) {
          const have = mine.find((a) => toRecord(a.external_ids)[EXT.rule] === want.rule);
          const label = `ACL ${want.direction} ${want.priority} '${want.match}' of ${tier}`;
          if (!have) {
            issues.push(`${label} is missing`);
            continue;
          }
          const got = `${str(have.direction)} ${str(have.priority)} '${str(have.match)}' ${str(have.action)}`;
          const expected = `${want.direction} ${want.priority} '${want.match}' ${want.action}`;
          if (got !== expected) issues.push(`ACL ${want.rule} of ${tier} is ${got}, expected ${expected}`);
        }
      }
    }
    // The tier's SNAT, static NAT and LB go out through the VPC's gateway: repairing the tier rebuilds it.
    if (GATEWAY_SERVICES.some((s) => services.has(s)))
      issues.push(...(gateways.get(ext[EXT.vpcId] ?? '')?.(tier) ?? []));
    if (services.has('SourceNat')) {
      parts.sourceNat = str(snats.get(id)?.external_ip ?? 'missing');
      if (parts.sourceNat === 'missing') issues.push(`source NAT of ${tier} is missing`);
    }
    return {
      kind: 'network' as const,
      id,
      name: str(row.name),
      attributes: {
        cidr,
        gateway,
        broadcastUri: ext['netplane:broadcast_uri'] ?? '',
        routerPort,
        ...parts,
      },
      ...(issues.length > 0 ? { issues } : {}),
    };
  });
}

function safeNetworks(gateway: string, cidr: string): string | undefined {
  try {
    return `${gateway}/${prefixLength(cidr)}`;
  } catch {
    return undefined;
  }
}
