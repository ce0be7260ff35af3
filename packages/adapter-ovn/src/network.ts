// Tier ↔ Logical_Switch (+ router port pair, DHCP_Options, Port_Group ACLs, SNAT): implement. Shutdown and destroy
// are network-teardown.ts.
import { AdapterError, type ImplementResult, type NetworkSpec } from '@netplane/adapter-sdk';
import { map, namedUuid, type Operation, op, type Row, set, toAtoms, toRecord, where } from '@netplane/ovsdb';
import { dhcpOptions, SETTINGS_OPTIONS } from './dhcp';
import { conflict } from './errors';
import { ensureGateway, gatewayPlanOf, needsGateway } from './gateway';
import { noRowNamed, noRowTagged, rowStillNamed, taggedWith, withGuardRetry } from './guards';
import { isolationUnsupported } from './isolation';
import type { OvnConfig } from './manifest';
import { EXT, isOurs, names, prefixLength } from './names';
import { extOf, isGuardFailure, type NbDatabase, type SelectedRow } from './nb';
import {
  aclRow,
  broadcastUriOf,
  defaultAclRules,
  dhcpRow,
  localnetPortRow,
  networkExt,
  routerPortRow,
  snatRow,
  switchRouterPortRow,
  switchRow,
} from './network-rows';

const ID = ['_uuid', 'name', 'external_ids'];

/** A row with our name must carry our ids for this network, or it is somebody else's. */
function checkOwned(
  table: string,
  rows: SelectedRow[],
  name: string,
  networkId: string,
): SelectedRow | undefined {
  for (const r of rows) {
    const ext = extOf(r);
    if (!isOurs(ext) || ext[EXT.networkId] !== networkId) {
      throw conflict(table, name, ext[EXT.owner], 'exists without our ids');
    }
  }
  return rows[0];
}

