// The VPC's gateway to the public network: an external Logical_Switch per VPC with a localnet port on the Public
// traffic label, a gateway router port (the VPC's source-NAT address) bound to the configured gateway chassis, and a
// default route via the public range's gateway. Without it northd makes no NAT flows: SNAT, dnat_and_snat and router
// load balancers need a distributed gateway port to run on.
import { AdapterError, type NetworkSpec } from '@netplane/adapter-sdk';
import type { Service } from '@netplane/domain';
import {
  map,
  namedUuid,
  type Operation,
  op,
  type Row,
  set,
  toAtoms,
  toRecord,
  toUuids,
  where,
} from '@netplane/ovsdb';
import { conflict } from './errors';
import { noRowNamed, rowStillNamed, taggedWith, withGuardRetry } from './guards';
import type { OvnConfig } from './manifest';
import { EXT, gatewayPortMac, isOurs, names, OWNER, prefixLength } from './names';
import { extOf, isGuardFailure, type NbDatabase, type SelectedRow } from './nb';

/** The services that reach the public network through the VPC's gateway. */
export const GATEWAY_SERVICES: readonly Service[] = ['SourceNat', 'StaticNat', 'Lb', 'PortForwarding'];
export const needsGateway = (services: readonly Service[]) =>
  services.some((s) => GATEWAY_SERVICES.includes(s));

/** What the gateway is built from; checked in canHandle so a tier is never implemented half-way. */
export type GatewayPlan = {
  vpcId: string;
  chassis: string;
  address: string;
  cidr: string;
  nextHop: string;
  networkName: string;
  vlan: number | null;
};

/** The plan for this spec and config, or the reason (for canHandle and implement) there can be none. */
export function gatewayPlanOf(n: NetworkSpec, config: OvnConfig): GatewayPlan | { reason: string } {
  const chassis = config.gatewayChassis;
  if (!chassis)
    return {
      reason:
        'needs a gateway chassis for the VPC router: set gatewayChassis in the OVN controller config (a chassis name from ovn-sbctl show)',
    };
  const pub = n.publicNetwork;
  if (!n.sourceNatIp || !pub)
    return { reason: "needs the VPC's public address: add a public IP range to the zone" };
  if (!pub.trafficLabel)
    return {
      reason:
        "needs the physical network's Public traffic label (the ovn-bridge-mappings name of the public network)",
    };
  return {
    vpcId: n.vpcId,
    chassis,
    address: n.sourceNatIp,
    cidr: pub.cidr,
    nextHop: pub.gateway,
    networkName: pub.trafficLabel,
    vlan: pub.vlan,
  };
}

const ext = (vpcId: string, role: string) =>
  map({ [EXT.owner]: OWNER, [EXT.vpcId]: vpcId, [EXT.role]: role });

const localnetColumns = (g: GatewayPlan): Row => ({
  options: map({ network_name: g.networkName }),
  tag_request: g.vlan === null ? set([]) : g.vlan,
});
const lrpNetworks = (g: GatewayPlan) => set([`${g.address}/${prefixLength(g.cidr)}`]);
const gatewayChassisRow = (g: GatewayPlan): Row => ({
  name: `${names.gatewayPort(g.vpcId)}-${g.chassis}`,
  chassis_name: g.chassis,
  priority: 1,
  external_ids: ext(g.vpcId, 'gateway-chassis'),
});

const ID = ['_uuid', 'name', 'external_ids'];
const sameAtoms = (a: Row[string] | undefined, b: Row[string]) =>
  JSON.stringify(toAtoms(a).map(String).sort()) === JSON.stringify(toAtoms(b).map(String).sort());

/** A row with our gateway name must carry our VPC id, or it is somebody else's. */
function owned(table: string, rows: SelectedRow[], name: string, vpcId: string): SelectedRow | undefined {
  for (const r of rows) {
    const e = extOf(r);
    if (!isOurs(e) || e[EXT.vpcId] !== vpcId)
      throw conflict(table, name, e[EXT.owner], 'exists without our ids');
  }
  return rows[0];
}

