// Roles on every procedure of appRouter, from an explicit classification. A new mutation that is not classified
// here makes this test fail with a message saying what to do.
import { testDialects } from '@netplane/db/testing';
import type { Role } from '@netplane/domain';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTestDeps, type TestDeps } from './fixtures/deps';
import { listProcedures } from './malformed-input-cases';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const ALL: Role[] = ['admin', 'operator', 'support', 'viewer'];
const ADMIN: Role[] = ['admin'];

/**
 * Who may call each mutation. 'public' = anyone, even logged out (guarded otherwise); a role list = those roles.
 * Inventory changes are admin only; provisioning is admin+operator; diagnostic actions add support.
 */
const MUTATION_ACCESS: Record<string, 'public' | Role[]> = {
  // Diagnostics actions and triage: admin, operator and support.
  'diagnostics.adopt': ['admin', 'operator', 'support'],
  'diagnostics.release': ['admin', 'operator', 'support'],
  'diagnostics.rerunNegotiation': ['admin', 'operator', 'support'],
  'diagnostics.retry': ['admin', 'operator', 'support'],
  'support.acknowledge': ['admin', 'operator', 'support'],
  'support.assign': ['admin', 'operator', 'support'],
  'auth.login': 'public',
  'auth.setup': 'public',
  'auth.logout': ALL,
  'auth.changePassword': ALL,
  // Everyone manages their own API tokens (a role at most their own; admins revoke anyone's).
  'tokens.create': ALL,
  'tokens.revoke': ALL,
  'users.create': ADMIN,
  'users.updateRole': ADMIN,
  'users.setDisabled': ADMIN,
  'users.resetPassword': ADMIN,
  'users.delete': ADMIN,
  // Inventory: admin only (support and operators read it, and act on diagnostics elsewhere).
  // Reloading an adapter restarts its process on the serving node: an inventory change, admin only.
  'adapters.reload': ADMIN,
  'controllers.create': ADMIN,
  'controllers.delete': ADMIN,
  'controllers.rotateCredentials': ADMIN,
  'controllers.setResourceState': ADMIN,
  'controllers.testConnection': ADMIN,
  'controllers.update': ADMIN,
  'offerings.create': ADMIN,
  'offerings.delete': ADMIN,
  'physicalNetworks.create': ADMIN,
  'physicalNetworks.delete': ADMIN,
  'physicalNetworks.setState': ADMIN,
  'physicalNetworks.update': ADMIN,
  'providers.create': ADMIN,
  'publicIpRanges.create': ADMIN,
  'publicIpRanges.delete': ADMIN,
  'providers.delete': ADMIN,
  'providers.setState': ADMIN,
  'providers.update': ADMIN,
  // The connectivity check is a triage tool (support too); a matrix runs up to 2,000 checks: provisioning roles.
  'connectivity.trace': ['admin', 'operator', 'support'],
  'connectivity.matrix': ['admin', 'operator'],
  // The demo: loads or removes a whole inventory.
  'demo.load': ADMIN,
  'demo.remove': ADMIN,
  'zones.create': ADMIN,
  'zones.delete': ADMIN,
  'zones.update': ADMIN,
  // Simulator scripting (faults, profile, stats): admin and operator, like provisioning.
  // An adapter's admin procedures: `control` access (apps/server/test/api/simulator-admin.test.ts: simulator.*).
  'test-sdn.setLabel': ['admin', 'operator'],
  // Provisioning (engine): admin and operator; retry is a diagnostics action, so support too.
  'jobs.cancel': ['admin', 'operator'],
  'publicIps.acquire': ['admin', 'operator'],
  'publicIps.release': ['admin', 'operator'],
  'jobs.retry': ['admin', 'operator', 'support'],
  'nics.prepare': ['admin', 'operator'],
  'nics.prepareBulk': ['admin', 'operator'],
  'nics.release': ['admin', 'operator'],
  'nics.releaseBulk': ['admin', 'operator'],
  'nics.reprepare': ['admin', 'operator'],
  'tiers.create': ['admin', 'operator'],
  'tiers.destroy': ['admin', 'operator'],
  'tiers.implement': ['admin', 'operator'],
  'tiers.shutdown': ['admin', 'operator'],
  'vpcs.create': ['admin', 'operator'],
  'vpcs.destroy': ['admin', 'operator'],
  'vpcs.reconcile': ['admin', 'operator'],
  'vpcs.repair': ['admin', 'operator'],
  // Public services (static NAT, LB rules): provisioning, admin and operator.
  'lbRules.create': ['admin', 'operator'],
  'lbRules.delete': ['admin', 'operator'],
  'lbRules.retry': ['admin', 'operator'],
  'lbRules.setMembers': ['admin', 'operator'],
  // Network ACL lists and rules: provisioning, admin and operator.
  'networkAcls.assign': ['admin', 'operator'],
  'networkAcls.create': ['admin', 'operator'],
  'networkAcls.createRule': ['admin', 'operator'],
  'networkAcls.delete': ['admin', 'operator'],
  'networkAcls.deleteRule': ['admin', 'operator'],
  'networkAcls.reorderRules': ['admin', 'operator'],
  'networkAcls.retry': ['admin', 'operator'],
  'networkAcls.updateRule': ['admin', 'operator'],
  'staticNat.disable': ['admin', 'operator'],
  'staticNat.enable': ['admin', 'operator'],
  'staticNat.retry': ['admin', 'operator'],
  'portForwarding.create': ['admin', 'operator'],
  'portForwarding.delete': ['admin', 'operator'],
  'portForwarding.retry': ['admin', 'operator'],
};

