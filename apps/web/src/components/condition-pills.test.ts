import { describe, expect, it } from 'vitest';
import { isSyncedNotRealized } from './condition-pills';

const c = (type: string, status: string) => ({ type, status, reason: 'X', message: '' });

describe('isSyncedNotRealized', () => {
  it('is "Implemented and Synced but not Realized" only with Ready and Synced True and Realized False', () => {
    expect(isSyncedNotRealized([c('Ready', 'True'), c('Synced', 'True'), c('Realized', 'False')])).toBe(true);
    expect(isSyncedNotRealized([c('Ready', 'True'), c('Synced', 'False'), c('Realized', 'False')])).toBe(
      false,
    );
    expect(isSyncedNotRealized([c('Ready', 'True'), c('Synced', 'True'), c('Realized', 'Unknown')])).toBe(
      false,
    );
    expect(isSyncedNotRealized([c('Ready', 'True'), c('Synced', 'True')])).toBe(false);
  });
});
