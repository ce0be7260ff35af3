// The adapter admin seam: an adapter's own procedures (here test-sdn.*, from test/fixtures/test-admin.ts) mounted by
// createAppRouter with the roles of their access, zod validation, the audit log and the inventory context.
import { randomUUID } from 'node:crypto';
import { auditRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppRouter } from '../src/root';
import { makeTestDeps, type TestDeps } from './fixtures/deps';
import { TEST_ADAPTER_ID } from './fixtures/test-adapters';
import { testAdminSchema } from './fixtures/test-admin';

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'OK',
    (e: { code?: string }) => e.code ?? 'no code',
  );
}

describe.each(testDialects())('adapter admin procedures on %s', (dialect) => {
  let t: TestDeps;
  let controllerId: string;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const admin = t.callerAs('admin');
    const name = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;
    const zone = await admin.zones.create({ name: name('zone') });
    const pn = await admin.physicalNetworks.create({
      zoneId: zone.id,
      name: name('pn'),
      isolationMethods: ['VLAN'],
      tags: [],
      vlanRanges: [],
    });
    const provider = await admin.providers.create({ physicalNetworkId: pn.id, adapterId: TEST_ADAPTER_ID });
    const controller = await admin.controllers.create({
      providerId: provider.id,
      name: name('ctl'),
      endpoint: 'https://ok.example:8443',
      credentials: { username: 'admin', password: 'pw-not-a-canary' },
    });
    controllerId = controller.id;
  });
  afterAll(async () => t.cleanup());

  it('hands the handler the caller and the registered controller (without its credentials)', async () => {
    const seen = await t.callerAs('viewer')[TEST_ADAPTER_ID].describe({ controllerId });
    expect(seen).toEqual({ endpoint: 'https://ok.example:8443', protocol: 'HTTPS', actor: 'test-viewer' });
    expect(await codeOf(t.callerAs('viewer')[TEST_ADAPTER_ID].describe({ controllerId: randomUUID() }))).toBe(
      'NOT_FOUND',
    );
  });

  it('lets admin and operator call a control procedure, audits it as <adapter>.<name>, and refuses the others', async () => {
    expect(await t.callerAs('operator')[TEST_ADAPTER_ID].setLabel({ controllerId, label: 'blue' })).toEqual({
      label: 'blue',
    });
    await t.callerAs('admin')[TEST_ADAPTER_ID].setLabel({ controllerId, label: 'green' });
    for (const role of ['support', 'viewer'] as const)
      expect(await codeOf(t.callerAs(role)[TEST_ADAPTER_ID].setLabel({ controllerId, label: 'red' }))).toBe(
        'FORBIDDEN',
      );
    expect(await codeOf(t.anonymousCaller()[TEST_ADAPTER_ID].describe({ controllerId }))).toBe(
      'UNAUTHORIZED',
    );
    const { items } = await auditRepo.listAudit(t.db.db, { limit: 10, targetId: controllerId });
    expect(items.filter((a) => a.action === 'test-sdn.setLabel').map((a) => [a.before, a.after])).toEqual([
      [{ label: 'blue' }, { label: 'green' }],
      [{ label: null }, { label: 'blue' }],
    ]);
  });

  it('validates the input with the adapter schema before the handler runs', async () => {
    const bad = { controllerId, label: '' } as never;
    expect(await codeOf(t.callerAs('admin')[TEST_ADAPTER_ID].setLabel(bad))).toBe('BAD_REQUEST');
  });

  it('answers PRECONDITION_FAILED when the adapter is not loaded on this server', async () => {
    const saved = t.deps.adapters;
    t.deps.adapters = saved.filter((a) => a.id !== TEST_ADAPTER_ID);
    try {
      expect(await codeOf(t.callerAs('viewer')[TEST_ADAPTER_ID].describe({ controllerId }))).toBe(
        'PRECONDITION_FAILED',
      );
    } finally {
      t.deps.adapters = saved;
    }
  });
});

describe.each(testDialects())('adapter admin procedures of an adapter out of process on %s', (dialect) => {
  let t: TestDeps;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    // As the server registers a process adapter: its module has no admin (the protocol carries no admin calls).
    t.deps.adapters = t.deps.adapters.map((a) =>
      a.id === TEST_ADAPTER_ID && a.status === 'Fully Loaded'
        ? {
            ...a,
            module: { manifest: a.module.manifest, createElement: a.module.createElement },
            runtime: () => ({
              kind: 'process' as const,
              command: 'node serve.js',
              state: 'running' as const,
              pid: 4242,
              startedAt: null,
              restarts: 0,
              lastExit: null,
              rssBytes: null,
              protocolVersion: 1,
            }),
          }
        : a,
    );
  });
  afterAll(async () => t.cleanup());

  it('answers PRECONDITION_FAILED naming the reason and the setting, not a 500', async () => {
    const err = await t
      .callerAs('viewer')
      [TEST_ADAPTER_ID].describe({ controllerId: randomUUID() })
      .then(
        () => null,
        (e: { code?: string; message?: string; cause?: { details?: unknown } }) => e,
      );
    expect(err?.code).toBe('PRECONDITION_FAILED');
    expect(err?.message).toBe(
      `The ${TEST_ADAPTER_ID} adapter runs out of process on this server, and its admin procedures are served only in process (remove ${TEST_ADAPTER_ID}=process from NETPLANE_ADAPTER_RUNTIME to use them)`,
    );
    expect(err?.cause?.details).toEqual({ adapterId: TEST_ADAPTER_ID, reason: 'OUT_OF_PROCESS' });
  });
});

describe('createAppRouter', () => {
  it('refuses an adapter id that would mount over a core area', () => {
    expect(() => createAppRouter({ vpcs: testAdminSchema })).toThrow(
      /cannot mount admin procedures over the vpcs/,
    );
  });
});