/** Queries every role may call, except these. */
const QUERY_EXCEPTIONS: Record<string, 'public' | Role[]> = {
  // The triage queue and support bundles are for the people who act on failures.
  'support.bundle': ['admin', 'operator', 'support'],
  'support.queue': ['admin', 'operator', 'support'],
  'auth.setupStatus': 'public',
  // User administration is admin only; support and viewers see actors' names in audit.list instead.
  'users.list': ADMIN,
};

const HOW_TO =
  'add it to MUTATION_ACCESS in packages/api/test/roles.test.ts with the roles that may call it ' +
  "('public' only for login-like procedures), and make its procedure use the matching base procedure from trpc.ts";

function callPath(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return e instanceof TRPCError ? e.code : `non-TRPCError ${String(e)}`;
  }
}

function accessOf(path: string, type: string): 'public' | Role[] | undefined {
  if (type === 'mutation') return MUTATION_ACCESS[path];
  return QUERY_EXCEPTIONS[path] ?? ALL;
}

describe('every mutation is classified', () => {
  it('has an entry in MUTATION_ACCESS for each mutation of appRouter', () => {
    const missing = listProcedures()
      .filter((p) => p.type === 'mutation' && !(p.path in MUTATION_ACCESS))
      .map((p) => `Unclassified mutation ${p.path}: ${HOW_TO}`);
    expect(missing, missing.join('\n')).toEqual([]);
  });
});

describe.each(testDialects())('roles on %s', (dialect) => {
  let t: TestDeps;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
  });
  afterAll(async () => t.cleanup());

  // Authorisation runs before input parsing, so an empty input tells allowed (BAD_REQUEST, OK...) from refused.
  it.each(ALL)('%s gets FORBIDDEN exactly on the procedures its role may not call', async (role) => {
    const wrong: string[] = [];
    for (const p of listProcedures().filter((x) => x.type !== 'subscription')) {
      const access = accessOf(p.path, p.type);
      if (access === undefined) continue; // reported by the classification test
      const allowed = access === 'public' || access.includes(role);
      const code = await codeOf(callPath(t.callerAs(role), p.path, undefined));
      if (!allowed && code !== 'FORBIDDEN') wrong.push(`${p.path}: ${role} should be FORBIDDEN, got ${code}`);
      if (allowed && (code === 'FORBIDDEN' || code === 'UNAUTHORIZED')) {
        wrong.push(`${p.path}: ${role} should be allowed, got ${code}`);
      }
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('a viewer gets FORBIDDEN on every mutation that is not public or self-service', async () => {
    const selfService = new Set(['auth.logout', 'auth.changePassword', 'tokens.create', 'tokens.revoke']);
    const mutations = listProcedures().filter(
      (p) => p.type === 'mutation' && MUTATION_ACCESS[p.path] !== 'public' && !selfService.has(p.path),
    );
    expect(mutations.length).toBeGreaterThan(0);
    for (const p of mutations) {
      expect(await codeOf(callPath(t.callerAs('viewer'), p.path, {})), p.path).toBe('FORBIDDEN');
    }
  });

  it('support can call every query but users.list, and no admin-only (inventory) mutation', async () => {
    for (const p of listProcedures()) {
      const access = accessOf(p.path, p.type);
      const code = await codeOf(callPath(t.callerAs('support'), p.path, undefined));
      if (p.type === 'query' && p.path !== 'users.list') expect(code, p.path).not.toBe('FORBIDDEN');
      if (p.type === 'mutation' && Array.isArray(access) && !access.includes('support')) {
        expect(code, p.path).toBe('FORBIDDEN');
      }
    }
  });

  it('answers UNAUTHORIZED to a caller without a session on everything but the public auth procedures', async () => {
    const wrong: string[] = [];
    for (const p of listProcedures().filter((x) => x.type !== 'subscription')) {
      const isPublic = accessOf(p.path, p.type) === 'public';
      const code = await codeOf(callPath(t.anonymousCaller(), p.path, undefined));
      if (!isPublic && code !== 'UNAUTHORIZED') wrong.push(`${p.path}: expected UNAUTHORIZED, got ${code}`);
      if (isPublic && code === 'UNAUTHORIZED') wrong.push(`${p.path}: public but answered UNAUTHORIZED`);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});
