// Port forwarding rules (CloudStack's createPortForwardingRule): a range of ports of an acquired public IP onto the
// same number of ports of one NIC, tcp or udp. The input schemas refuse what no controller could apply (a reversed
// range, ranges of different lengths) with a zod issue on the field, so the API answers 400 and the console shows it.
import { z } from 'zod';
import { conditionSchema } from '../conditions/conditions';
import { RULE_STATES } from './rules';

export const PORT_FORWARDING_PROTOCOLS = ['tcp', 'udp'] as const;
export type PortForwardingProtocol = (typeof PORT_FORWARDING_PROTOCOLS)[number];
export const portForwardingProtocolSchema = z.enum(PORT_FORWARDING_PROTOCOLS);

/** Most ports one rule forwards: each port is one VIP on an OVN load balancer, so a huge range is refused early. */
export const MAX_FORWARDED_PORTS = 1000;

const port = z.number().int().min(1).max(65535);

/** The fields of a port range and the checks on them, shared by the API input and the console's form. */
export const portRangeFields = {
  publicPortStart: port,
  publicPortEnd: port,
  privatePortStart: port,
  privatePortEnd: port,
};

type Ranges = {
  publicPortStart: number;
  publicPortEnd: number;
  privatePortStart: number;
  privatePortEnd: number;
};

/** The issues of a pair of ranges: each start ≤ its end, both the same length, at most MAX_FORWARDED_PORTS ports. */
export function portRangeIssues(r: Ranges): { path: keyof Ranges; message: string }[] {
  const out: { path: keyof Ranges; message: string }[] = [];
  if (r.publicPortStart > r.publicPortEnd)
    out.push({ path: 'publicPortEnd', message: 'must not be below the public start port' });
  if (r.privatePortStart > r.privatePortEnd)
    out.push({ path: 'privatePortEnd', message: 'must not be below the private start port' });
  if (out.length > 0) return out;
  const pub = r.publicPortEnd - r.publicPortStart + 1;
  const priv = r.privatePortEnd - r.privatePortStart + 1;
  if (pub !== priv)
    out.push({
      path: 'privatePortEnd',
      message: `the private range has ${priv} port(s), the public range ${pub}; they must be the same length`,
    });
  else if (pub > MAX_FORWARDED_PORTS)
    out.push({ path: 'publicPortEnd', message: `at most ${MAX_FORWARDED_PORTS} ports per rule` });
  return out;
}

export const createPortForwardingSchema = z
  .object({
    /** An address acquired by the NIC's VPC (publicIps.acquire). */
    publicIpId: z.uuid(),
    nicId: z.uuid(),
    protocol: portForwardingProtocolSchema,
    ...portRangeFields,
  })
  .superRefine((r, ctx) => {
    for (const i of portRangeIssues(r)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
  });
export type CreatePortForwardingInput = z.infer<typeof createPortForwardingSchema>;

export const portForwardingViewSchema = z.object({
  id: z.string(),
  vpcId: z.string(),
  networkId: z.string(),
  networkName: z.string(),
  publicIpId: z.string(),
  publicIp: z.string(),
  nicId: z.string(),
  vmName: z.string(),
  privateIp: z.string(),
  protocol: portForwardingProtocolSchema,
  publicPortStart: z.number().int(),
  publicPortEnd: z.number().int(),
  privatePortStart: z.number().int(),
  privatePortEnd: z.number().int(),
  state: z.enum(RULE_STATES),
  lastError: z.string().nullable(),
  /** The rule's Realized condition once checked (empty before). */
  conditions: z.array(conditionSchema),
  jobId: z.string().nullable(),
  createdAt: z.number(),
});
export type PortForwardingView = z.infer<typeof portForwardingViewSchema>;
