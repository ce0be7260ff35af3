// Every mutation given a well-formed input whose ids exist nowhere: refused with a 4xx, and nothing audited
// (an audit row claiming an action on an object that never was is a lie in the record).
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

/** Mutations whose plausible input refers to no existing object (they create one), so success is right for them. */
const NO_ID_TARGET = new Set([
  'auth.login',
  'auth.logout',
  'auth.setup',
  'auth.changePassword',
  'users.create',
  'zones.create',
  'tokens.create',
]);

describe.each(testDialects())('mutations on unknown ids on %s', (dialect) => {
  let t: TestDeps;
  let adminId = '';
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    await prepareFirstRun(t.deps, 'unknown ids admin password');
    adminId = (await usersRepo.findUserByUsername(t.db.db, 'admin'))?.id ?? '';
  });
  afterAll(async () => t.cleanup());

  const auditCount = async () =>
    Number(
      (
        await t.db.db
          .selectFrom('audit_log')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers every mutation on unknown ids with a 4xx and audits nothing', async () => {
    const wrong: string[] = [];
    const outcomes: Record<string, string> = {};
    for (const p of listProcedures().filter((x) => x.type === 'mutation' && !NO_ID_TARGET.has(x.path))) {
      const probe = malformedInputs(p).find((c) => c.label === 'plausible input with unknown ids');
      if (!probe) continue;
      const before = await auditCount();
      let outcome = 'ok';
      try {
        await callPath(t.callerAs('admin', { id: adminId, username: 'admin' }), p.path, probe.input);
        wrong.push(`${p.path}: succeeded on unknown ids ${JSON.stringify(probe.input)}`);
      } catch (e) {
        outcome = e instanceof TRPCError ? e.code : String(e);
        if (!(e instanceof TRPCError) || !CLIENT_ERROR_CODES.has(e.code)) wrong.push(`${p.path}: ${outcome}`);
      }
      outcomes[p.path] = outcome;
      const after = await auditCount();
      if (after !== before) wrong.push(`${p.path}: wrote ${after - before} audit row(s) (${outcome})`);
    }
    console.info('unknown ids:', outcomes);
    expect(Object.keys(outcomes).length).toBeGreaterThan(20);
    expect(outcomes['jobs.cancel']).toBe('NOT_FOUND');
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});
