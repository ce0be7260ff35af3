// What a reachability matrix traces: for each tier a representative NIC (its oldest Reserved NIC; a second one for
// the tier-to-itself cell when it has one), and for outside → tier the public address that leads into the tier for
// the flow (a static NAT of a NIC of the tier, else a port forwarding or LB rule on the flow's port). A cell with
// nothing to trace from or to gets a reason instead of a trace (NoNic, NoInboundRule).
import { lbRulesRepo, type nicsRepo, portForwardingRepo, staticNatRepo } from '@netplane/db';
import type { ConnectivityTraceInput, ReachabilityCell, TraceFlow } from '@netplane/domain';
import type { EngineCore } from '../lifecycle/core';
import type { VpcScope } from './resolve';

/** An address upstream of the gateway (RFC 2544's benchmarking range, in no test's public range): where outside → tier checks come from. */
export const OUTSIDE_SOURCE_IP = '198.18.0.10';

export type PlannedCell =
  | {
      cell: Omit<ReachabilityCell, 'allowed' | 'reason' | 'message' | 'decidingRef' | 'traceId'>;
      input: ConnectivityTraceInput;
    }
  | { cell: ReachabilityCell };

type Inbound = {
  networkId: string;
  dest: ConnectivityTraceInput['destination'];
  fits: (f: TraceFlow) => boolean;
};

async function inboundRules(core: EngineCore, scope: VpcScope): Promise<Inbound[]> {
  const db = core.deps.db.db;
  const dest = (publicIpId: string | null, ip: string): ConnectivityTraceInput['destination'] =>
    publicIpId ? { kind: 'publicIp', publicIpId } : { kind: 'ip', ip };
  const [nats, lbs, pfs] = await Promise.all([
    staticNatRepo.listStaticNatOfVpc(db, scope.vpc.id),
    lbRulesRepo.listLbRulesOfVpc(db, scope.vpc.id),
    Promise.all(scope.tiers.map((t) => portForwardingRepo.listOfNetwork(db, t.id))).then((x) => x.flat()),
  ]);
  return [
    ...nats
      .filter((r) => r.state === 'Active')
      .map((r) => ({ networkId: r.networkId, dest: dest(r.publicIpId, r.publicIp), fits: () => true })),
    ...pfs
      .filter((r) => r.state === 'Active')
      .map((r) => ({
        networkId: r.networkId,
        dest: dest(r.publicIpId, r.publicIp),
        fits: (f: TraceFlow) =>
          f.protocol !== 'icmp' &&
          f.protocol === r.protocol &&
          f.port >= r.publicPortStart &&
          f.port <= r.publicPortEnd,
      })),
    ...lbs
      .filter((r) => r.state === 'Active')
      .map((r) => ({
        networkId: r.networkId,
        dest: dest(r.publicIpId, r.publicIp),
        fits: (f: TraceFlow) => f.protocol !== 'icmp' && f.protocol === r.protocol && f.port === r.publicPort,
      })),
  ];
}

const empty = (
  source: string | null,
  destination: string,
  flow: number,
  reason: string,
  message: string,
): PlannedCell => ({
  cell: { source, destination, flow, allowed: false, reason, message, decidingRef: null, traceId: null },
});

export async function planMatrix(
  core: EngineCore,
  scope: VpcScope,
  nics: readonly nicsRepo.NicRow[],
  protocols: readonly TraceFlow[],
): Promise<{ reps: Map<string, nicsRepo.NicRow[]>; cells: PlannedCell[] }> {
  const reps = new Map<string, nicsRepo.NicRow[]>();
  for (const n of [...nics].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))) {
    if (n.state !== 'Reserved') continue;
    const list = reps.get(n.networkId) ?? [];
    if (list.length < 2) list.push(n);
    reps.set(n.networkId, list);
  }
  const inbound = await inboundRules(core, scope);
  const vpcId = scope.vpc.id;
  const cells: PlannedCell[] = [];
  protocols.forEach((flow, f) => {
    for (const dst of scope.tiers) {
      const to = reps.get(dst.id) ?? [];
      for (const src of scope.tiers) {
        const from = reps.get(src.id) ?? [];
        const a = from[0];
        const b = src.id === dst.id ? (to[1] ?? to[0]) : to[0];
        if (!a || !b) {
          const which = !a ? src.name : dst.name;
          cells.push(
            empty(src.id, dst.id, f, 'NoNic', `Tier ${which} has no Reserved NIC to trace from or to`),
          );
          continue;
        }
        cells.push({
          cell: { source: src.id, destination: dst.id, flow: f },
          input: {
            vpcId,
            source: { kind: 'nic', nicId: a.id },
            destination: { kind: 'nic', nicId: b.id },
            flow,
          },
        });
      }
      const rule = inbound.find((r) => r.networkId === dst.id && r.fits(flow));
      if (!rule) {
        cells.push(
          empty(
            null,
            dst.id,
            f,
            'NoInboundRule',
            `No static NAT, port forwarding or LB rule leads from outside into tier ${dst.name} for this flow`,
          ),
        );
        continue;
      }
      cells.push({
        cell: { source: null, destination: dst.id, flow: f },
        input: { vpcId, source: { kind: 'outside', ip: OUTSIDE_SOURCE_IP }, destination: rule.dest, flow },
      });
    }
  });
  return { reps, cells };
}
