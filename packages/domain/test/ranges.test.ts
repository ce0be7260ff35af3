import { describe, expect, it } from 'vitest';
import { findRangeConflicts, physicalNetworkCreateInput, rangeListSchema, toKindedRanges } from '../src';

describe('broadcast-domain ranges', () => {
  it('accepts strings and objects, single ids, and sorts them', () => {
    expect(rangeListSchema('vlan').parse(['300-399', { start: 100, end: 199 }, '42'])).toEqual([
      { start: 42, end: 42 },
      { start: 100, end: 199 },
      { start: 300, end: 399 },
    ]);
  });

  it.each([
    ['malformed', 'abc'],
    ['malformed', '10--20'],
    ['reversed', '200-100'],
    ['zero', '0-10'],
    ['above 4094', '4000-4095'],
  ])('rejects a %s VLAN range (%s)', (_what, value) => {
    expect(rangeListSchema('vlan').safeParse([value]).success).toBe(false);
  });

  it('takes VNIs up to 16777215 and no further', () => {
    expect(rangeListSchema('vni').parse(['16777000-16777215'])).toEqual([{ start: 16777000, end: 16777215 }]);
    expect(rangeListSchema('vni').safeParse(['16777000-16777216']).success).toBe(false);
    expect(rangeListSchema('vni').safeParse([{ start: 5, end: 1 }]).success).toBe(false);
  });

  it('rejects overlapping ranges within the same list, naming both', () => {
    const r = rangeListSchema('vlan').safeParse(['100-199', '150-160']);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/150-160 overlaps 100-199/);
  });

  it('finds overlaps with another physical network only for the same kind', () => {
    const mine = toKindedRanges({
      vlanRanges: [{ start: 100, end: 199 }],
      vniRanges: [{ start: 5000, end: 5999 }],
    });
    const others = [
      { physicalNetworkId: 'b', name: 'pn-b', ranges: [{ kind: 'vni' as const, start: 150, end: 160 }] },
      { physicalNetworkId: 'c', name: 'pn-c', ranges: [{ kind: 'vlan' as const, start: 199, end: 250 }] },
    ];
    const conflicts = findRangeConflicts(mine, others);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      kind: 'vlan',
      physicalNetworkId: 'c',
      other: { start: 199, end: 250 },
    });
  });

  it('defaults isolation to VLAN, matches it case-insensitively, and needs an overlay method for VNIs', () => {
    const pn = physicalNetworkCreateInput.parse({ zoneId: 'z', name: 'p', vlanRanges: ['10-20'] });
    expect(pn.isolationMethods).toEqual(['VLAN']);
    const overlay = physicalNetworkCreateInput.parse({
      zoneId: 'z',
      name: 'p',
      isolationMethods: ['vxlan', ' VxLaN', 'vlan'],
      vniRanges: ['5000-5999'],
    });
    expect(overlay.isolationMethods).toEqual(['VXLAN', 'VLAN']);
    expect(physicalNetworkCreateInput.safeParse({ zoneId: 'z', name: 'p', vniRanges: ['1-2'] }).success).toBe(
      false,
    );
    expect(
      physicalNetworkCreateInput.safeParse({ zoneId: 'z', name: 'p', isolationMethods: ['MPLS'] }).success,
    ).toBe(false);
  });

  it('allows one traffic type entry per type with per-hypervisor labels', () => {
    const ok = physicalNetworkCreateInput.parse({
      zoneId: 'z',
      name: 'p',
      trafficTypes: [
        { type: 'Guest', labels: { KVM: 'cloudbr1', VMware: 'vSwitch1' } },
        { type: 'Management' },
      ],
    });
    expect(ok.trafficTypes[0]?.labels.KVM).toBe('cloudbr1');
    const dup = physicalNetworkCreateInput.safeParse({
      zoneId: 'z',
      name: 'p',
      trafficTypes: [{ type: 'Guest' }, { type: 'Guest' }],
    });
    expect(dup.success).toBe(false);
    const badHv = physicalNetworkCreateInput.safeParse({
      zoneId: 'z',
      name: 'p',
      trafficTypes: [{ type: 'Guest', labels: { Bhyve: 'x' } }],
    });
    expect(badHv.success).toBe(false);
  });
});
