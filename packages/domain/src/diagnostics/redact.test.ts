import { describe, expect, it } from 'vitest';
import { redactDeep, redactString } from './redact';

describe('redactDeep', () => {
  it('replaces secret-looking keys at any depth', () => {
    const out = redactDeep({ a: { password: 'p', apiKey: 'k', list: [{ token: 't', name: 'n' }] } });
    expect(out).toEqual({
      a: { password: '[redacted]', apiKey: '[redacted]', list: [{ token: '[redacted]', name: 'n' }] },
    });
  });

  it('scrubs known secret values, URL passwords, key=value secrets and envelope ciphertext from strings', () => {
    const s = redactString(
      'login canary-123 at https://admin:hunter2@ctl/ password=abc token: xyz np1.k1.aa.bb.cc.dd',
      ['canary-123'],
    );
    for (const bad of ['canary-123', 'hunter2', 'abc', 'xyz', 'np1.k1']) expect(s).not.toContain(bad);
  });

  it('scrubs an API token from any string', () => {
    const token = `npt_${'a'.repeat(12)}_${'B-_'.repeat(14)}c`;
    const s = redactString(`pasted ${token} into a description`);
    expect(s).toBe('pasted [redacted] into a description');
    // The id of the token behind an audit row is a row id, kept for support.
    expect(redactDeep({ actor_token_id: 'a-uuid' })).toEqual({ actor_token_id: 'a-uuid' });
  });

  it('leaves harmless values alone', () => {
    expect(redactDeep({ name: 'web', count: 3, ok: true, none: null })).toEqual({
      name: 'web',
      count: 3,
      ok: true,
      none: null,
    });
  });
});
