// The connectivity check (connectivity.trace): one packet described by a VPC, a source, a destination and a flow, and
// the path an adapter says it takes, as hops named by Netplane's own objects (the ACL list and rule that matched, the
// static NAT / LB / port forwarding rule that rewrote it), never by a controller's raw flows. The same shapes cross
// the API (input by our ids) and the adapter contract (adapter-sdk's TraceSpec resolves the ids to addresses).
import { z } from 'zod';
import { idSchema } from '../inventory/common';

const port = z.number().int().min(1).max(65535);
const ipv4 = z.ipv4({ message: 'must be an IPv4 address' });

/** What the packet is: tcp/udp to a port (from an ephemeral source port unless given), or an ICMP message. */
export const traceFlowSchema = z.discriminatedUnion('protocol', [
  z.object({ protocol: z.literal('tcp'), port, sourcePort: port.optional() }),
  z.object({ protocol: z.literal('udp'), port, sourcePort: port.optional() }),
  z.object({
    protocol: z.literal('icmp'),
    /** Echo request (8/0) unless given. */
    icmpType: z.number().int().min(0).max(255).default(8),
    icmpCode: z.number().int().min(0).max(255).default(0),
  }),
]);
export type TraceFlow = z.infer<typeof traceFlowSchema>;

/** Where the packet starts: a NIC of the VPC, or an address outside it arriving on the VPC's public side (inbound). */
export const traceSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('nic'), nicId: idSchema }),
  z.object({ kind: z.literal('outside'), ip: ipv4 }),
]);
/** Where it goes: a NIC of the VPC, an acquired public IP of the VPC (NAT, LB, port forwarding), or any address. */
export const traceDestinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('nic'), nicId: idSchema }),
  z.object({ kind: z.literal('publicIp'), publicIpId: idSchema }),
  z.object({ kind: z.literal('ip'), ip: ipv4 }),
]);
export type TraceSource = z.infer<typeof traceSourceSchema>;
export type TraceDestination = z.infer<typeof traceDestinationSchema>;

export const connectivityTraceInputSchema = z.object({
  vpcId: idSchema,
  source: traceSourceSchema,
  destination: traceDestinationSchema,
  flow: traceFlowSchema,
});
export type ConnectivityTraceInput = z.infer<typeof connectivityTraceInputSchema>;

/**
 * The kinds of hop: port security (the NIC's own MAC/IP), an ACL decision, switching inside a tier, routing between
 * tiers or to the outside, a NAT rewrite (source NAT, static NAT, port forwarding), a load balancer's choice of
 * backend, and the delivery to the destination.
 */
export const TRACE_HOP_KINDS = ['portSecurity', 'acl', 'switch', 'route', 'nat', 'lb', 'deliver'] as const;
export type TraceHopKind = (typeof TRACE_HOP_KINDS)[number];

/** The Netplane object that decided a hop, by our ids (the console links to it). */
export const traceHopRefSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('aclRule'),
    listId: z.string(),
    /** null: no rule of the list matched and the list's implicit default decided (Ingress deny, Egress allow). */
    ruleId: z.string().nullable(),
    number: z.number().int().nullable(),
    action: z.enum(['allow', 'deny']),
    trafficType: z.enum(['Ingress', 'Egress']),
  }),
  z.object({ type: z.literal('staticNat'), ruleId: z.string() }),
  z.object({ type: z.literal('lbRule'), ruleId: z.string(), backend: z.string().optional() }),
  z.object({ type: z.literal('portForwarding'), ruleId: z.string() }),
  z.object({ type: z.literal('sourceNat'), publicIp: z.string() }),
  z.object({ type: z.literal('nic'), nicId: z.string() }),
]);
export type TraceHopRef = z.infer<typeof traceHopRefSchema>;

export const traceHopSchema = z.object({
  kind: z.enum(TRACE_HOP_KINDS),
  verdict: z.enum(['pass', 'drop']),
  /** Where the hop happens: a tier (networkId), the VPC's router, its gateway to the public side, or outside. */
  at: z.object({
    type: z.enum(['tier', 'router', 'gateway', 'outside']),
    id: z.string().nullable(),
    name: z.string(),
  }),
  /** One sentence for people: "ACL list web rule 20 (deny tcp 5432 from 10.1.1.0/24) dropped it". */
  summary: z.string(),
  ref: traceHopRefSchema.optional(),
  /** A rewrite made here (NAT, LB): which field, from what, to what. */
  rewrite: z
    .object({ field: z.enum(['ip4.src', 'ip4.dst', 'port.dst']), from: z.string(), to: z.string() })
    .optional(),
  /** What the controller showed for this hop (OVN: stage, match, priority of the logical flow), for experts. */
  evidence: z.array(z.string()),
});
export type TraceHop = z.infer<typeof traceHopSchema>;

/** delivered / dropped; unavailable when the adapter cannot trace (no trace call, ovn-trace not installed...). */
export const TRACE_OUTCOMES = ['delivered', 'dropped', 'unavailable'] as const;
export type TraceOutcome = (typeof TRACE_OUTCOMES)[number];

export const traceResultSchema = z.object({
  outcome: z.enum(TRACE_OUTCOMES),
  /** CamelCase, for machines: Delivered, AclDenied, PortSecurityDenied, NoRoute, NoGateway, TraceToolMissing... */
  reason: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
  message: z.string(),
  hops: z.array(traceHopSchema),
  /** Where it arrived when delivered: a NIC of the VPC, or the outside (an address upstream of the gateway). */
  deliveredTo: z
    .object({ nicId: z.string().nullable(), ip: z.string(), port: z.number().int().nullable() })
    .nullable(),
  /** What computed it: 'ovn-trace' with the command line and its (bounded) output, or 'simulator'. */
  tool: z.object({ name: z.string(), command: z.string().optional(), output: z.string().optional() }),
});
export type TraceResult = z.infer<typeof traceResultSchema>;
