import { describe, expect, it } from 'vitest';
import { parseConditionFilter, SYNCED_NOT_REALIZED } from './condition-filter';

describe('parseConditionFilter', () => {
  it('reads one condition and the several of "Implemented and Synced but not Realized"', () => {
    expect(parseConditionFilter('Synced:False')).toEqual([{ type: 'Synced', status: 'False' }]);
    expect(parseConditionFilter(SYNCED_NOT_REALIZED)).toEqual([
      { type: 'Ready', status: 'True' },
      { type: 'Synced', status: 'True' },
      { type: 'Realized', status: 'False' },
    ]);
  });

  it('drops unknown types and statuses, empty parts and a repeated type', () => {
    expect(parseConditionFilter('')).toEqual([]);
    expect(parseConditionFilter('Bogus:True,Realized:Maybe,,Realized:False,Realized:True')).toEqual([
      { type: 'Realized', status: 'False' },
    ]);
  });
});
