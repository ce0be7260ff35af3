// observe(): what the Northbound database holds of ours, read from the monitor cache (so drift shows in seconds).
import type { ObservedResource, ObserveScope } from '@netplane/adapter-sdk';
import { type CachedRow, optional, toAtoms, toRecord, toUuids } from '@netplane/ovsdb';
import { EXT, names } from './names';
import type { NbDatabase } from './nb';
import { DEFAULT_ACL_RULES } from './network-rows';

const str = (v: unknown) => (v === undefined ? '' : String(v));

export async function observe(
  db: NbDatabase,
  scope: ObserveScope,
  signal: AbortSignal,
): Promise<ObservedResource[]> {
  const { cache } = await db.cache(signal);
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
  const routerPorts = new Map<string, CachedRow>();
  for (const { row } of rows('Logical_Router_Port')) routerPorts.set(str(row.name), row);
  const groupMembers = new Set<string>();
  const groupNetworks = new Set<string>();
  for (const row of cache.rows('Port_Group')) {
    groupNetworks.add(toRecord(row.external_ids)[EXT.networkId] ?? '');
    for (const p of toUuids(row.ports)) groupMembers.add(p);
  }

  const localnets = new Map<string, string>();
  for (const row of cache.rows('Logical_Switch_Port')) {
    if (row.type !== 'localnet') continue;
    const ext = toRecord(row.external_ids);
    localnets.set(
      ext[EXT.networkId] ?? '',
      `${toRecord(row.options).network_name ?? ''}/${str(optional(row.tag_request))}`,
    );
  }
  const byNetwork = (table: string) => {
    const m = new Map<string, CachedRow[]>();
    for (const row of cache.rows(table)) {
      const id = toRecord(row.external_ids)[EXT.networkId] ?? '';
      m.set(id, [...(m.get(id) ?? []), row]);
    }
    return m;
  };
  const [dhcpOf, aclsOf, natsOf] = [byNetwork('DHCP_Options'), byNetwork('ACL'), byNetwork('NAT')];
  const switchRouterPorts = new Set(
    [...cache.rows('Logical_Switch_Port')].filter((r) => r.type === 'router').map((r) => str(r.name)),
  );
  for (const { row, ext } of rows('Logical_Switch')) {
    const id = ext[EXT.networkId] ?? '';
    const services = new Set((ext[EXT.services] ?? '').split(','));
    const lrp = routerPorts.get(names.routerPort(id));
    const routerPort =
      lrp && switchRouterPorts.has(names.switchRouterPort(id))
        ? toAtoms(lrp.networks).map(String).join(',')
        : 'missing';
    // A part the tier was implemented with reads "missing" when it is gone, so drift names what to repair.
    const parts: Record<string, string> = {};
    if ((ext['netplane:broadcast_uri'] ?? '').startsWith('vlan://'))
      parts.localnet = localnets.get(id) ?? 'missing';
    if (services.has('Dhcp')) parts.dhcp = str(dhcpOf.get(id)?.[0]?.cidr ?? 'missing');
    if (services.has('NetworkACL')) {
      const rules = (aclsOf.get(id) ?? []).map((a) => toRecord(a.external_ids)[EXT.rule] ?? '').sort();
      parts.networkAcl =
        groupNetworks.has(id) && DEFAULT_ACL_RULES.every((r) => rules.includes(r))
          ? rules.join(',')
          : 'missing';
    }
    if (services.has('SourceNat')) parts.sourceNat = str(natsOf.get(id)?.[0]?.external_ip ?? 'missing');
    out.push({
      kind: 'network',
      id,
      name: str(row.name),
      attributes: {
        cidr: ext[EXT.cidr] ?? '',
        gateway: ext['netplane:gateway'] ?? '',
        broadcastUri: ext['netplane:broadcast_uri'] ?? '',
        routerPort,
        ...parts,
      },
    });
  }
  for (const { row, ext } of rows('Logical_Switch_Port')) {
    const nicId = ext[EXT.nicId];
    if (nicId === undefined) continue; // the switch's router-type port is part of the network
    const [mac = '', ip = ''] = str(optional(row.addresses)).split(' ');
    const attributes: Record<string, string> = {
      mac,
      ip,
      networkId: ext[EXT.networkId] ?? '',
      portSecurity: toAtoms(row.port_security).map(String).join(','),
    };
    if (groupNetworks.has(attributes.networkId ?? ''))
      attributes.portGroup = groupMembers.has(row._uuid) ? 'member' : 'missing';
    out.push({ kind: 'nic', id: nicId, name: str(row.name), attributes });
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
    out.push({
      kind: 'nat',
      id: `${ext[EXT.networkId]}/${ext[EXT.rule]}`,
      name: `${str(row.type)} ${str(row.logical_ip)}`,
      attributes: { type: str(row.type), externalIp: str(row.external_ip), logicalIp: str(row.logical_ip) },
    });
  }
  return out.sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id) || a.name.localeCompare(b.name),
  );
}
