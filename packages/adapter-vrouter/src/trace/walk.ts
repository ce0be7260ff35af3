// The state of one traced packet as it goes: its addresses and port as rewritten so far, the hops so far, and the
// ends of a trace (a drop, the delivery to a NIC whose port is on its bridge and up, the outside).
import type { TraceHop, TraceResult, TraceSpec } from '@netplane/adapter-sdk';
import type { Ctx } from '../context';
import { tagOf } from '../host-state';
import { type Appliance, adminUp, operUp } from '../realized/read';
import type { Packet } from './eval';
import type { HopCtx } from './hops';
import { CT, CT_STATUS, ipNum, PROTO } from './nft';

const EPHEMERAL_PORT = 49152;
export type Outcome = Pick<TraceResult, 'outcome' | 'reason' | 'message' | 'hops' | 'deliveredTo'>;
type HopIn = Omit<TraceHop, 'verdict' | 'evidence'> & { evidence?: string[] };

export class Walk {
  readonly hops: TraceHop[] = [];
  src: string;
  dst: string;
  port: number | null;
  /** The prerouting NAT rewrote the destination (the firewall's `ct status dnat` sees it). */
  dnatted = false;
  readonly h: HopCtx;
  readonly router: TraceHop['at'];
  readonly gateway: TraceHop['at'];

  constructor(
    readonly c: Ctx,
    readonly a: Appliance,
    readonly spec: TraceSpec,
  ) {
    const f = spec.flow;
    this.dst = spec.destination.ip;
    this.port = f.protocol === 'icmp' ? null : f.port;
    this.src = spec.source.kind === 'nic' || spec.source.kind === 'outside' ? spec.source.ip : '';
    const tierName = (id: string) => spec.tiers.find((t) => t.networkId === id)?.name ?? id;
    this.h = { c, vpcId: spec.vpcId, records: a.records, tierName };
    this.router = { type: 'router', id: spec.vpcId, name: 'VPC router' };
    this.gateway = { type: 'gateway', id: spec.vpcId, name: 'VPC gateway' };
  }

  tierAt(networkId: string): TraceHop['at'] {
    return { type: 'tier', id: networkId, name: this.h.tierName(networkId) };
  }

  pass(hop: HopIn): void {
    this.hops.push({ ...hop, verdict: 'pass', evidence: hop.evidence ?? [] });
  }

  drop(reason: string, hop: HopIn): Outcome {
    this.hops.push({ ...hop, verdict: 'drop', evidence: hop.evidence ?? [] });
    return { outcome: 'dropped', reason, message: hop.summary, hops: this.hops, deliveredTo: null };
  }

  delivered(message: string, nicId: string | null): Outcome {
    const deliveredTo = { nicId, ip: this.dst, port: this.port };
    return { outcome: 'delivered', reason: 'Delivered', message, hops: this.hops, deliveredTo };
  }

  unsupported(chain: string, what: readonly string[]): Outcome {
    return {
      outcome: 'unavailable',
      reason: 'UnsupportedRule',
      message: `chain ${chain} holds a rule the trace cannot evaluate: ${what.join(' ').slice(0, 200)}`,
      hops: this.hops,
      deliveredTo: null,
    };
  }

  /** The packet as the kernel sees it now: the first of its connection. */
  packet(iif: string, oif: string): Packet {
    const f = this.spec.flow;
    return {
      src: ipNum(this.src),
      dst: ipNum(this.dst),
      proto: PROTO[f.protocol],
      sport: f.protocol === 'icmp' ? null : (f.sourcePort ?? EPHEMERAL_PORT),
      dport: this.port,
      icmpType: f.protocol === 'icmp' ? f.icmpType : null,
      icmpCode: f.protocol === 'icmp' ? f.icmpCode : null,
      iif,
      oif,
      ct: CT.new,
      ctStatus: this.dnatted ? CT_STATUS.dnat : 0,
    };
  }

  get shown(): string {
    return this.port === null ? this.dst : `${this.dst}:${this.port}`;
  }

  bridgeOf(networkId: string) {
    return [...this.a.links.values()].find((l) => tagOf(l)?.kind === 'net' && tagOf(l)?.net === networkId);
  }

  /** The last hop: the NIC holding the destination on the tier, its port on the bridge and up. */
  deliver(networkId: string): Outcome {
    const at = this.tierAt(networkId);
    const port = [...this.a.links.values()].find((l) => {
      const t = tagOf(l);
      return t?.kind === 'nic' && t.net === networkId && t.ip === this.dst;
    });
    if (!port)
      return this.drop('NoRoute', {
        kind: 'deliver',
        at,
        summary: `no NIC of tier ${at.name} holds ${this.dst}: nothing answers ARP for it`,
      });
    const nicId = tagOf(port)?.nic ?? '';
    const evidence = [`port ${port.ifname} (${port.operstate ?? '?'}) master ${port.master ?? '-'}`];
    const bridge = this.bridgeOf(networkId);
    if (!bridge || port.master !== bridge.ifname)
      return this.drop('PortDown', {
        kind: 'deliver',
        at,
        summary: `NIC ${nicId}'s port ${port.ifname} is not on the tier's bridge`,
        evidence,
      });
    if (!operUp(port))
      return this.drop(adminUp(port) ? 'PortNotBound' : 'PortDown', {
        kind: 'deliver',
        at,
        summary: adminUp(port)
          ? `NIC ${nicId} has no VM (its peer is down)`
          : `NIC ${nicId}'s port ${port.ifname} is down`,
        evidence,
      });
    const summary = `delivered to NIC ${nicId} (${this.shown})`;
    this.pass({ kind: 'deliver', at, summary, ref: { type: 'nic', nicId }, evidence });
    return this.delivered(summary, nicId);
  }
}
