// The ACL editor's logic: a rule in words for its table row, the rule form turned into the API's input through the
// domain's own zod schema (so a bad field shows before the request), and the renumbering that moves a rule.
import { type AclRuleInput, type AclRuleView, aclRuleInputSchema } from '@netplane/domain';

type RulePorts = Pick<AclRuleView, 'protocol' | 'portStart' | 'portEnd' | 'icmpType' | 'icmpCode'>;

/** Ports of a tcp/udp rule, ICMP type/code of an icmp rule, in the words of the rules table. */
export function matchText(r: RulePorts): string {
  if (r.protocol === 'tcp' || r.protocol === 'udp') {
    if (r.portStart === null || r.portEnd === null) return 'all ports';
    return r.portStart === r.portEnd ? `port ${r.portStart}` : `ports ${r.portStart}-${r.portEnd}`;
  }
  if (r.protocol === 'icmp') {
    const any = (v: number | null) => v === null || v === -1;
    if (any(r.icmpType)) return 'any ICMP';
    return `type ${r.icmpType}, ${any(r.icmpCode) ? 'any code' : `code ${r.icmpCode}`}`;
  }
  return 'all traffic';
}

/** One rule in one line, for its table row's accessible name and the delete confirmation. */
export function ruleSummary(r: RulePorts & Pick<AclRuleView, 'number' | 'action' | 'trafficType' | 'cidrs'>) {
  const proto = r.protocol === 'all' ? 'all protocols' : r.protocol.toUpperCase();
  const side = r.trafficType === 'Ingress' ? 'from' : 'to';
  return `#${r.number} ${r.action} ${r.trafficType.toLowerCase()} ${proto} ${matchText(r)} ${side} ${r.cidrs.join(', ')}`;
}

/** The rule form as typed: every field a string, as the inputs hold them. */
export type RuleForm = {
  number: string;
  action: string;
  protocol: string;
  trafficType: string;
  portStart: string;
  portEnd: string;
  icmpType: string;
  icmpCode: string;
  cidrs: string;
  description: string;
};
export type RuleFormErrors = Partial<Record<keyof RuleForm, string>>;

export const emptyRuleForm = (number: number): RuleForm => ({
  number: String(number),
  action: 'allow',
  protocol: 'tcp',
  trafficType: 'Ingress',
  portStart: '',
  portEnd: '',
  icmpType: '',
  icmpCode: '',
  cidrs: '0.0.0.0/0',
  description: '',
});

export const ruleFormOf = (r: AclRuleView): RuleForm => ({
  number: String(r.number),
  action: r.action,
  protocol: r.protocol,
  trafficType: r.trafficType,
  portStart: r.portStart === null ? '' : String(r.portStart),
  portEnd: r.portEnd === null ? '' : String(r.portEnd),
  icmpType: r.icmpType === null ? '' : String(r.icmpType),
  icmpCode: r.icmpCode === null ? '' : String(r.icmpCode),
  cidrs: r.cidrs.join(', '),
  description: r.description,
});

// An empty box is null; anything else goes to the schema as a number (NaN fails there with the schema's message).
const num = (s: string) => (s.trim() === '' ? null : Number(s.trim()));

/** The form checked by the domain's schema: the API's input, or the first message per field. */
export function parseRuleForm(f: RuleForm): { rule: AclRuleInput } | { errors: RuleFormErrors } {
  // Fields that do not apply to the protocol are dropped rather than refused: switching tcp → icmp keeps no ports.
  const isPorts = f.protocol === 'tcp' || f.protocol === 'udp';
  const r = aclRuleInputSchema.safeParse({
    number: f.number.trim() === '' ? Number.NaN : Number(f.number.trim()),
    action: f.action,
    protocol: f.protocol,
    trafficType: f.trafficType,
    portStart: isPorts ? num(f.portStart) : null,
    portEnd: isPorts ? num(f.portEnd) : null,
    icmpType: f.protocol === 'icmp' ? num(f.icmpType) : null,
    icmpCode: f.protocol === 'icmp' ? num(f.icmpCode) : null,
    cidrs: f.cidrs
      .split(/[\s,]+/)
      .map((c) => c.trim())
      .filter(Boolean),
    description: f.description,
  });
  if (r.success) return { rule: r.data };
  const errors: RuleFormErrors = {};
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? 'number') as keyof RuleForm;
    errors[key] ??= FRIENDLY[key]?.(issue.code) ?? issue.message;
  }
  return { errors };
}

// zod's own words for a type error ("expected number, received NaN") say little to someone typing a port.
const FRIENDLY: Partial<Record<keyof RuleForm, (code: string) => string | undefined>> = {
  number: (c) => (c === 'invalid_type' || c.startsWith('too_') ? 'A whole number from 1 to 9999' : undefined),
  portStart: (c) => (c === 'invalid_type' || c.startsWith('too_') ? 'A port from 1 to 65535' : undefined),
  portEnd: (c) => (c === 'invalid_type' || c.startsWith('too_') ? 'A port from 1 to 65535' : undefined),
  icmpType: (c) => (c === 'invalid_type' || c.startsWith('too_') ? '-1 (any) or 0 to 255' : undefined),
  icmpCode: (c) => (c === 'invalid_type' || c.startsWith('too_') ? '-1 (any) or 0 to 255' : undefined),
  cidrs: (c) => (c === 'too_small' ? 'At least one CIDR, e.g. 10.0.1.0/24' : undefined),
};

/**
 * The reorder that moves rule `id` one place up or down: it swaps numbers with its neighbour, the others keep theirs.
 * null at either end of the list.
 */
export function moveOrder(
  rules: readonly { id: string; number: number }[],
  id: string,
  direction: 'up' | 'down',
): { ruleId: string; number: number }[] | null {
  const sorted = [...rules].sort((a, b) => a.number - b.number);
  const i = sorted.findIndex((r) => r.id === id);
  const j = direction === 'up' ? i - 1 : i + 1;
  const a = sorted[i];
  const b = sorted[j];
  if (i < 0 || !a || !b) return null;
  return [
    { ruleId: a.id, number: b.number },
    { ruleId: b.id, number: a.number },
  ];
}

/** The number a new rule gets: the next multiple of 10 after the highest (CloudStack's habit leaves room between). */
export function nextRuleNumber(rules: readonly { number: number }[]): number {
  const top = Math.max(0, ...rules.map((r) => r.number));
  return Math.min(9999, Math.floor(top / 10) * 10 + 10);
}
