import { describe, expect, it } from 'vitest';
import { TableCache } from './cache';
import type { DatabaseSchema } from './schema';

const schema: DatabaseSchema = {
  name: 'Test',
  version: '1.0.0',
  tables: {
    Port: {
      columns: {
        name: { type: 'string' },
        tag: { type: { key: 'integer', min: 0, max: 1 } },
        addresses: { type: { key: 'string', min: 0, max: 'unlimited' } },
        external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      },
    },
  },
};

describe('TableCache', () => {
  it('stores one-element sets in the canonical ["set", [...]] form', () => {
    const c = new TableCache(schema);
    c.apply({ Port: { u1: { initial: { name: 'p', addresses: 'a', tag: ['set', []] } } } });
    expect(c.get('Port', 'u1')).toMatchObject({
      _uuid: 'u1',
      name: 'p',
      addresses: ['set', ['a']],
      tag: ['set', []],
    });
  });

  it('applies update2 modify diffs: scalars replaced, sets toggled, maps merged', () => {
    const c = new TableCache(schema);
    c.apply({
      Port: {
        u1: {
          insert: {
            name: 'p',
            addresses: ['set', ['a', 'b']],
            tag: 5,
            external_ids: [
              'map',
              [
                ['k', '1'],
                ['x', '9'],
              ],
            ],
          },
        },
      },
    });
    const changes = c.apply({
      Port: {
        u1: {
          modify: {
            name: 'q',
            addresses: ['set', ['b', 'c']],
            tag: ['set', [5, 7]],
            external_ids: [
              'map',
              [
                ['k', '1'],
                ['x', '8'],
                ['n', 'new'],
              ],
            ],
          },
        },
      },
    });
    expect(changes).toEqual([{ table: 'Port', uuid: 'u1', kind: 'modify' }]);
    const row = c.get('Port', 'u1');
    expect(row?.name).toBe('q');
    expect(row?.addresses).toEqual(['set', ['a', 'c']]);
    expect(row?.tag).toEqual(['set', [7]]);
    expect(row?.external_ids).toEqual([
      'map',
      [
        ['x', '8'],
        ['n', 'new'],
      ],
    ]);
  });

  it('removes deleted rows and ignores a modify of a row it never saw', () => {
    const c = new TableCache(schema);
    c.apply({ Port: { u1: { initial: { name: 'p' } } } });
    expect(c.apply({ Port: { u2: { modify: { name: 'x' } }, u1: { delete: null } } })).toEqual([
      { table: 'Port', uuid: 'u1', kind: 'delete' },
    ]);
    expect(c.size('Port')).toBe(0);
  });
});
