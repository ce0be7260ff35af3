import { describe, expect, it } from 'vitest';
import { cellView, changedCells, FLOW_CHIPS, flowKey, type Matrix, OUTSIDE, parseFlow } from './matrix-model';

const web = { id: 'T-web', name: 'web', cidr: '10.1.1.0/24' };
const db = { id: 'T-db', name: 'db', cidr: '10.1.2.0/24' };
const outside = { id: OUTSIDE, name: 'Outside', cidr: null };
const deny20 = {
  type: 'aclRule' as const,
  listId: 'L1',
  ruleId: 'R20',
  number: 20,
  action: 'deny' as const,
  trafficType: 'Ingress' as const,
};
const before: Matrix = {
  sources: [web, db, outside],
  destinations: [web, db],
  cells: [
    {
      sourceId: 'T-web',
      destinationId: 'T-db',
      verdict: 'denied',
      ref: deny20,
      listName: 'db-acl',
      summary: '',
    },
    { sourceId: 'T-db', destinationId: 'T-web', verdict: 'allowed', summary: '' },
    {
      sourceId: OUTSIDE,
      destinationId: 'T-db',
      verdict: 'denied',
      ref: { ...deny20, ruleId: null, number: null },
      listName: 'db-acl',
      summary: '',
    },
  ],
};

describe('cellView', () => {
  it('says the verdict in words with the rule that decides it and a link to that rule', () => {
    expect(cellView('V1', before, web, db)).toEqual({
      verdict: 'denied',
      word: 'Denied',
      decidedBy: 'rule 20 of db-acl',
      link: { to: '/vpcs/V1?acl=L1&rule=R20#network-acls', label: 'rule 20 of db-acl' },
      label: 'web to db: denied by rule 20 of db-acl',
    });
  });

  it("names a list's default, an unfiltered pair, and a pair the server did not compute", () => {
    expect(cellView('V1', before, outside, db)).toMatchObject({
      decidedBy: 'default of db-acl (no rule matched)',
      link: { to: '/vpcs/V1?acl=L1#network-acls' },
    });
    const open = cellView('V1', before, db, web);
    expect(open).toMatchObject({ verdict: 'allowed', word: 'Allowed', decidedBy: 'no ACL on the path' });
    expect(open.link).toBeUndefined();
    expect(cellView('V1', before, outside, web)).toMatchObject({ verdict: 'unknown', word: 'Not computed' });
  });
});

describe('changedCells', () => {
  it('lists the pairs whose verdict a change flipped', () => {
    const after: Matrix = {
      ...before,
      cells: before.cells.map((c) =>
        c.sourceId === 'T-web' ? { ...c, verdict: 'allowed', ref: { ...deny20, action: 'allow' } } : c,
      ),
    };
    expect([...changedCells(before, after)]).toEqual(['T-web→T-db']);
    expect(changedCells(before, before).size).toBe(0);
  });
});

describe('flows', () => {
  it('offers ssh, https and ping, and reads a custom flow typed as protocol/port', () => {
    expect(FLOW_CHIPS.map((c) => flowKey(c.flow))).toEqual(['tcp/22', 'tcp/443', 'icmp']);
    expect(parseFlow('tcp/5432')).toEqual({ protocol: 'tcp', port: 5432 });
    expect(parseFlow(' UDP:53 ')).toEqual({ protocol: 'udp', port: 53 });
    expect(parseFlow('icmp')).toMatchObject({ protocol: 'icmp' });
    expect(parseFlow('tcp/70000')).toBeNull();
    expect(parseFlow('sctp/5')).toBeNull();
    expect(parseFlow('tcp/0')).toBeNull();
  });
});
