import { CALL_OUTCOMES } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { isUnfinished, outcomeLook } from './call-outcomes';

describe('call outcome looks', () => {
  it('names every outcome with its own words, so none is told apart by colour only', () => {
    const labels = CALL_OUTCOMES.map((o) => outcomeLook(o).label);
    expect(new Set(labels).size).toBe(CALL_OUTCOMES.length);
    expect(outcomeLook('abandoned').meaning).toMatch(/died/);
  });

  it('treats only in-flight calls as not over, and in-flight and abandoned as unfinished', () => {
    expect(CALL_OUTCOMES.filter((o) => !outcomeLook(o).isOver)).toEqual(['inFlight']);
    expect(CALL_OUTCOMES.filter(isUnfinished)).toEqual(['inFlight', 'abandoned']);
  });
});
