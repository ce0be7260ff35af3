import { describe, expect, it } from 'vitest';
import {
  cellView,
  changedCells,
  FLOW_CHIPS,
  flowKey,
  gridOf,
  lastChange,
  type MatrixRecord,
  OUTSIDE,
  parseFlow,
} from './matrix-model';

const deny20 = {
  type: 'aclRule' as const,
  listId: 'L1',
  ruleId: 'R20',
  number: 20,
  action: 'deny' as const,
  trafficType: 'Ingress' as const,
};
const cell = (over: Partial<MatrixRecord['cells'][number]>): MatrixRecord['cells'][number] => ({
  source: 'T-web',
  destination: 'T-db',
  flow: 0,
  allowed: true,
  reason: 'Delivered',
  message: 'Delivered',
  decidingRef: null,
  ...over,
});
const record: MatrixRecord = {
  protocols: [
    { protocol: 'tcp', port: 5432 },
    { protocol: 'icmp', icmpType: 8, icmpCode: 0 },
  ],
  tiers: [
    { networkId: 'T-web', name: 'web', cidr: '10.1.1.0/24', nicId: 'N1' },
    { networkId: 'T-db', name: 'db', cidr: '10.1.2.0/24', nicId: 'N2' },
  ],
  cells: [
    cell({ allowed: false, reason: 'AclDenied', decidingRef: deny20, message: 'Dropped by rule 20' }),
    cell({ source: 'T-db', destination: 'T-web', message: 'Delivered to 10.1.1.5' }),
    cell({
      source: null,
      allowed: false,
      reason: 'AclDenied',
      decidingRef: { ...deny20, ruleId: null, number: null },
    }),
    cell({
      source: null,
      destination: 'T-web',
      allowed: false,
      reason: 'NoInboundRule',
      message: 'no inbound rule',
    }),
    cell({ source: 'T-web', destination: 'T-web', message: 'Delivered to NIC web-1' }),
    cell({ flow: 1, allowed: true }),
  ],
};
const names = new Map([['L1', 'db-acl']]);
const grid = gridOf(record, 0, names);
const [web, db, outside] = grid.sources as [never, never, never];

describe('gridOf', () => {
  it('has the tiers then Outside as rows, the tiers as columns, and the cells of one flow', () => {
    expect(grid.sources.map((s) => s.name)).toEqual(['web', 'db', 'Outside']);
    expect(grid.sources.at(-1)?.id).toBe(OUTSIDE);
    expect(grid.destinations.map((d) => d.name)).toEqual(['web', 'db']);
    expect(grid.cells).toHaveLength(5);
    expect(gridOf(record, 1, names).cells).toHaveLength(1);
  });
});

describe('cellView', () => {
  it('says the verdict in words with the rule that decides it and a link to that rule', () => {
    expect(cellView('V1', grid, web, db)).toEqual({
      verdict: 'denied',
      word: 'Denied',
      decidedBy: 'rule 20 of db-acl',
      link: { to: '/vpcs/V1?acl=L1&rule=R20#network-acls', label: 'rule 20 of db-acl' },
      label: 'web to db: denied by rule 20 of db-acl',
      message: 'Dropped by rule 20',
    });
  });

  it("names a list's default, says the server's sentence when no rule decides, and a pair not computed", () => {
    expect(cellView('V1', grid, outside, db)).toMatchObject({
      decidedBy: 'default of db-acl (no rule matched)',
      link: { to: '/vpcs/V1?acl=L1#network-acls' },
    });
    const open = cellView('V1', grid, db, web);
    expect(open).toMatchObject({ verdict: 'allowed', word: 'Allowed', decidedBy: 'Delivered to 10.1.1.5' });
    expect(open.link).toBeUndefined();
    expect(cellView('V1', grid, outside, web)).toMatchObject({
      verdict: 'denied',
      decidedBy: 'no NAT, forwarding or LB rule leads in',
      message: 'no inbound rule',
    });
    expect(cellView('V1', grid, web, web)).toMatchObject({ decidedBy: 'same tier, no ACL between' });
    expect(cellView('V1', gridOf({ ...record, cells: [] }, 0, names), web, web)).toMatchObject({
      verdict: 'unknown',
      word: 'Not computed',
    });
  });

  it('a tier with no NIC has nothing to trace', () => {
    const g = gridOf(
      { ...record, cells: [cell({ allowed: false, reason: 'NoNic', message: 'db has no NIC' })] },
      0,
      names,
    );
    expect(cellView('V1', g, web, db)).toMatchObject({
      verdict: 'unknown',
      word: 'Nothing to trace',
      label: 'web to db: db has no NIC',
    });
  });
});

describe('changedCells', () => {
  it('lists the pairs whose verdict a change flipped', () => {
    const after = gridOf(
      {
        ...record,
        cells: record.cells.map((c, i) => (i === 0 ? { ...c, allowed: true, reason: 'Delivered' } : c)),
      },
      0,
      names,
    );
    expect([...changedCells(grid, after)]).toEqual(['T-web→T-db']);
    expect(changedCells(grid, grid).size).toBe(0);
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

describe('lastChange', () => {
  it('pairs the newest after-matrix with the before-matrix of its change, newest first', () => {
    const m = (id: string, kind: string, changeId: string | null) => ({ id, kind, changeId });
    const history = [
      m('m5', 'manual', null),
      m('m4', 'after', 'c2'),
      m('m3', 'before', 'c2'),
      m('m2', 'after', 'c1'),
    ];
    expect(lastChange(history)).toEqual({ before: history[2], after: history[1] });
    expect(lastChange([m('m2', 'after', 'c1')])).toBeNull();
    expect(lastChange([m('m1', 'manual', null)])).toBeNull();
  });
});
