import { describe, expect, it } from 'vitest';
import { checkTransition, isTerminal } from './state-machines';

describe('state machines', () => {
  it('allows the network path Allocated → Implementing → Implemented → Shutdown → Allocated → Destroy', () => {
    const path = ['Allocated', 'Implementing', 'Implemented', 'Shutdown', 'Allocated', 'Destroy'];
    for (let i = 1; i < path.length; i++)
      expect(checkTransition('network', path[i - 1] as string, path[i] as string)).toEqual({ ok: true });
  });

  it('refuses skipping Implementing and leaving Destroy', () => {
    expect(checkTransition('network', 'Allocated', 'Implemented').ok).toBe(false);
    expect(checkTransition('network', 'Destroy', 'Allocated').ok).toBe(false);
    expect(isTerminal('network', 'Destroy')).toBe(true);
  });

  it('allows the NIC path Allocated → Reserving → Reserved → Releasing → Allocated → Deallocating', () => {
    const path = ['Allocated', 'Reserving', 'Reserved', 'Releasing', 'Allocated', 'Deallocating'];
    for (let i = 1; i < path.length; i++)
      expect(checkTransition('nic', path[i - 1] as string, path[i] as string).ok).toBe(true);
  });

  it('refuses releasing a NIC that is not reserved and names the allowed states', () => {
    const r = checkTransition('nic', 'Allocated', 'Releasing');
    expect(r).toEqual({
      ok: false,
      message: expect.stringContaining('allowed: Reserving, Deallocating, Error'),
    });
  });

  it('lets every non-terminal entity fall into Error and a retry leave it', () => {
    for (const s of ['Allocated', 'Implementing', 'Implemented', 'Shutdown'])
      expect(checkTransition('network', s, 'Error').ok).toBe(true);
    expect(checkTransition('network', 'Error', 'Implementing').ok).toBe(true);
    expect(checkTransition('nic', 'Error', 'Reserving').ok).toBe(true);
    expect(checkTransition('vpc', 'Error', 'Destroy').ok).toBe(true);
  });

  it('rejects unknown states', () => {
    expect(checkTransition('vpc', 'Bogus', 'Allocated').ok).toBe(false);
    expect(checkTransition('vpc', 'Allocated', 'Bogus').ok).toBe(false);
  });
});
