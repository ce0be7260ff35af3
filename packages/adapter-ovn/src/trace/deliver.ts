// The end of a delivered trace: the NIC or the public network the packet left OVN to, as the last hops and the
// result's deliveredTo (the destination as rewritten on the way: a NAT or LB target, its port).
import type { TraceHop, TraceResult } from '@netplane/adapter-sdk';
import type { TraceStage, TraceVerdict } from '@netplane/ovsdb';
import { evidence } from './describe';
import type { VpcView } from './view';

type Walked = {
  dst: string;
  port: number | null;
  tierName: (networkId: string) => string;
  atOf: (s: TraceStage) => TraceHop['at'];
  hops: TraceHop[];
};

export function deliveryOf(
  verdict: TraceVerdict,
  view: VpcView,
  { dst, port, tierName, atOf, hops }: Walked,
): Pick<TraceResult, 'outcome' | 'reason' | 'message' | 'hops' | 'deliveredTo'> {
  const { stages } = verdict;
  const arpFirst = stages.some(
    (s) => s.stage === 'lr_in_arp_request' && s.actions.some((a) => a.startsWith('arp')),
  );
  let deliveredTo: TraceResult['deliveredTo'] = null;
  const shown = port === null ? dst : `${dst}:${port}`;
  for (const d of verdict.delivered) {
    const place = view.place(d.port);
    const last = stages.findLastIndex((s) => s.outport === d.port);
    const ev = last >= 0 ? [evidence(stages[last] as TraceStage)] : [];
    if (place?.kind === 'tier' && place.nicId) {
      hops.push({
        kind: 'deliver',
        verdict: 'pass',
        at: { type: 'tier', id: place.networkId, name: tierName(place.networkId) },
        summary: `delivered to NIC ${place.nicId} (${shown})`,
        ref: { type: 'nic', nicId: place.nicId },
        evidence: ev,
      });
      if (!deliveredTo || deliveredTo.nicId === null) deliveredTo = { nicId: place.nicId, ip: dst, port };
    } else {
      const outside = place?.kind === 'external';
      hops.push({
        kind: 'deliver',
        verdict: 'pass',
        at: outside
          ? { type: 'outside', id: null, name: 'public network' }
          : atOf(stages[last] ?? (stages[0] as TraceStage)),
        summary: outside
          ? `left the VPC through its gateway to the public network, for ${shown}${arpFirst ? ' (the router first asks for the upstream router’s MAC: this trace ends in that ARP request)' : ''}`
          : `left on logical port ${d.port} (${d.type}) for ${shown}`,
        evidence: ev,
      });
      deliveredTo ??= { nicId: null, ip: dst, port };
    }
  }
  const first = hops.find((h) => h.kind === 'deliver');
  return {
    outcome: 'delivered',
    reason: 'Delivered',
    message: first?.summary ?? 'delivered',
    hops,
    deliveredTo,
  };
}