/** Creates the VPC's gateway, or converges the one there (address, chassis, label, VLAN, next hop) in place. */
export async function ensureGateway(db: NbDatabase, g: GatewayPlan, signal: AbortSignal): Promise<void> {
  const routerName = names.router(g.vpcId);
  const [lsName, lnName, rtrName, lrpName] = [
    names.externalSwitch(g.vpcId),
    names.externalLocalnetPort(g.vpcId),
    names.externalRouterPort(g.vpcId),
    names.gatewayPort(g.vpcId),
  ];
  await withGuardRetry(async () => {
    const [routers = [], switches = [], lns = [], rtrs = [], lrps = [], chassis = [], routes = []] =
      await db.selectMany(
        [
          op.select('Logical_Router', [where.eq('name', routerName)], [...ID, 'ports', 'static_routes']),
          op.select('Logical_Switch', [where.eq('name', lsName)], ID),
          op.select('Logical_Switch_Port', [where.eq('name', lnName)], [...ID, 'options', 'tag_request']),
          op.select('Logical_Switch_Port', [where.eq('name', rtrName)], ID),
          op.select(
            'Logical_Router_Port',
            [where.eq('name', lrpName)],
            [...ID, 'networks', 'gateway_chassis'],
          ),
          op.select('Gateway_Chassis', [taggedWith(EXT.vpcId, g.vpcId)], ['_uuid', 'chassis_name']),
          op.select(
            'Logical_Router_Static_Route',
            [taggedWith(EXT.vpcId, g.vpcId, { [EXT.role]: 'default-route' })],
            ['_uuid', 'nexthop'],
          ),
        ],
        signal,
      );
    const router = routers[0];
    if (!router)
      throw new AdapterError('INVALID_REQUEST', `VPC ${g.vpcId} is not implemented on this controller`);
    const rext = extOf(router);
    if (!isOurs(rext) || rext[EXT.vpcId] !== g.vpcId)
      throw conflict('Logical_Router', routerName, rext[EXT.owner], 'exists without our ids');
    const ls = owned('Logical_Switch', switches, lsName, g.vpcId);
    const ln = owned('Logical_Switch_Port', lns, lnName, g.vpcId);
    const rtr = owned('Logical_Switch_Port', rtrs, rtrName, g.vpcId);
    const lrp = owned('Logical_Router_Port', lrps, lrpName, g.vpcId);

    const ops: Operation[] = [rowStillNamed('Logical_Router', router._uuid, routerName)];
    const lsRef = ls ? ls._uuid : namedUuid('ext');
    if (!ls) {
      ops.push(
        noRowNamed('Logical_Switch', lsName),
        op.insert('Logical_Switch', { name: lsName, external_ids: ext(g.vpcId, 'external') }, 'ext'),
      );
    }
    const addPort = (row: Row, ref: string) =>
      ops.push(
        op.insert('Logical_Switch_Port', row, ref),
        op.mutate('Logical_Switch', [where.eq('_uuid', lsRef)], [['ports', 'insert', set([namedUuid(ref)])]]),
      );
    const want = localnetColumns(g);
    if (!ln) {
      addPort(
        {
          name: lnName,
          type: 'localnet',
          addresses: set(['unknown']),
          ...want,
          external_ids: ext(g.vpcId, 'localnet'),
        },
        'ln',
      );
    } else if (
      toRecord(ln.options).network_name !== g.networkName ||
      !sameAtoms(ln.tag_request, want.tag_request as Row[string])
    ) {
      ops.push(op.update('Logical_Switch_Port', [where.eq('_uuid', ln._uuid)], want));
    }
    if (!rtr) {
      addPort(
        {
          name: rtrName,
          type: 'router',
          addresses: set(['router']),
          options: map({ 'router-port': lrpName }),
          external_ids: ext(g.vpcId, 'router'),
        },
        'rtr',
      );
    }
    const hasChassis = lrp
      ? chassis.some((c) => toUuids(lrp.gateway_chassis).includes(c._uuid[1]) && c.chassis_name === g.chassis)
      : false;
    if (!lrp) {
      ops.push(
        op.insert('Gateway_Chassis', gatewayChassisRow(g), 'gc'),
        op.insert(
          'Logical_Router_Port',
          {
            name: lrpName,
            mac: gatewayPortMac(g.vpcId),
            networks: lrpNetworks(g),
            gateway_chassis: set([namedUuid('gc')]),
            external_ids: ext(g.vpcId, 'gateway-port'),
          },
          'lrp',
        ),
        op.mutate(
          'Logical_Router',
          [where.eq('_uuid', router._uuid)],
          [['ports', 'insert', set([namedUuid('lrp')])]],
        ),
      );
    } else {
      if (!sameAtoms(lrp.networks, lrpNetworks(g)))
        ops.push(
          op.update('Logical_Router_Port', [where.eq('_uuid', lrp._uuid)], { networks: lrpNetworks(g) }),
        );
      if (!toUuids(router.ports).includes(lrp._uuid[1]))
        ops.push(
          op.mutate(
            'Logical_Router',
            [where.eq('_uuid', router._uuid)],
            [['ports', 'insert', set([lrp._uuid])]],
          ),
        );
      if (!hasChassis) {
        // Another chassis (the config changed): the old Gateway_Chassis goes with the reference, the new one binds.
        ops.push(
          op.insert('Gateway_Chassis', gatewayChassisRow(g), 'gc'),
          op.update('Logical_Router_Port', [where.eq('_uuid', lrp._uuid)], {
            gateway_chassis: set([namedUuid('gc')]),
          }),
        );
      }
    }
    const route = routes.find((r) => toUuids(router.static_routes).includes(r._uuid[1]));
    if (!route) {
      ops.push(
        op.insert(
          'Logical_Router_Static_Route',
          { ip_prefix: '0.0.0.0/0', nexthop: g.nextHop, external_ids: ext(g.vpcId, 'default-route') },
          'route',
        ),
        op.mutate(
          'Logical_Router',
          [where.eq('_uuid', router._uuid)],
          [['static_routes', 'insert', set([namedUuid('route')])]],
        ),
      );
    } else if (route.nexthop !== g.nextHop) {
      ops.push(
        op.update('Logical_Router_Static_Route', [where.eq('_uuid', route._uuid)], { nexthop: g.nextHop }),
      );
    }
    if (rext[EXT.gatewayPort] !== lrpName) {
      ops.push(
        op.mutate(
          'Logical_Router',
          [where.eq('_uuid', router._uuid)],
          [['external_ids', 'insert', map({ [EXT.gatewayPort]: lrpName })]],
        ),
      );
    }
    if (ops.length > 1)
      await db.transact([...ops, op.comment(`netplane: gateway of VPC ${g.vpcId}`)], signal);
  }, isGuardFailure);
}
