// Static NAT and load-balancing rules: their states (CloudStack's FirewallRule words) and the input and view
// schemas the API and the console share.
import { z } from 'zod';
import { conditionSchema } from '../conditions/conditions';
import { lbAlgorithmSchema, lbProtocolSchema } from '../vocabulary';

/** Add (apply job running) → Active; Revoke (revoke job running) → row deleted; Error when a call failed. */
export const RULE_STATES = ['Add', 'Active', 'Revoke', 'Error'] as const;
export type RuleState = (typeof RULE_STATES)[number];

/** Most members of one LB rule. */
export const MAX_LB_MEMBERS = 256;

export const publicIpSchema = z.ipv4();
export const portSchema = z.number().int().min(1).max(65535);
/** LB rule names: DNS-label-like, as controllers use them in their own object names. */
export const ruleNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and inner dashes only');
export const nicIdsSchema = z
  .array(z.uuid())
  .max(MAX_LB_MEMBERS)
  .refine((ids) => new Set(ids).size === ids.length, 'each NIC at most once');

const ruleCommon = {
  id: z.string(),
  vpcId: z.string(),
  networkId: z.string(),
  networkName: z.string(),
  publicIp: z.string(),
  /** The acquired address (publicIps) the rule takes; null only on a rule made before rules took acquired addresses. */
  publicIpId: z.string().nullable(),
  state: z.enum(RULE_STATES),
  lastError: z.string().nullable(),
  /** The rule's Realized condition once checked (empty before). */
  conditions: z.array(conditionSchema),
  jobId: z.string().nullable(),
  createdAt: z.number(),
};

export const staticNatViewSchema = z.object({
  ...ruleCommon,
  nicId: z.string(),
  vmName: z.string(),
  privateIp: z.string(),
});
export type StaticNatView = z.infer<typeof staticNatViewSchema>;

export const lbRuleViewSchema = z.object({
  ...ruleCommon,
  name: z.string(),
  publicPort: z.number().int(),
  privatePort: z.number().int(),
  protocol: lbProtocolSchema,
  algorithm: lbAlgorithmSchema,
  members: z.array(z.object({ nicId: z.string(), vmName: z.string(), ip: z.string() })),
});
export type LbRuleView = z.infer<typeof lbRuleViewSchema>;

/** An address a VPC acquired, with the rules on it: what the static NAT and LB dialogs pick from. */
export const ruleAddressSchema = z.object({
  id: z.string(),
  address: z.string(),
  purpose: z.enum(['SourceNat', 'User']),
  usedBy: z.array(
    z.object({
      kind: z.enum(['staticNat', 'lbRule', 'portForward']),
      id: z.string(),
      label: z.string(),
      /** An LB rule's public port (a port forward's first port) and protocol; null for a static NAT (every port). */
      port: z.number().int().nullable(),
      /** The last port the rule holds: a port forward's range end, else the same as `port`. */
      portEnd: z.number().int().nullable(),
      protocol: z.string().nullable(),
    }),
  ),
});
export type RuleAddress = z.infer<typeof ruleAddressSchema>;

/** May a new static NAT take this address? Not the source-NAT address, and no other rule on it. */
export const isFreeForStaticNat = (a: RuleAddress): boolean => a.purpose === 'User' && a.usedBy.length === 0;
/** May a new LB rule (or port forward) take this address? Not while a static NAT holds it (other rules may share it). */
export const isFreeForLb = (a: RuleAddress): boolean => a.usedBy.every((u) => u.kind !== 'staticNat');

/** Is an IPv4 address inside a CIDR (both assumed valid)? */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const toInt = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits ?? 32));
  const start = Math.floor(toInt(base ?? '') / size) * size;
  const v = toInt(ip);
  return v >= start && v < start + size;
}
