// The adapter side of the Realized condition and the connectivity check (domain's connectivity/ has the API shapes).
// Both calls are optional and read-only: checkRealized says what the controller made of our resources (compiled,
// bound, in effect), trace says the path one packet takes. Everything is named by our ids, never by the controller's.
import { REALIZED_REASONS, type TraceFlow } from '@netplane/domain';
import type { NetworkAclRuleSpec, ObservedResource, PublicNetworkSpec } from './element';

export type { TraceFlow, TraceHop, TraceHopRef, TraceResult } from '@netplane/domain';

/** What to check: the VPC's resources (its tiers, NICs, rules), optionally narrowed to some tiers. */
export type RealizeScope = {
  vpcId: string;
  networkIds?: readonly string[];
  /**
   * How long the adapter may wait for the controller to compile the latest change before judging (OVN: until
   * NB_Global.nb_cfg reaches SB_Global's); past it, what is not compiled yet is reported not realized
   * (NorthdNotRunning when nothing was compiled at all), never an exception.
   */
  waitMs: number;
};

/** The verdict on one resource, with the same kind and id as observe() reports it. */
export type RealizedResource = {
  kind: ObservedResource['kind'];
  id: string;
  realized: boolean;
  /** CamelCase (domain's REALIZED_REASONS, or the adapter's own): Realized, NotCompiled, PortNotBound... */
  reason: string;
  message: string;
  /** What the controller showed (e.g. "Port_Binding 7f3a… on datapath netplane-net-…"), for the diagnosis. */
  evidence?: readonly string[];
};

/** A verdict without its resource's kind and id: what an adapter's checks compute before naming the resource. */
export type RealizedVerdict = Omit<RealizedResource, 'kind' | 'id'>;

/** The resource is in effect (reason `Realized`); `evidence` says what showed it. */
export const realizedVerdict = (message: string, evidence: readonly string[] = []): RealizedVerdict => ({
  realized: true,
  reason: REALIZED_REASONS.realized,
  message,
  evidence,
});

/** The resource is not in effect, for `reason` (REALIZED_REASONS or the adapter's own CamelCase reason). */
export const unrealizedVerdict = (
  reason: string,
  message: string,
  evidence: readonly string[] = [],
): RealizedVerdict => ({ realized: false, reason, message, evidence });

export type RealizedReport = {
  /**
   * The controller as a whole: realized false (e.g. NorthdNotRunning) applies to every resource of the scope that
   * `resources` does not name; realized true says the latest change was compiled.
   */
  overall: { realized: boolean; reason: string; message: string };
  resources: readonly RealizedResource[];
};

/** The version of TraceSpec this SDK sends; an adapter answers INVALID_REQUEST for a version it does not know. */
export const TRACE_SPEC_VERSION = 1;

/** A traced packet's endpoint with its addresses resolved by the engine. */
export type TraceEndpointSpec =
  /** A NIC of the VPC (the packet leaves or reaches its port with its own MAC and IP). */
  | { kind: 'nic'; nicId: string; networkId: string; mac: string; ip: string }
  /** Source only: an address outside the VPC, arriving from the public network's upstream router (inbound). */
  | { kind: 'outside'; ip: string }
  /** Destination only: an address, possibly a public IP of the VPC (static NAT, LB, port forwarding) or outside. */
  | { kind: 'address'; ip: string };

/** One packet to trace, with the VPC as Netplane knows it so the adapter can name what it finds by our ids. */
export type TraceSpec = {
  version: typeof TRACE_SPEC_VERSION;
  vpcId: string;
  source: TraceEndpointSpec;
  destination: TraceEndpointSpec;
  flow: TraceFlow;
  tiers: readonly { networkId: string; name: string; cidr: string; gateway: string }[];
  /** The VPC's public side when it has one (its source-NAT address and range), for outside endpoints. */
  publicNetwork?: PublicNetworkSpec & { sourceNatIp: string };
};

/**
 * An ACL list rule as the console shows it ("allow tcp 22 from 10.0.0.0/8"), for the trace hops an ACL decided, so
 * every adapter's hops name a rule alike.
 */
export function describeAclRule(r: NetworkAclRuleSpec): string {
  const ports =
    (r.protocol === 'tcp' || r.protocol === 'udp') && r.portStart !== null
      ? r.portStart === r.portEnd
        ? ` ${r.portStart}`
        : ` ${r.portStart}-${r.portEnd}`
      : r.protocol === 'icmp' && r.icmpType !== null && r.icmpType !== -1
        ? ` type ${r.icmpType}`
        : '';
  return `${r.action} ${r.protocol}${ports} ${r.trafficType === 'Ingress' ? 'from' : 'to'} ${r.cidrs.join(', ')}`;
}
