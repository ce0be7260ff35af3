// Shared by the Realized tests: a real Northbound server with ovn-northd and its Southbound, an element that reads
// the Southbound, and a VPC with every kind of resource the adapter makes (tiers, NICs, ACL list, NAT, LB, PF).
import { randomUUID } from 'node:crypto';
import type { NetworkElement, NetworkSpec, RealizedReport } from '@netplane/adapter-sdk';
import type { Service } from '@netplane/domain';
import {
  type NorthdHandle,
  type OvsdbServerHandle,
  startNorthd,
  startOvsdbServer,
} from '@netplane/ovsdb/testing';
import { aclRule, aclSpec, networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx } from './support';

export type Ovn = { server: OvsdbServerHandle; northd: NorthdHandle; el: NetworkElement };

export async function startOvn(config: Record<string, unknown> = { gatewayChassis: 'gw1' }): Promise<Ovn> {
  const server = await startOvsdbServer();
  const northd = await startNorthd(server);
  const el = createElement(server.unixEndpoint, { ...config, southboundEndpoint: northd.sb.unixEndpoint });
  return { server, northd, el };
}

export async function stopOvn(ovn: Ovn | undefined): Promise<void> {
  await ovn?.el.close();
  await ovn?.northd.dispose();
  await ovn?.server.dispose();
}

const PUBLIC = { cidr: '203.0.113.0/24', gateway: '203.0.113.1', vlan: 300, trafficLabel: 'public' };
const ALL: Service[] = [
  'Connectivity',
  'Dhcp',
  'NetworkACL',
  'SourceNat',
  'StaticNat',
  'Lb',
  'PortForwarding',
];
let octet = 10;

/** A VPC with one tier giving every service (through the gateway unless `gateway` is false), two NICs, rules. */
export async function fullVpc(el: NetworkElement, gateway = true) {
  const vpc = vpcSpec();
  const net: NetworkSpec = gateway
    ? { ...networkSpec(vpc, ALL), sourceNatIp: '203.0.113.2', publicNetwork: PUBLIC }
    : networkSpec(vpc, ['Connectivity', 'Dhcp', 'NetworkACL', 'SourceNat', 'StaticNat', 'Lb']);
  await el.implementVpc(vpc, ctx());
  await el.implementNetwork(net, ctx());
  const nics = [nicSpec(net, 1), nicSpec(net, 2)];
  await el.prepareNics(nics, ctx());
  await el.applyNetworkAcl?.(aclSpec(net, [aclRule(1)]), ctx());
  const [a, b] = nics as [(typeof nics)[0], (typeof nics)[0]];
  const ids = { staticNat: randomUUID(), lb: randomUUID(), pf: randomUUID() };
  const base = { vpcId: vpc.vpcId, networkId: net.networkId };
  await el.applyStaticNat?.(
    { ...base, ruleId: ids.staticNat, nicId: a.nicId, publicIp: `203.0.113.${octet++}`, privateIp: a.ip },
    ctx(),
  );
  await el.applyLbRule?.(
    {
      ...base,
      ruleId: ids.lb,
      name: 'web',
      publicIp: `203.0.113.${octet++}`,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp',
      algorithm: 'source',
      members: nics.map((n) => ({ nicId: n.nicId, ip: n.ip })),
    },
    ctx(),
  );
  if (gateway) {
    await el.applyPortForwarding?.(
      {
        ...base,
        version: 1,
        ruleId: ids.pf,
        nicId: b.nicId,
        publicIp: `203.0.113.${octet++}`,
        privateIp: b.ip,
        protocol: 'tcp',
        publicPortStart: 2222,
        publicPortEnd: 2223,
        privatePortStart: 22,
        privatePortEnd: 23,
      },
      ctx(),
    );
  }
  return { vpc, net, nics, ids };
}

/** The verdicts as "kind id → reason", for whole-report assertions with readable diffs. */
export const reasons = (report: RealizedReport | undefined): Record<string, string> =>
  Object.fromEntries((report?.resources ?? []).map((r) => [`${r.kind} ${r.id}`, r.reason]));

export const verdict = (report: RealizedReport | undefined, kind: string, id: string) =>
  report?.resources.find((r) => r.kind === kind && r.id === id);

/** NB_Global.nb_cfg as ovn-nbctl reads it. */
export const nbCfg = async (server: OvsdbServerHandle): Promise<number> =>
  Number((await server.nbctl(['get', 'NB_Global', '.', 'nb_cfg'])).trim());
