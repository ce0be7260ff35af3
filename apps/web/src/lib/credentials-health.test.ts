import { describe, expect, it } from 'vitest';
import { describeUnreadableCredentials } from './credentials-health';

describe('the credentials banner', () => {
  it('says nothing while every row is readable', () => {
    expect(
      describeUnreadableCredentials({ sealedRows: 3, unreadableRows: 0, missingKeyIds: [], controllers: [] }),
    ).toBeUndefined();
  });

  it('names the missing keys, the controllers (and how many more), and both fixes', () => {
    const text = describeUnreadableCredentials({
      sealedRows: 30,
      unreadableRows: 22,
      missingKeyIds: ['k1', 'k2'],
      controllers: [
        { id: 'a', name: 'ovn-east' },
        { id: 'b', name: 'ovn-west' },
      ],
    });
    expect(text?.headline).toBe('22 controllers’ credentials cannot be decrypted');
    expect(text?.detail).toContain('master keys k1, k2');
    expect(text?.detail).toContain('(ovn-east, ovn-west and 20 more)');
    expect(text?.detail).toContain('restore the key');
    expect(text?.detail).toContain('re-enter their credentials');
  });
});
