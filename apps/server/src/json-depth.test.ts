import { describe, expect, it } from 'vitest';
import { isNestedDeeperThan } from './json-depth';

const nest = (d: number) => `${'['.repeat(d)}${']'.repeat(d)}`;

describe('isNestedDeeperThan', () => {
  it('counts arrays and objects alike, up to and past the limit', () => {
    expect(isNestedDeeperThan(nest(64), 64)).toBe(false);
    expect(isNestedDeeperThan(nest(65), 64)).toBe(true);
    expect(isNestedDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
    expect(isNestedDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
  });

  it('measures depth, not the number of brackets: siblings do not add up', () => {
    expect(isNestedDeeperThan(`[${Array(1000).fill('[1]').join(',')}]`, 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(isNestedDeeperThan(JSON.stringify({ s: '[[[[[[[[' }), 1)).toBe(false);
    expect(isNestedDeeperThan(JSON.stringify({ s: 'a"[[[[\\"[[[' }), 1)).toBe(false);
    expect(isNestedDeeperThan(JSON.stringify({ s: 'x\\', t: [[[1]]] }), 3)).toBe(true);
  });

  it('scans a body nested 1,000,000 deep without a stack overflow', () => {
    expect(isNestedDeeperThan(nest(1_000_000), 64)).toBe(true);
  });
});
