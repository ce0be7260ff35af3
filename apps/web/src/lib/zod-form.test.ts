import { zoneCreateInput } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { check, errorAt } from './zod-form';

describe('check', () => {
  it('returns the parsed value of valid input, with the schema defaults applied', () => {
    const r = check(zoneCreateInput, { name: ' eu-west ' });
    expect(r).toEqual({
      ok: true,
      data: {
        name: 'eu-west',
        description: '',
        state: 'Enabled',
        dnsServers: ['8.8.8.8', '8.8.4.4'],
        dnsDomain: null,
      },
    });
  });

  it('keys field errors by path and keeps the first problem of each field', () => {
    const r = check(zoneCreateInput, { name: '', state: 'Sideways' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['name', 'state']);
  });
});

describe('errorAt', () => {
  it('finds an error nested below a path, e.g. one range of a list', () => {
    expect(errorAt({ 'vlanRanges.1': 'overlaps' }, 'vlanRanges')).toBe('overlaps');
    expect(errorAt({ 'vlanRanges.1': 'overlaps' }, 'vniRanges')).toBeUndefined();
  });
});
