import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUPED_ADAPTER_ID, makeTestDeps, TEST_ADAPTER_ID, type TestDeps } from '../fixtures';
import { expectError, makeChain, unique } from './helpers';

describe.each(testDialects())('capability matrix and offerings on %s', (dialect) => {
  let t: TestDeps;
  let providerId: string;
  let physicalNetworkId: string;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const admin = t.callerAs('admin');
    const chain = await makeChain(admin, { tags: ['Gold'] });
    providerId = chain.provider.id;
    physicalNetworkId = chain.pn.id;
    await admin.providers.update({
      id: providerId,
      enabledServices: ['Dhcp', 'Dns', 'SourceNat', 'PortForwarding', 'Lb', 'Firewall'],
      capabilityOverrides: { Lb: { SupportedLbAlgorithms: ['roundrobin', 'leastconn'] } },
    });
    await admin.providers.setState({ id: providerId, state: 'Enabled' });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const offering = (over: object = {}) => ({
    name: unique('off'),
    kind: 'network' as const,
    serviceProviders: { Dhcp: 'simulator', SourceNat: 'simulator', PortForwarding: 'simulator' },
    tags: ['gold'],
    ...over,
  });

  it('builds the matrix with narrowed capabilities and a reason for each empty cell', async () => {
    const m = await t.callerAs('viewer').capabilities.matrix({ physicalNetworkId, requiredTags: ['GOLD'] });
    expect(m.rows).toHaveLength(1);
    const cell = (s: string) => m.rows[0]?.cells.find((c) => c.service === s);
    expect(cell('Lb')).toEqual({
      service: 'Lb',
      offered: true,
      capabilities: expect.objectContaining({ SupportedLbAlgorithms: ['roundrobin', 'leastconn'] }),
    });
    expect(cell('Vpn')).toMatchObject({ offered: false, reason: 'DISABLED' });
    // A service the adapter lacks: the in-test adapter offers no SecurityGroup.
    const other = await makeChain(t.callerAs('admin'), { adapterId: TEST_ADAPTER_ID });
    const otherMatrix = await t.callerAs('viewer').capabilities.matrix({ physicalNetworkId: other.pn.id });
    expect(otherMatrix.rows[0]?.cells.find((c) => c.service === 'SecurityGroup')).toMatchObject({
      offered: false,
      reason: 'NOT_OFFERED',
    });
    expect(otherMatrix.rows[0]?.cells.find((c) => c.service === 'Dhcp')).toMatchObject({
      offered: false,
      reason: 'PROVIDER_DISABLED',
    });
    const silver = await t
      .callerAs('viewer')
      .capabilities.matrix({ physicalNetworkId, requiredTags: ['silver'] });
    expect(silver.rows[0]?.cells.find((c) => c.service === 'Dhcp')).toMatchObject({
      reason: 'LABEL_MISMATCH',
    });
    await expectError(
      () => t.callerAs('viewer').capabilities.matrix({ physicalNetworkId: 'nope' }),
      'NOT_FOUND',
    );
  });

  it('creates, lists, gets and deletes a valid offering', async () => {
    const admin = t.callerAs('admin');
    const o = await admin.offerings.create(
      offering({
        serviceProviders: { Lb: 'simulator', SourceNat: 'simulator' },
        requiredCapabilities: { Lb: { SupportedLbAlgorithms: ['leastconn'] } },
      }),
    );
    expect(o).toMatchObject({ guestType: 'Isolated', isolationMethod: 'VLAN', state: 'Enabled' });
    expect((await t.callerAs('viewer').offerings.list({ kind: 'network' })).map((x) => x.id)).toContain(o.id);
    expect(await admin.offerings.get({ id: o.id })).toEqual(o);
    await expectError(() => admin.offerings.create(offering({ name: o.name })), 'CONFLICT');
    await admin.offerings.delete({ id: o.id });
    await expectError(() => admin.offerings.get({ id: o.id }), 'NOT_FOUND');
  });

  it('rejects a service no enabled provider can give, naming the service', async () => {
    const err = await expectError(
      () =>
        t
          .callerAs('admin')
          .offerings.create(offering({ serviceProviders: { Vpn: 'simulator', SourceNat: 'simulator' } })),
      'OFFERING_INVALID',
    );
    const problems = err.details?.problems as { kind: string; service: string }[];
    expect(problems).toEqual([expect.objectContaining({ kind: 'NO_PROVIDER', service: 'Vpn' })]);
    expect(err.message).toMatch(/Vpn/);
  });

  it('rejects a missing capability value, naming the service', async () => {
    const err = await expectError(
      () =>
        t.callerAs('admin').offerings.create(
          offering({
            serviceProviders: { Lb: 'simulator', SourceNat: 'simulator' },
            requiredCapabilities: { Lb: { SupportedLbAlgorithms: ['source'] } },
          }),
        ),
      'OFFERING_INVALID',
    );
    expect(err.details?.problems).toEqual([
      expect.objectContaining({
        kind: 'CAPABILITY_MISSING',
        service: 'Lb',
        capabilities: ['SupportedLbAlgorithms'],
      }),
    ]);
  });

  it('rejects PortForwarding without SourceNat, naming the service', async () => {
    const err = await expectError(
      () =>
        t.callerAs('admin').offerings.create(offering({ serviceProviders: { PortForwarding: 'simulator' } })),
      'OFFERING_INVALID',
    );
    expect(err.details?.problems).toEqual([
      expect.objectContaining({
        kind: 'COMBINATION_INVALID',
        service: 'PortForwarding',
        relatedServices: ['SourceNat'],
      }),
    ]);
  });

  it('rejects an isolation method the adapter does not support, and a split service group, naming the service', async () => {
    const admin = t.callerAs('admin');
    const iso = await expectError(
      () =>
        admin.offerings.create(offering({ serviceProviders: { Dhcp: 'simulator' }, isolationMethod: 'stt' })),
      'OFFERING_INVALID',
    );
    expect(iso.details?.problems).toContainEqual(
      expect.objectContaining({ kind: 'ISOLATION_UNSUPPORTED', service: 'Dhcp' }),
    );
    const grp = await expectError(
      () =>
        admin.offerings.create(
          offering({ serviceProviders: { Lb: GROUPED_ADAPTER_ID }, isolationMethod: 'GENEVE' }),
        ),
      'OFFERING_INVALID',
    );
    expect(grp.details?.problems).toContainEqual(
      expect.objectContaining({ kind: 'COMBINATION_INVALID', service: 'Lb', relatedServices: ['Firewall'] }),
    );
  });

  it('validates as a dry run for every role, storing nothing', async () => {
    const before = await t.callerAs('admin').offerings.list();
    const bad = await t
      .callerAs('viewer')
      .offerings.validate(offering({ serviceProviders: { PortForwarding: 'simulator' } }));
    expect(bad.valid).toBe(false);
    expect(bad.problems[0]?.service).toBe('PortForwarding');
    const good = await t.callerAs('viewer').offerings.validate(offering());
    expect(good).toEqual({ valid: true, problems: [] });
    expect(await t.callerAs('admin').offerings.list()).toEqual(before);
  });

  it('a disabled provider makes the same offering invalid', async () => {
    const admin = t.callerAs('admin');
    await admin.providers.setState({ id: providerId, state: 'Disabled' });
    try {
      const r = await admin.offerings.validate(offering({ serviceProviders: { Dhcp: 'simulator' } }));
      expect(r.problems).toEqual([expect.objectContaining({ kind: 'NO_PROVIDER', service: 'Dhcp' })]);
      expect(r.problems[0]?.message).toMatch(/Disabled/);
    } finally {
      await admin.providers.setState({ id: providerId, state: 'Enabled' });
    }
  });
});
