// Controller credentials and config checked against a manifest's JSON Schema: what zod did before (defaults, unknown
// keys of a non-strict object dropped, strict ones refused) and the "path: message" problems, never a value.
import { configSchemaFrom, credentialSchemaFrom } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkAgainstSchema, compileManifestSchema } from '../src/services/inventory/manifest-schemas';

describe('checkAgainstSchema', () => {
  it('fills defaults and drops fields a non-strict object does not name, like zod', () => {
    const schema = configSchemaFrom(
      z.object({ verifyTls: z.boolean().default(true), site: z.string().optional() }),
    );
    expect(checkAgainstSchema(schema, { site: 'par1', extra: 1 })).toEqual({
      ok: true,
      data: { site: 'par1', verifyTls: true },
    });
  });

  it('answers every problem as path: message, without the values', () => {
    const schema = configSchemaFrom(
      z.object({ ip: z.ipv4().optional(), n: z.number().int().min(1), name: z.string().max(3) }).strict(),
    );
    const r = checkAgainstSchema(schema, { ip: 'secret-looking-value', name: 'toolong', nope: true });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'n: is required',
        'nope: is not a known field',
        'name: must NOT have more than 3 characters',
        expect.stringMatching(/^ip: must (match format "ipv4"|match pattern)/),
      ]),
    );
    expect(problems.join(' ')).not.toContain('secret-looking-value');
  });

  it('keeps credentials secret-marked and validates them', () => {
    const schema = credentialSchemaFrom(
      z.object({ username: z.string().min(1), password: z.string().min(1) }),
    );
    expect(schema.properties?.password?.writeOnly).toBe(true);
    expect(checkAgainstSchema(schema, { username: 'u', password: 'p' })).toEqual({
      ok: true,
      data: { username: 'u', password: 'p' },
    });
    const bad = checkAgainstSchema(schema, { username: '' });
    expect(bad.ok ? [] : [...bad.problems].sort()).toEqual([
      'password: is required',
      'username: must NOT have fewer than 1 characters',
    ]);
  });

  it('compiles two schemas that share an $id (two versions of one adapter)', () => {
    const a = { $id: 'https://acme.example/config', type: 'object' as const, properties: {} };
    expect(() => [compileManifestSchema(a), compileManifestSchema({ ...a })]).not.toThrow();
  });
});
