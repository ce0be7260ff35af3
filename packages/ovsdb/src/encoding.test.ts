import { describe, expect, it } from 'vitest';
import {
  applyMapDiff,
  applySetDiff,
  map,
  namedUuid,
  optional,
  set,
  toAtoms,
  toRecord,
  toUuids,
  uuid,
} from './encoding';

describe('OVSDB value encoding', () => {
  it('builds tagged values as RFC 7047 spells them', () => {
    expect(uuid('u1')).toEqual(['uuid', 'u1']);
    expect(namedUuid('port0')).toEqual(['named-uuid', 'port0']);
    expect(set(['a', 'b'])).toEqual(['set', ['a', 'b']]);
    expect(map({ 'netplane:nic_id': 'n1' })).toEqual(['map', [['netplane:nic_id', 'n1']]]);
    expect(JSON.stringify(map({ a: '1' }))).toBe('["map",[["a","1"]]]');
  });

  it('reads a one-element set encoded as a bare atom', () => {
    expect(toAtoms('x')).toEqual(['x']);
    expect(toAtoms(['set', []])).toEqual([]);
    expect(toUuids(['uuid', 'u1'])).toEqual(['u1']);
    expect(
      toUuids([
        'set',
        [
          ['uuid', 'u1'],
          ['uuid', 'u2'],
        ],
      ]),
    ).toEqual(['u1', 'u2']);
    expect(optional(['set', []])).toBeUndefined();
    expect(optional('x')).toBe('x');
  });

  it('reads a map column as a record', () => {
    expect(
      toRecord([
        'map',
        [
          ['k', 'v'],
          ['n', 3],
        ],
      ]),
    ).toEqual({ k: 'v', n: '3' });
    expect(() => toRecord('x')).toThrow(TypeError);
  });

  it('applies an update2 set diff as a symmetric difference', () => {
    expect(applySetDiff(['a', 'b'], ['b', 'c'])).toEqual(['a', 'c']);
    expect(applySetDiff([['uuid', 'u1']], [['uuid', 'u1']])).toEqual([]);
    // a string "u1" and a uuid u1 are different atoms
    expect(applySetDiff(['u1'], [['uuid', 'u1']])).toHaveLength(2);
  });

  it('applies an update2 map diff: add new keys, remove same-value keys, replace changed values', () => {
    const cur: [string, string][] = [
      ['keep', '1'],
      ['drop', '2'],
      ['change', '3'],
    ];
    const next = applyMapDiff(cur, [
      ['drop', '2'],
      ['change', '4'],
      ['add', '5'],
    ]);
    expect(Object.fromEntries(next)).toEqual({ keep: '1', change: '4', add: '5' });
  });
});
