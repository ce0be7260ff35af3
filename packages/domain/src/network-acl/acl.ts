// Network ACL lists, as CloudStack has them: per VPC, ordered rules (number, allow/deny, protocol with ports or ICMP
// type/code, CIDRs, Ingress/Egress); the built-in lists default_allow and default_deny are global and read-only, and
// every tier uses exactly one list. The schemas are shared by the API (input), the engine (checks) and the console.
//
// Semantics every adapter implements (adapter-sdk's NetworkAclSpec documents them again):
// - rules are evaluated by number, lowest first; the first match decides;
// - `cidrs` is the remote side: the source of Ingress traffic, the destination of Egress traffic;
// - traffic between NICs of the same tier is never filtered (it does not cross the VPC router);
// - Ingress that no rule matches is dropped, Egress that no rule matches is allowed (CloudStack's default), so
//   default_deny reproduces the fixed default-deny the tiers had before lists existed;
// - allow is stateful: replies of an allowed connection pass whatever the other direction says.
import { z } from 'zod';
import { AppError } from '../app-error';

export const ACL_ACTIONS = ['allow', 'deny'] as const;
export type AclAction = (typeof ACL_ACTIONS)[number];
export const ACL_PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'] as const;
export type AclProtocol = (typeof ACL_PROTOCOLS)[number];
export const ACL_TRAFFIC_TYPES = ['Ingress', 'Egress'] as const;
export type AclTrafficType = (typeof ACL_TRAFFIC_TYPES)[number];

/** Rule numbers: 1..9999 (adapters map them onto priorities, lower number = higher priority). */
export const MAX_ACL_RULE_NUMBER = 9999;
/** Most rules in one list (keeps one apply call, and one OVN transaction, bounded). */
export const MAX_ACL_RULES = 500;
/** Most CIDRs on one rule. */
export const MAX_ACL_CIDRS = 32;

/** Fixed ids of the built-in lists (seeded by migration 009, identical on every installation). */
export const DEFAULT_ALLOW_ACL_ID = '00000000-0000-4000-8000-00000000ac01';
export const DEFAULT_DENY_ACL_ID = '00000000-0000-4000-8000-00000000ac02';
export const BUILTIN_ACL_IDS: readonly string[] = [DEFAULT_ALLOW_ACL_ID, DEFAULT_DENY_ACL_ID];
export const isBuiltinAcl = (id: string): boolean => BUILTIN_ACL_IDS.includes(id);

export const aclActionSchema = z.enum(ACL_ACTIONS);
export const aclProtocolSchema = z.enum(ACL_PROTOCOLS);
export const aclTrafficTypeSchema = z.enum(ACL_TRAFFIC_TYPES);
export const aclRuleNumberSchema = z.number().int().min(1).max(MAX_ACL_RULE_NUMBER);

/** Names of user lists: DNS-label-like; `default_*` is reserved for the built-ins. */
export const aclListNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(
    /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/,
    'lower-case letters, digits and inner dashes or underscores only',
  )
  .refine(
    (n) => !n.startsWith('default_'),
    'names starting with default_ are reserved for the built-in lists',
  );

/** A canonical IPv4 CIDR: host bits zero (10.0.0.0/8, not 10.1.2.3/8), so two rules never differ only in spelling. */
export const aclCidrSchema = z
  .cidrv4()
  .refine((c) => isCanonicalCidr(c), 'host bits must be zero (e.g. 10.0.1.0/24, not 10.0.1.5/24)');

export function isCanonicalCidr(cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const v = (base ?? '').split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - bits);
  return v % size === 0;
}

/** The fields of one rule as the API takes them; `aclRuleInputSchema` adds the cross-field checks. */
const ruleFields = z.object({
  number: aclRuleNumberSchema,
  action: aclActionSchema,
  protocol: aclProtocolSchema,
  trafficType: aclTrafficTypeSchema,
  /** tcp/udp only; both or neither (neither = every port). */
  portStart: z.number().int().min(1).max(65535).nullable().default(null),
  portEnd: z.number().int().min(1).max(65535).nullable().default(null),
  /** icmp only; -1 or null = any (CloudStack spells "any" -1). */
  icmpType: z.number().int().min(-1).max(255).nullable().default(null),
  icmpCode: z.number().int().min(-1).max(255).nullable().default(null),
  cidrs: z
    .array(aclCidrSchema)
    .min(1)
    .max(MAX_ACL_CIDRS)
    .refine((c) => new Set(c).size === c.length, 'each CIDR at most once'),
  description: z.string().trim().max(255).default(''),
});

export type AclRuleProblem = { path: string; message: string; reason: string };

/** The cross-field checks of one rule; empty when it is consistent. */
export function aclRuleProblems(r: {
  protocol: AclProtocol;
  portStart: number | null;
  portEnd: number | null;
  icmpType: number | null;
  icmpCode: number | null;
}): AclRuleProblem[] {
  const out: AclRuleProblem[] = [];
  const ports = r.portStart !== null || r.portEnd !== null;
  const icmp = (r.icmpType !== null && r.icmpType !== -1) || (r.icmpCode !== null && r.icmpCode !== -1);
  if (r.protocol === 'tcp' || r.protocol === 'udp') {
    if ((r.portStart === null) !== (r.portEnd === null))
      out.push({
        path: 'portEnd',
        message: 'give both portStart and portEnd, or neither',
        reason: 'BAD_PORTS',
      });
    else if (r.portStart !== null && r.portEnd !== null && r.portStart > r.portEnd)
      out.push({
        path: 'portEnd',
        message: `port range ${r.portStart}-${r.portEnd} is inverted`,
        reason: 'BAD_PORTS',
      });
    if (icmp)
      out.push({
        path: 'icmpType',
        message: `ICMP type/code do not apply to ${r.protocol}`,
        reason: 'ICMP_WITH_PORTS',
      });
  } else {
    if (ports)
      out.push({
        path: 'portStart',
        message: `ports do not apply to ${r.protocol}`,
        reason: 'PORTS_NOT_ALLOWED',
      });
    if (r.protocol === 'all' && icmp)
      out.push({ path: 'icmpType', message: 'ICMP type/code apply to icmp only', reason: 'ICMP_WITH_PORTS' });
    if (
      r.protocol === 'icmp' &&
      (r.icmpType === null || r.icmpType === -1) &&
      r.icmpCode !== null &&
      r.icmpCode !== -1
    )
      out.push({ path: 'icmpCode', message: 'an ICMP code needs an ICMP type', reason: 'BAD_ICMP' });
  }
  return out;
}

