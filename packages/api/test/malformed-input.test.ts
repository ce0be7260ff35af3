// Every procedure of appRouter, called as admin with malformed inputs, fails with a 4xx TRPCError, never a 500.
import { usersRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareFirstRun } from '../src/services/setup';
import { makeTestDeps, type TestDeps } from './fixtures/deps';
import { CLIENT_ERROR_CODES, listProcedures, malformedInputs } from './malformed-input-cases';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

function callPath(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

describe.each(testDialects())('malformed input on %s', (dialect) => {
  let t: TestDeps;
  let adminId = '';
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    await prepareFirstRun(t.deps, 'malformed admin password');
    adminId = (await usersRepo.findUserByUsername(t.db.db, 'admin'))?.id ?? '';
  });
  afterAll(async () => t.cleanup());

  it('finds the procedures of the app router', () => {
    const paths = listProcedures().map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['auth.login', 'users.create', 'audit.list']));
  });

  it('answers every malformed call to every procedure with a 4xx TRPCError (never INTERNAL_SERVER_ERROR)', async () => {
    const failures: string[] = [];
    let calls = 0;
    const codes: Record<string, number> = {};
    for (const p of listProcedures().filter((x) => x.type !== 'subscription')) {
      for (const c of malformedInputs(p)) {
        calls++;
        const caller = t.callerAs('admin', { id: adminId, username: 'admin' });
        try {
          await callPath(caller, p.path, c.input);
        } catch (e) {
          const code = e instanceof TRPCError ? e.code : 'not a TRPCError';
          codes[code] = (codes[code] ?? 0) + 1;
          if (!(e instanceof TRPCError))
            failures.push(`${p.path} with ${c.label}: not a TRPCError (${String(e)})`);
          else if (!CLIENT_ERROR_CODES.has(e.code)) {
            failures.push(
              `${p.path} with ${c.label}: ${e.code}: ${String(e.cause ?? e.message).slice(0, 200)}`,
            );
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(50);
    // The plausible inputs get past validation to the lookups: unknown ids are answered NOT_FOUND.
    expect(codes.NOT_FOUND ?? 0, JSON.stringify(codes)).toBeGreaterThan(0);
    console.info(`malformed-input: ${calls} calls`, codes);
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
