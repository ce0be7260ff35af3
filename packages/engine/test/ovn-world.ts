// Test world on a real OVN Northbound: an ovsdb-server, the OVN adapter with one provider and its NB controller,
// VPC and network offerings whose every service is OVN's, and a started engine.
import { randomUUID } from 'node:crypto';
import ovnAdapter from '@netplane/adapter-ovn';
import { type DialectName, physicalNetworksRepo, publicIpsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { ipv4ToInt, type Service } from '@netplane/domain';
import {
  type NorthdHandle,
  type OvsdbServerHandle,
  startNorthd,
  startOvsdbServer,
} from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Engine, EngineOptions } from '../src/index';
import { makeWorld, type World } from './world';

export type OvnWorld = {
  w: World;
  engine: Engine;
  server: OvsdbServerHandle;
  /** ovn-northd and its Southbound server, when started with { northd: true } (for ovn-trace). */
  northd?: NorthdHandle;
  vpcOfferingId: string;
  /** A network offering with every service of the provider on OVN. */
  offeringId: string;
};

export type OvnWorldOptions = {
  provider: string;
  services: Service[];
  config: object;
  engine?: Partial<EngineOptions>;
  /** Also start a Southbound server and ovn-northd on the Northbound one (tests that trace packets). */
  northd?: boolean;
  /** With northd: the controller's config names its Southbound server (the adapter's own trace() needs it). */
  southbound?: boolean;
  /**
   * A public IP range in the zone and the physical network's Public traffic label, so VPCs get a source-NAT address
   * and the OVN gateway its public side (the controller's config names the gatewayChassis).
   */
  publicNetwork?: PublicRangeSeed;
};

export type PublicRangeSeed = {
  cidr: string;
  gateway: string;
  vlan: number | null;
  startIp: string;
  endIp: string;
  /** The Public traffic label (KVM) of the physical network: the localnet network_name of the gateway. */
  label: string;
};

/** `ovn-nbctl --bare --columns=<columns> find <table> <conditions…>`: the matching rows' columns as nbctl prints them. */
export const findNb = (
  ovn: OvnWorld,
  table: string,
  columns: string,
  ...conditions: string[]
): Promise<string> => ovn.server.nbctl(['--bare', `--columns=${columns}`, 'find', table, ...conditions]);

/**
 * A provider on OVN giving `services` with a gateway chassis and a public side (198.51.100.0/24, label public):
 * SourceNat, StaticNat, Lb and PortForwarding are DECLINED on OVN without them.
 */
export const edgeProvider = (provider: string, services: Service[]): OvnWorldOptions => ({
  provider,
  services,
  config: { gatewayChassis: 'gw1', localnetNetworkName: 'physnet1' },
  publicNetwork: {
    cidr: '198.51.100.0/24',
    gateway: '198.51.100.1',
    vlan: null,
    startIp: '198.51.100.2',
    endIp: '198.51.100.250',
    label: 'public',
  },
});

/** Inserts the range and sets the physical network's Public traffic label. */
export async function addPublicNetwork(w: World, r: PublicRangeSeed): Promise<void> {
  const { label, ...range } = r;
  await publicIpsRepo.insertRange(
    w.db.db,
    {
      ...range,
      id: randomUUID(),
      zoneId: w.zoneId,
      physicalNetworkId: w.physicalNetworkId,
      startNum: ipv4ToInt(r.startIp) ?? 0,
      endNum: ipv4ToInt(r.endIp) ?? 0,
      gatewayNum: ipv4ToInt(r.gateway) ?? 0,
    },
    Date.now(),
  );
  const pn = await physicalNetworksRepo.getPhysicalNetwork(w.db.db, w.physicalNetworkId);
  if (!pn) throw new Error('physical network');
  const trafficTypes = [
    ...pn.trafficTypes.filter((t) => t.type !== 'Public'),
    { type: 'Public' as const, labels: { KVM: label } },
  ];
  const ok = await physicalNetworksRepo.updatePhysicalNetwork(
    w.db.db,
    pn.id,
    pn.version,
    { trafficTypes },
    Date.now(),
  );
  if (!ok) throw new Error('physical network changed meanwhile');
}

export async function startOvnWorld(dialect: DialectName, o: OvnWorldOptions): Promise<OvnWorld> {
  const server = await startOvsdbServer();
  const northd = o.northd
    ? await startNorthd(server).catch(async (e) => {
        await server.dispose();
        throw e;
      })
    : undefined;
  const w = await makeWorld(dialect, {
    extraAdapters: [{ id: 'ovn', status: 'Fully Loaded', module: ovnAdapter }],
  });
  if (o.publicNetwork) await addPublicNetwork(w, o.publicNetwork);
  const providerId = await w.addProvider({ name: o.provider, adapterId: 'ovn', services: o.services });
  await w.addController(providerId, {
    name: 'ovn-nb',
    endpoint: server.tcpEndpoint,
    protocol: 'OVSDB',
    config: northd && o.southbound ? { ...o.config, southboundEndpoint: northd.sb.unixEndpoint } : o.config,
    credentials: {},
    maxConcurrent: 4,
    callsPerSecond: 200,
    timeoutMs: 10_000,
  });
  const vpcOfferingId = await w.addOffering({ kind: 'vpc', services: { Connectivity: 'ovn' } });
  const offeringId = await w.addOffering({
    kind: 'network',
    services: Object.fromEntries(o.services.map((s) => [s, 'ovn'])),
  });
  const engine = w.engine(o.engine);
  await engine.start();
  return { w, engine, server, ...(northd ? { northd } : {}), vpcOfferingId, offeringId };
}

/**
 * Declares `${name} on OVN with <dialect>` for every test dialect around one OVN world, started (with `o`) before its
 * tests and cleaned up, ovsdb-server (and northd) included, after them. `fn` declares the tests; they read the world through `ovn`.
 */
export function describeOvnWorld(name: string, o: OvnWorldOptions, fn: (ovn: OvnWorld) => void): void {
  describe.each(testDialects())(`${name} on OVN with %s`, (dialect) => {
    // Filled in by beforeAll: tests only run after it. (A failed start leaves it partly empty, hence the ?. below.)
    const ovn = {} as OvnWorld;
    beforeAll(async () => Object.assign(ovn, await startOvnWorld(dialect, o)));
    afterAll(async () => {
      await ovn.w?.cleanup();
      await ovn.northd?.dispose();
      await ovn.server?.dispose();
    });
    fn(ovn);
  });
}