export async function implementNetwork(
  db: NbDatabase,
  n: NetworkSpec,
  config: OvnConfig,
  signal: AbortSignal,
): Promise<ImplementResult> {
  const unsupported = isolationUnsupported(n.isolation.method, n.isolation.segmentId, config);
  if (unsupported) throw new AdapterError('INVALID_REQUEST', unsupported);
  // The VPC's gateway first (its own transaction): the tier's SNAT and the VPC's NAT and LB rows run on it.
  if (needsGateway(n.services) && config.gatewayChassis) {
    const plan = gatewayPlanOf(n, config);
    if ('reason' in plan) throw new AdapterError('INVALID_REQUEST', `The VPC gateway ${plan.reason}`);
    await ensureGateway(db, plan, signal);
  }
  const { localnetNetworkName } = config;
  // The VPC's own address from Netplane's public IP ranges; the controller-wide setting is only a fallback.
  const snatExternalIp = n.sourceNatIp ?? config.snatExternalIp;
  const wants = new Set(n.services);
  if (wants.has('SourceNat') && !snatExternalIp) {
    throw new AdapterError(
      'INVALID_REQUEST',
      'SourceNat needs the VPC source-NAT address (or snatExternalIp in the controller configuration)',
    );
  }
  const vlan = n.isolation.method === 'VLAN' ? localnetNetworkName : undefined;
  const routerName = names.router(n.vpcId);
  const lsName = names.switch(n.networkId);
  const lrpName = names.routerPort(n.networkId);
  const rtrName = names.switchRouterPort(n.networkId);
  const pgName = names.portGroup(n.networkId);
  const tagged = taggedWith(EXT.networkId, n.networkId);

  return withGuardRetry(async () => {
    const [
      routers = [],
      switches = [],
      lrps = [],
      rtrs = [],
      dhcps = [],
      pgs = [],
      acls = [],
      nats = [],
      vlanPorts = [],
    ] = await db.selectMany(
      [
        op.select('Logical_Router', [where.eq('name', routerName)], ID),
        op.select('Logical_Switch', [where.eq('name', lsName)], ID),
        op.select('Logical_Router_Port', [where.eq('name', lrpName)], [...ID, 'networks']),
        op.select('Logical_Switch_Port', [where.eq('name', rtrName)], ID),
        op.select('DHCP_Options', [tagged], ['_uuid', 'cidr', 'options']),
        op.select('Port_Group', [where.eq('name', pgName)], ID),
        op.select('ACL', [tagged], ['_uuid', 'external_ids', 'direction', 'priority', 'match', 'action']),
        // the tier's source NAT (its static NAT rows carry the network id too)
        op.select(
          'NAT',
          [taggedWith(EXT.networkId, n.networkId, { [EXT.rule]: 'snat' })],
          ['_uuid', 'external_ip'],
        ),
        // every localnet port on the same physical network and VLAN, whoever made it
        ...(vlan
          ? [
              op.select(
                'Logical_Switch_Port',
                [
                  where.eq('type', 'localnet'),
                  where.eq('tag_request', n.isolation.segmentId),
                  where.includes('options', map({ network_name: vlan })),
                ],
                ID,
              ),
            ]
          : []),
      ],
      signal,
    );
    const router = routers[0];
    if (!router)
      throw new AdapterError('INVALID_REQUEST', `VPC ${n.vpcId} is not implemented on this controller`);
    const rext = extOf(router);
    if (!isOurs(rext) || rext[EXT.vpcId] !== n.vpcId) {
      throw conflict('Logical_Router', routerName, rext[EXT.owner], 'exists without our ids');
    }
    const ls = checkOwned('Logical_Switch', switches, lsName, n.networkId);
    if (ls && extOf(ls)[EXT.cidr] !== n.cidr) {
      throw conflict(
        'Logical_Switch',
        lsName,
        'netplane',
        `exists with another CIDR (${extOf(ls)[EXT.cidr]})`,
      );
    }
    const lrp = checkOwned('Logical_Router_Port', lrps, lrpName, n.networkId);
    const rtr = checkOwned('Logical_Switch_Port', rtrs, rtrName, n.networkId);
    const pg = checkOwned('Port_Group', pgs, pgName, n.networkId);
    let localnet: SelectedRow | undefined;
    for (const p of vlanPorts) {
      const ext = extOf(p);
      if (!isOurs(ext) || ext[EXT.networkId] !== n.networkId) {
        const segment = `${vlan}/vlan ${n.isolation.segmentId}`;
        throw conflict('VLAN', segment, ext[EXT.owner], `is already used by localnet port ${String(p.name)}`);
      }
      localnet = p;
    }

    // The router must still be there when we add ports and NAT rows to it (see rowStillNamed).
    const ops: Operation[] = [rowStillNamed('Logical_Router', router._uuid, routerName)];
    const lsRef = ls ? ls._uuid : namedUuid('ls');
    if (!ls) ops.push(noRowNamed('Logical_Switch', lsName), op.insert('Logical_Switch', switchRow(n), 'ls'));
    if (!rtr) {
      ops.push(
        op.insert('Logical_Switch_Port', switchRouterPortRow(n), 'rtr'),
        op.mutate(
          'Logical_Switch',
          [where.eq('_uuid', lsRef)],
          [['ports', 'insert', set([namedUuid('rtr')])]],
        ),
      );
    }
    if (vlan && !localnet) {
      ops.push(
        op.insert('Logical_Switch_Port', localnetPortRow(n, vlan), 'ln'),
        op.mutate(
          'Logical_Switch',
          [where.eq('_uuid', lsRef)],
          [['ports', 'insert', set([namedUuid('ln')])]],
        ),
      );
    }
    const networks = set([`${n.gateway}/${prefixLength(n.cidr)}`]);
    if (lrp && JSON.stringify(toAtoms(lrp.networks)) !== JSON.stringify(toAtoms(networks))) {
      ops.push(op.update('Logical_Router_Port', [where.eq('_uuid', lrp._uuid)], { networks }));
    }
    if (!lrp) {
      ops.push(
        op.insert('Logical_Router_Port', routerPortRow(n), 'lrp'),
        op.mutate(
          'Logical_Router',
          [where.eq('_uuid', router._uuid)],
          [['ports', 'insert', set([namedUuid('lrp')])]],
        ),
      );
    }
    if (wants.has('Dhcp') && dhcps.length === 0) {
      ops.push(
        noRowTagged('DHCP_Options', EXT.networkId, n.networkId),
        op.insert('DHCP_Options', dhcpRow(n), 'dhcp'),
        // NIC ports lose their (weak) reference when the DHCP row is deleted behind our back: point them back.
        op.update('Logical_Switch_Port', [tagged, where.eq('type', '')], {
          dhcpv4_options: namedUuid('dhcp'),
        }),
      );
    }
    const dhcp = dhcps[0];
    if (wants.has('Dhcp') && dhcp && !sameDhcp(dhcp, n)) {
      // Our options get their values back; options an operator added (ntp_server...) stay, except, when the engine
      // sends the zone's settings, those the settings own: they follow the settings (a search domain cleared goes).
      const theirs = toRecord(dhcp.options);
      if (n.dhcp) for (const k of SETTINGS_OPTIONS) delete theirs[k];
      const options = map({ ...theirs, ...dhcpOptions(n) });
      ops.push(op.update('DHCP_Options', [where.eq('_uuid', dhcp._uuid)], { cidr: n.cidr, options }));
    }
    if (wants.has('NetworkACL')) {
      const have = new Map(acls.map((a) => [extOf(a)[EXT.rule], a]));
      // An ACL of ours edited by hand gets the rule's values back; a deleted one is recreated.
      for (const r of defaultAclRules(n)) {
        const a = have.get(r.rule);
        if (
          a &&
          (a.direction !== r.direction ||
            a.priority !== r.priority ||
            a.match !== r.match ||
            a.action !== r.action)
        ) {
          const { direction, priority, match, action } = aclRow(n, r);
          ops.push(
            op.update('ACL', [where.eq('_uuid', a._uuid)], { direction, priority, match, action } as Row),
          );
        }
      }
      const missing = defaultAclRules(n).filter((r) => !have.has(r.rule));
      missing.forEach((r, i) => {
        ops.push(op.insert('ACL', aclRow(n, r), `acl${i}`));
      });
      const aclRefs = set(missing.map((_, i) => namedUuid(`acl${i}`)));
      if (!pg) {
        // A port group deleted by hand took the tier's membership with it: the new one holds the tier's NIC ports.
        const members = ls ? await nicPortsOf(db, n.networkId, signal) : [];
        ops.push(
          noRowNamed('Port_Group', pgName),
          op.insert(
            'Port_Group',
            { name: pgName, acls: aclRefs, ports: set(members), external_ids: networkExt(n) },
            'pg',
          ),
        );
      } else if (missing.length > 0) {
        ops.push(op.mutate('Port_Group', [where.eq('_uuid', pg._uuid)], [['acls', 'insert', aclRefs]]));
      }
    }
    if (wants.has('SourceNat') && nats.length === 0 && snatExternalIp) {
      ops.push(
        noRowTagged('NAT', EXT.networkId, n.networkId, { [EXT.rule]: 'snat' }),
        op.insert('NAT', snatRow(n, snatExternalIp), 'snat'),
        op.mutate(
          'Logical_Router',
          [where.eq('_uuid', router._uuid)],
          [['nat', 'insert', set([namedUuid('snat')])]],
        ),
      );
    } else if (wants.has('SourceNat') && snatExternalIp) {
      // Converge: a tier implemented with another address (the old controller-wide one) moves to the VPC's own.
      for (const nat of nats) {
        if (nat.external_ip !== snatExternalIp)
          ops.push(op.update('NAT', [where.eq('_uuid', nat._uuid)], { external_ip: snatExternalIp }));
      }
    }
    if (ops.length > 1)
      await db.transact([...ops, op.comment(`netplane: implement network ${n.networkId}`)], signal);
    return { broadcastUri: broadcastUriOf(n), adopted: ls !== undefined };
  }, isGuardFailure);
}

/** The DHCP row still has our cidr, our values for the options we set and none of the settings' options we dropped. */
function sameDhcp(have: SelectedRow, n: NetworkSpec): boolean {
  const options = toRecord(have.options);
  const want = dhcpOptions(n);
  return (
    have.cidr === n.cidr &&
    Object.entries(want).every(([k, v]) => options[k] === v) &&
    (!n.dhcp || SETTINGS_OPTIONS.every((k) => k in want || !(k in options)))
  );
}

export async function nicPortsOf(db: NbDatabase, networkId: string, signal: AbortSignal) {
  const [ports = []] = await db.selectMany(
    [op.select('Logical_Switch_Port', [taggedWith(EXT.networkId, networkId)], ['_uuid', 'external_ids'])],
    signal,
  );
  return ports.filter((p) => extOf(p)[EXT.nicId] !== undefined).map((p) => p._uuid);
}
