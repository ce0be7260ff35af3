import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUPED_ADAPTER_ID, makeTestDeps, TEST_ADAPTER_ID, type TestDeps } from '../fixtures';
import { expectError, makeChain, unique } from './helpers';

describe.each(testDialects())('providers and controllers on %s', (dialect) => {
  let t: TestDeps;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  async function network() {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z') });
    return admin.physicalNetworks.create({
      zoneId: zone.id,
      name: 'pn',
      isolationMethods: ['GENEVE', 'VLAN'],
    });
  }

  it('adds a provider Disabled with every adapter service, once per adapter per physical network', async () => {
    const admin = t.callerAs('admin');
    const pn = await network();
    const p = await admin.providers.create({ physicalNetworkId: pn.id, adapterId: TEST_ADAPTER_ID });
    expect(p).toMatchObject({ state: 'Disabled', name: 'Test SDN', adapterId: TEST_ADAPTER_ID });
    expect(p.enabledServices).toContain('Lb');
    await expectError(
      () => admin.providers.create({ physicalNetworkId: pn.id, adapterId: TEST_ADAPTER_ID }),
      'CONFLICT',
    );
  });

  it('refuses an adapter that is not registered or failed to load', async () => {
    const admin = t.callerAs('admin');
    const pn = await network();
    await expectError(
      () => admin.providers.create({ physicalNetworkId: pn.id, adapterId: 'nope' }),
      'BAD_INPUT',
    );
    await expectError(
      () => admin.providers.create({ physicalNetworkId: pn.id, adapterId: 'broken-vendor' }),
      'PRECONDITION_FAILED',
    );
  });

  it('keeps enabled services a subset of the adapter, whole groups together, and capabilities only narrowed', async () => {
    const admin = t.callerAs('admin');
    const pn = await network();
    await expectError(
      () =>
        admin.providers.create({
          physicalNetworkId: pn.id,
          adapterId: TEST_ADAPTER_ID,
          enabledServices: ['Vpn'],
        }),
      'BAD_INPUT',
    );
    const grouped = await admin.providers.create({ physicalNetworkId: pn.id, adapterId: GROUPED_ADAPTER_ID });
    const err = await expectError(
      () => admin.providers.update({ id: grouped.id, enabledServices: ['Lb', 'Dhcp'] }),
      'BAD_INPUT',
    );
    expect(err.message).toMatch(/Lb, Firewall.*only together/);
    const p = await admin.providers.create({ physicalNetworkId: pn.id, adapterId: TEST_ADAPTER_ID });
    const narrowed = await admin.providers.update({
      id: p.id,
      enabledServices: ['Dhcp', 'Lb'],
      capabilityOverrides: { Lb: { SupportedLbAlgorithms: ['roundrobin'] } },
    });
    expect(narrowed.enabledServices).toEqual(['Dhcp', 'Lb']);
    await expectError(
      () =>
        admin.providers.update({
          id: p.id,
          capabilityOverrides: { Lb: { SupportedLbAlgorithms: ['magic'] } },
        }),
      'BAD_INPUT',
    );
  });

  it('follows CloudStack state rules: enabling needs a controller, Shutdown is final, Enabled cannot be deleted', async () => {
    const admin = t.callerAs('admin');
    const pn = await network();
    const p = await admin.providers.create({ physicalNetworkId: pn.id, adapterId: TEST_ADAPTER_ID });
    await expectError(() => admin.providers.setState({ id: p.id, state: 'Enabled' }), 'INVALID_STATE');
    const c = await admin.controllers.create({
      providerId: p.id,
      name: 'c1',
      endpoint: 'https://ctl.example:8443',
      credentials: { username: 'u', password: 'p' },
    });
    expect((await admin.providers.setState({ id: p.id, state: 'Enabled' })).state).toBe('Enabled');
    await expectError(() => admin.providers.delete({ id: p.id }), 'INVALID_STATE');
    expect((await admin.providers.setState({ id: p.id, state: 'Shutdown' })).state).toBe('Shutdown');
    await expectError(() => admin.providers.setState({ id: p.id, state: 'Enabled' }), 'INVALID_STATE');
    await expectError(
      () =>
        admin.controllers.create({
          providerId: p.id,
          name: 'c2',
          endpoint: 'https://ctl.example:8443',
          credentials: { username: 'u', password: 'p' },
        }),
      'INVALID_STATE',
    );
    await expectError(() => admin.providers.delete({ id: p.id }), 'IN_USE');
    await admin.controllers.delete({ id: c.id });
    await admin.providers.delete({ id: p.id });
    await expectError(() => admin.physicalNetworks.get({ id: 'missing' }), 'NOT_FOUND');
    await admin.physicalNetworks.delete({ id: pn.id });
  });

  it('creates a controller with adapter defaults, validating credentials and config against the adapter', async () => {
    const admin = t.callerAs('admin');
    const { provider, controller } = await makeChain(admin);
    expect(controller).toMatchObject({
      protocol: 'SIMULATED',
      resourceState: 'Enabled',
      hasCredentials: true,
      credentialsKeyId: t.keyring.activeKeyId,
      limits: { maxConcurrent: 16, callsPerSecond: 200, timeoutMs: 30_000 },
    });
    expect(controller).not.toHaveProperty('credentials');
    const base = { providerId: provider.id, name: 'x', endpoint: 'sim://x' };
    await expectError(
      () => admin.controllers.create({ ...base, credentials: { username: 'u' } }),
      'BAD_INPUT',
    );
    await expectError(
      () =>
        admin.controllers.create({
          ...base,
          credentials: { username: 'u', password: 'p' },
          config: { nope: 1 },
        }),
      'BAD_INPUT',
    );
    await expectError(
      () =>
        admin.controllers.create({ ...base, protocol: 'SSH', credentials: { username: 'u', password: 'p' } }),
      'BAD_INPUT',
    );
    await expectError(
      () =>
        admin.controllers.create({
          ...base,
          credentials: { username: 'u', password: 'p' },
          limits: { timeoutMs: 5 },
        }),
      'BAD_INPUT',
    );
    await expectError(
      () =>
        admin.controllers.create({
          ...base,
          name: controller.name,
          credentials: { username: 'u', password: 'p' },
        }),
      'CONFLICT',
    );
  });

  it('updates limits, rotates credentials write-only, and moves resource states as an admin may', async () => {
    const admin = t.callerAs('admin');
    const { controller } = await makeChain(admin);
    const updated = await admin.controllers.update({ id: controller.id, limits: { timeoutMs: 2000 } });
    expect(updated.limits).toEqual({ ...controller.limits, timeoutMs: 2000 });
    const rotated = await admin.controllers.rotateCredentials({
      id: controller.id,
      credentials: { username: 'admin', password: 'new-secret' },
    });
    expect(rotated.version).toBe(updated.version + 1);
    const maint = await admin.controllers.setResourceState({ id: controller.id, state: 'Maintenance' });
    expect(maint.resourceState).toBe('Maintenance');
    expect(
      (await admin.controllers.setResourceState({ id: controller.id, state: 'Enabled' })).resourceState,
    ).toBe('Enabled');
    await expectError(
      () => t.callerAs('operator').controllers.setResourceState({ id: controller.id, state: 'Disabled' }),
      'FORBIDDEN',
    );
  });

  it('tests a connection: stores health and a history row, returns version and latency', async () => {
    const admin = t.callerAs('admin');
    const { controller } = await makeChain(admin);
    const result = await admin.controllers.testConnection({ id: controller.id });
    expect(result).toMatchObject({ ok: true, category: null });
    expect(result.version).toBeTruthy();
    const after = await admin.controllers.get({ id: controller.id });
    expect(after.health).toMatchObject({ ok: true, checkedAt: result.checkedAt, lastError: null });
    const history = await t.callerAs('viewer').controllers.healthHistory({ id: controller.id });
    expect(history).toEqual([
      { checkedAt: result.checkedAt, ok: true, latencyMs: result.latencyMs, error: null },
    ]);
  });

  it.each([
    ['unreachable', 'https://unreachable.example:1', 'pw', 'UNREACHABLE'],
    ['rejecting the credentials', 'https://ctl.example:1', 'wrong-password', 'AUTH_FAILED'],
    ['too slow for its timeout', 'https://slow.example:1', 'pw', 'TIMEOUT'],
  ])(
    'reports a controller %s as a failed result with its category, not an error',
    async (_w, endpoint, password, category) => {
      const admin = t.callerAs('admin');
      const { controller } = await makeChain(admin, { adapterId: TEST_ADAPTER_ID, endpoint, password });
      await admin.controllers.update({ id: controller.id, limits: { timeoutMs: 200 } });
      const result = await admin.controllers.testConnection({ id: controller.id });
      expect(result).toMatchObject({ ok: false, category });
      expect(result.detail).toContain(category);
      const stored = await admin.controllers.get({ id: controller.id });
      expect(stored.health.ok).toBe(false);
      expect(stored.health.lastError).toBe(result.detail);
    },
  );

  it('deletes a controller no network uses, together with its health history', async () => {
    const admin = t.callerAs('admin');
    const { controller } = await makeChain(admin);
    await admin.controllers.testConnection({ id: controller.id });
    await admin.controllers.delete({ id: controller.id });
    await expectError(() => admin.controllers.get({ id: controller.id }), 'NOT_FOUND');
    const rows = await t.db.db
      .selectFrom('controller_health')
      .selectAll()
      .where('controller_id', '=', controller.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('lists adapters with status, credential field names and config fields', async () => {
    const list = await t.callerAs('support').adapters.list();
    const sim = list.find((a) => a.id === 'simulator');
    expect(sim?.status).toBe('Fully Loaded');
    expect(sim?.manifest?.credentialFields).toEqual(['username', 'password']);
    expect(sim?.manifest?.configFields.map((f) => f.name)).toEqual([
      'latencyMs',
      'jitterMs',
      'requireGatewayChassis',
      'gatewayChassis',
    ]);
    expect(sim?.manifest?.services.Lb?.SupportedLbAlgorithms).toContain('leastconn');
    expect(list.find((a) => a.id === 'broken-vendor')).toMatchObject({
      status: 'Unable to load',
      reason: expect.stringMatching(/version/),
      manifest: null,
    });
  });
});
