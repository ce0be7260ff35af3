import { describe, expect, it } from 'vitest';
import { conditionOf, initialConditions, reasonFromCode, setCondition } from './conditions';

describe('conditions', () => {
  it('keeps lastTransitionTime when only the reason changes and moves it when the status changes', () => {
    const start = initialConditions(1);
    const ready = setCondition(
      start,
      { type: 'Ready', status: 'True', reason: 'Implemented', message: 'ok' },
      10,
    );
    expect(conditionOf(ready, 'Ready')?.lastTransitionTime).toBe(10);
    const same = setCondition(ready, { type: 'Ready', status: 'True', reason: 'Adopted', message: 'ok' }, 20);
    expect(conditionOf(same, 'Ready')).toMatchObject({ reason: 'Adopted', lastTransitionTime: 10 });
    expect(conditionOf(same, 'Synced')?.status).toBe('Unknown');
    expect(same.map((c) => c.type)).toEqual(['Ready', 'Synced']);
  });

  it('turns error codes into stable CamelCase reasons', () => {
    expect(reasonFromCode('CONTROLLER_TIMEOUT')).toBe('ControllerTimeout');
    expect(reasonFromCode('VENDOR_ERROR')).toBe('VendorError');
  });
});
