import { describe, expect, it } from 'vitest';
import { isAppError } from '../app-error';
import {
  aclCidrSchema,
  aclListNameSchema,
  aclRuleInputSchema,
  aclRuleSetSchema,
  assertAclRules,
} from './acl';

const base = {
  number: 10,
  action: 'allow',
  protocol: 'tcp',
  trafficType: 'Ingress',
  cidrs: ['10.0.0.0/16'],
} as const;
const messages = (v: unknown) => {
  const r = aclRuleInputSchema.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('network ACL rule validation', () => {
  it('accepts tcp with a port range, icmp with type/code, all with nothing', () => {
    expect(messages({ ...base, portStart: 80, portEnd: 443 })).toEqual([]);
    expect(messages({ ...base, protocol: 'icmp', icmpType: 8, icmpCode: 0 })).toEqual([]);
    expect(messages({ ...base, protocol: 'icmp', icmpType: -1, icmpCode: -1 })).toEqual([]);
    expect(messages({ ...base, protocol: 'all' })).toEqual([]);
    const parsed = aclRuleInputSchema.parse({ ...base, protocol: 'udp' });
    expect(parsed).toMatchObject({ portStart: null, portEnd: null, icmpType: null, description: '' });
  });
  it('refuses inverted, half and out-of-range port ranges', () => {
    expect(messages({ ...base, portStart: 443, portEnd: 80 })).toEqual(['port range 443-80 is inverted']);
    expect(messages({ ...base, portStart: 22 })).toEqual(['give both portStart and portEnd, or neither']);
    expect(messages({ ...base, portStart: 0, portEnd: 22 }).length).toBe(1);
    expect(messages({ ...base, portStart: 1, portEnd: 65536 }).length).toBe(1);
  });
  it('refuses ports with icmp or all, and ICMP type/code with tcp, udp or all', () => {
    expect(messages({ ...base, protocol: 'icmp', portStart: 1, portEnd: 2 })).toEqual([
      'ports do not apply to icmp',
    ]);
    expect(messages({ ...base, protocol: 'all', portStart: 1, portEnd: 2 })).toEqual([
      'ports do not apply to all',
    ]);
    expect(messages({ ...base, protocol: 'udp', icmpType: 8 })).toEqual([
      'ICMP type/code do not apply to udp',
    ]);
    expect(messages({ ...base, protocol: 'all', icmpCode: 3 })).toEqual([
      'ICMP type/code apply to icmp only',
    ]);
    expect(messages({ ...base, protocol: 'icmp', icmpCode: 3 })).toEqual(['an ICMP code needs an ICMP type']);
  });
  it('refuses bad, non-canonical and repeated CIDRs, and an empty CIDR list', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'x', '10.0.1.5/24', '::/0'])
      expect(aclCidrSchema.safeParse(bad).success, bad).toBe(false);
    expect(aclCidrSchema.safeParse('0.0.0.0/0').success).toBe(true);
    expect(messages({ ...base, cidrs: [] }).length).toBe(1);
    expect(messages({ ...base, cidrs: ['10.0.0.0/8', '10.0.0.0/8'] })).toEqual(['each CIDR at most once']);
  });
  it('refuses rule numbers outside 1..9999 and a set with a number twice', () => {
    expect(messages({ ...base, number: 0 }).length).toBe(1);
    expect(messages({ ...base, number: 10000 }).length).toBe(1);
    const set = aclRuleSetSchema.safeParse([base, { ...base, protocol: 'udp' }, { ...base, number: 11 }]);
    expect(set.success).toBe(false);
    expect(set.error?.issues[0]?.message).toBe('rule numbers used twice: 10');
  });
  it('reserves default_* names', () => {
    expect(aclListNameSchema.safeParse('web_to_db').success).toBe(true);
    expect(aclListNameSchema.safeParse('default_allow').success).toBe(false);
    expect(aclListNameSchema.safeParse('Web').success).toBe(false);
  });
  it('assertAclRules throws typed errors: CONFLICT NUMBER_TAKEN, BAD_INPUT with the reason', () => {
    const rule = aclRuleInputSchema.parse(base);
    const caught = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return isAppError(e) ? { code: e.code, reason: e.details?.reason } : { code: 'other' };
      }
      return null;
    };
    expect(caught(() => assertAclRules([rule, rule]))).toEqual({ code: 'CONFLICT', reason: 'NUMBER_TAKEN' });
    expect(caught(() => assertAclRules([{ ...rule, portStart: 9, portEnd: 1 }]))).toEqual({
      code: 'BAD_INPUT',
      reason: 'BAD_PORTS',
    });
    expect(caught(() => assertAclRules([{ ...rule, protocol: 'icmp', portStart: 1, portEnd: 1 }]))).toEqual({
      code: 'BAD_INPUT',
      reason: 'PORTS_NOT_ALLOWED',
    });
    expect(caught(() => assertAclRules([rule, { ...rule, number: 11 }]))).toBeNull();
  });
});
