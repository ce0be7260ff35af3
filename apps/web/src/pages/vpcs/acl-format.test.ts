import { describe, expect, it } from 'vitest';
import {
  emptyRuleForm,
  matchText,
  moveOrder,
  nextRuleNumber,
  parseRuleForm,
  ruleSummary,
} from './acl-format';

const base = { protocol: 'tcp' as const, portStart: null, portEnd: null, icmpType: null, icmpCode: null };

describe('matchText and ruleSummary', () => {
  it('says ports, ICMP type/code or all traffic as the protocol has them', () => {
    expect(matchText(base)).toBe('all ports');
    expect(matchText({ ...base, portStart: 22, portEnd: 22 })).toBe('port 22');
    expect(matchText({ ...base, protocol: 'udp', portStart: 1000, portEnd: 2000 })).toBe('ports 1000-2000');
    expect(matchText({ ...base, protocol: 'icmp', icmpType: -1 })).toBe('any ICMP');
    expect(matchText({ ...base, protocol: 'icmp', icmpType: 8, icmpCode: -1 })).toBe('type 8, any code');
    expect(matchText({ ...base, protocol: 'icmp', icmpType: 3, icmpCode: 4 })).toBe('type 3, code 4');
    expect(matchText({ ...base, protocol: 'all' })).toBe('all traffic');
  });

  it('puts the remote side after from (ingress) or to (egress)', () => {
    const r = {
      ...base,
      number: 10,
      action: 'deny' as const,
      portStart: 22,
      portEnd: 22,
      cidrs: ['10.0.0.0/8'],
    };
    expect(ruleSummary({ ...r, trafficType: 'Ingress' })).toBe(
      '#10 deny ingress TCP port 22 from 10.0.0.0/8',
    );
    expect(
      ruleSummary({ ...r, trafficType: 'Egress', protocol: 'all', portStart: null, portEnd: null }),
    ).toBe('#10 deny egress all protocols all traffic to 10.0.0.0/8');
  });
});

describe('parseRuleForm', () => {
  it('gives the API input for a good form, with the CIDR list split and ports as numbers', () => {
    const r = parseRuleForm({
      ...emptyRuleForm(10),
      portStart: '80',
      portEnd: '443',
      cidrs: '10.0.1.0/24, 10.0.2.0/24',
    });
    expect(r).toEqual({
      rule: expect.objectContaining({
        number: 10,
        portStart: 80,
        portEnd: 443,
        cidrs: ['10.0.1.0/24', '10.0.2.0/24'],
      }),
    });
  });

  it('drops the fields the protocol does not use instead of refusing them', () => {
    const r = parseRuleForm({
      ...emptyRuleForm(5),
      protocol: 'icmp',
      portStart: '80',
      portEnd: '80',
      icmpType: '8',
    });
    expect(r).toEqual({
      rule: expect.objectContaining({ portStart: null, portEnd: null, icmpType: 8, icmpCode: null }),
    });
  });

  it('names the field of each problem with the domain schema checks', () => {
    const errors = (f: Partial<ReturnType<typeof emptyRuleForm>>) => {
      const r = parseRuleForm({ ...emptyRuleForm(10), ...f });
      return 'errors' in r ? r.errors : {};
    };
    expect(errors({ number: '0' }).number).toMatch(/1 to 9999/);
    expect(errors({ number: 'x' }).number).toMatch(/1 to 9999/);
    expect(errors({ portStart: '80' }).portEnd).toMatch(/both portStart and portEnd/);
    expect(errors({ portStart: '90', portEnd: '80' }).portEnd).toMatch(/inverted/);
    expect(errors({ portStart: '70000', portEnd: '70000' }).portStart).toMatch(/1 to 65535/);
    expect(errors({ cidrs: '10.0.1.5/24' }).cidrs).toMatch(/host bits must be zero/);
    expect(errors({ cidrs: ' ' }).cidrs).toMatch(/At least one CIDR/);
    expect(errors({ protocol: 'icmp', icmpCode: '3' }).icmpCode).toMatch(/needs an ICMP type/);
  });
});

describe('moveOrder and nextRuleNumber', () => {
  const rules = [
    { id: 'c', number: 30 },
    { id: 'a', number: 10 },
    { id: 'b', number: 20 },
  ];
  it('swaps numbers with the neighbour in number order, and refuses past either end', () => {
    expect(moveOrder(rules, 'b', 'up')).toEqual([
      { ruleId: 'b', number: 10 },
      { ruleId: 'a', number: 20 },
    ]);
    expect(moveOrder(rules, 'b', 'down')).toEqual([
      { ruleId: 'b', number: 30 },
      { ruleId: 'c', number: 20 },
    ]);
    expect(moveOrder(rules, 'a', 'up')).toBeNull();
    expect(moveOrder(rules, 'c', 'down')).toBeNull();
    expect(moveOrder(rules, 'zz', 'up')).toBeNull();
  });

  it('numbers a new rule at the next ten, within 9999', () => {
    expect(nextRuleNumber([])).toBe(10);
    expect(nextRuleNumber(rules)).toBe(40);
    expect(nextRuleNumber([{ number: 25 }])).toBe(30);
    expect(nextRuleNumber([{ number: 9995 }])).toBe(9999);
  });
});