export const aclRuleInputSchema = ruleFields.superRefine((r, ctx) => {
  for (const p of aclRuleProblems(r)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
});
export type AclRuleInput = z.infer<typeof aclRuleInputSchema>;
export type AclRuleInputRaw = z.input<typeof aclRuleInputSchema>;

/** A whole rule set (a new list with its rules, or a reorder): numbers unique. */
export const aclRuleSetSchema = z
  .array(aclRuleInputSchema)
  .max(MAX_ACL_RULES)
  .superRefine((rules, ctx) => {
    const dup = duplicateNumbers(rules);
    if (dup.length > 0)
      ctx.addIssue({ code: 'custom', message: `rule numbers used twice: ${dup.join(', ')}`, path: [] });
  });

export function duplicateNumbers(rules: readonly { number: number }[]): number[] {
  const seen = new Set<number>();
  const dup = new Set<number>();
  for (const r of rules) (seen.has(r.number) ? dup : seen).add(r.number);
  return [...dup].sort((a, b) => a - b);
}

/**
 * The engine's check of a list as it would be after an edit: the same rules as the schemas, thrown as one typed
 * AppError (BAD_INPUT with details.reason, or CONFLICT NUMBER_TAKEN for a number another rule holds).
 */
export function assertAclRules(rules: readonly (AclRuleInput & { id?: string })[]): void {
  const dup = duplicateNumbers(rules);
  if (dup.length > 0)
    throw new AppError('CONFLICT', `Rule number ${dup.join(', ')} is already used in this list`, {
      reason: 'NUMBER_TAKEN',
      numbers: dup,
    });
  if (rules.length > MAX_ACL_RULES)
    throw new AppError('BAD_INPUT', `A list holds at most ${MAX_ACL_RULES} rules`, {
      reason: 'TOO_MANY_RULES',
    });
  for (const r of rules) {
    const [p] = aclRuleProblems(r);
    if (p)
      throw new AppError('BAD_INPUT', `Rule ${r.number}: ${p.message}`, { reason: p.reason, field: p.path });
  }
}

export const aclRuleViewSchema = z.object({
  id: z.string(),
  listId: z.string(),
  number: z.number().int(),
  action: aclActionSchema,
  protocol: aclProtocolSchema,
  trafficType: aclTrafficTypeSchema,
  portStart: z.number().int().nullable(),
  portEnd: z.number().int().nullable(),
  icmpType: z.number().int().nullable(),
  icmpCode: z.number().int().nullable(),
  cidrs: z.array(z.string()),
  description: z.string(),
});
export type AclRuleView = z.infer<typeof aclRuleViewSchema>;

export const ACL_LIST_STATES = ['Active', 'Applying', 'Error'] as const;
export type AclListState = (typeof ACL_LIST_STATES)[number];

export const aclListViewSchema = z.object({
  id: z.string(),
  /** null for the built-in lists, which every VPC sees. */
  vpcId: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  /** Applying: a job re-applies it to its tiers; Error: the last apply failed (lastError says why). */
  state: z.enum(ACL_LIST_STATES),
  lastError: z.string().nullable(),
  jobId: z.string().nullable(),
  /** Tiers that use the list (within the VPC asked about for the built-ins). */
  tiers: z.array(z.object({ id: z.string(), name: z.string(), state: z.string() })),
  createdAt: z.number(),
});
export type AclListView = z.infer<typeof aclListViewSchema>;
export const aclListDetailSchema = aclListViewSchema.extend({ rules: z.array(aclRuleViewSchema) });
export type AclListDetail = z.infer<typeof aclListDetailSchema>;

/** The rules of the built-in lists, as CloudStack seeds them (numbers 1 and 2). */
export const BUILTIN_ACL_RULES: Record<string, readonly AclRuleInput[]> = {
  [DEFAULT_ALLOW_ACL_ID]: (['Ingress', 'Egress'] as const).map((trafficType, i) => ({
    number: i + 1,
    action: 'allow' as const,
    protocol: 'all' as const,
    trafficType,
    portStart: null,
    portEnd: null,
    icmpType: null,
    icmpCode: null,
    cidrs: ['0.0.0.0/0'],
    description: `allow all ${trafficType.toLowerCase()}`,
  })),
  // Egress is allowed when no rule matches, so default_deny only needs the ingress rule to match the old behaviour.
  [DEFAULT_DENY_ACL_ID]: [
    {
      number: 1,
      action: 'deny',
      protocol: 'all',
      trafficType: 'Ingress',
      portStart: null,
      portEnd: null,
      icmpType: null,
      icmpCode: null,
      cidrs: ['0.0.0.0/0'],
      description: 'deny all ingress',
    },
  ],
};
