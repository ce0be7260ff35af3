import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../fixtures';
import { expectError, unique } from './helpers';

describe.each(testDialects())('zones and physical networks on %s', (dialect) => {
  let t: TestDeps;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('creates, lists, updates and deletes a zone, auditing each change', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z'), description: 'lab' });
    expect(zone).toMatchObject({ state: 'Enabled', version: 1, description: 'lab' });
    expect((await t.callerAs('viewer').zones.list()).map((z) => z.id)).toContain(zone.id);
    const renamed = await admin.zones.update({ id: zone.id, version: 1, name: `${zone.name}-b` });
    expect(renamed.version).toBe(2);
    await expectError(
      () => admin.zones.update({ id: zone.id, version: 1, description: 'stale' }),
      'CONFLICT',
    );
    await admin.zones.delete({ id: zone.id });
    await expectError(() => admin.zones.get({ id: zone.id }), 'NOT_FOUND');
    const audit = await t.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', zone.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['zones.create', 'zones.update', 'zones.delete']);
  });

  it('refuses a duplicate zone name with CONFLICT', async () => {
    const admin = t.callerAs('admin');
    const name = unique('dup');
    await admin.zones.create({ name });
    await expectError(() => admin.zones.create({ name }), 'CONFLICT');
  });

  it('refuses inventory changes to viewer, support and operator, and reads to nobody logged in', async () => {
    for (const role of ['viewer', 'support', 'operator'] as const) {
      await expectError(() => t.callerAs(role).zones.create({ name: unique('x') }), 'FORBIDDEN');
    }
    await expectError(() => t.anonymousCaller().zones.list(), 'UNAUTHENTICATED');
  });

  it('refuses to delete a zone that still has physical networks', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z') });
    const pn = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'pn' });
    await expectError(() => admin.zones.delete({ id: zone.id }), 'IN_USE');
    await admin.physicalNetworks.delete({ id: pn.id });
    await admin.zones.delete({ id: zone.id });
  });

  it('rejects ranges overlapping another physical network of the zone, and allows them in another zone', async () => {
    const admin = t.callerAs('admin');
    const z1 = await admin.zones.create({ name: unique('z') });
    const z2 = await admin.zones.create({ name: unique('z') });
    await admin.physicalNetworks.create({
      zoneId: z1.id,
      name: 'a',
      isolationMethods: ['vlan', 'vxlan'],
      vlanRanges: ['100-199'],
      vniRanges: [{ start: 5000, end: 5999 }],
    });
    const err = await expectError(
      () => admin.physicalNetworks.create({ zoneId: z1.id, name: 'b', vlanRanges: ['150-250'] }),
      'RANGE_OVERLAP',
    );
    expect(err.message).toMatch(/150-250 overlaps 100-199 of physical network "a"/);
    await expectError(
      () =>
        admin.physicalNetworks.create({
          zoneId: z1.id,
          name: 'c',
          isolationMethods: ['VXLAN'],
          vniRanges: ['5999-6000'],
        }),
      'RANGE_OVERLAP',
    );
    // A VLAN range and a VNI range never clash, and another zone has its own id space.
    await admin.physicalNetworks.create({
      zoneId: z1.id,
      name: 'd',
      isolationMethods: ['VXLAN'],
      vniRanges: ['150-250'],
    });
    const other = await admin.physicalNetworks.create({ zoneId: z2.id, name: 'a', vlanRanges: ['100-199'] });
    expect(other.vlanRanges).toEqual([{ start: 100, end: 199 }]);
  });

  it('lets only one of several concurrent creates with overlapping ranges in a zone succeed', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z') });
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((i) =>
        admin.physicalNetworks.create({
          zoneId: zone.id,
          name: `race-${i}`,
          vlanRanges: [`${100 + i}-${300 + i}`],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason.cause?.code).toBe('RANGE_OVERLAP');
    }
    expect(await admin.physicalNetworks.list({ zoneId: zone.id })).toHaveLength(1);
  });

  it('checks overlap on update too, but not against the network itself', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z') });
    const a = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'a', vlanRanges: ['10-20'] });
    const b = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'b', vlanRanges: ['30-40'] });
    const grown = await admin.physicalNetworks.update({ id: a.id, vlanRanges: ['10-25'] });
    expect(grown.vlanRanges).toEqual([{ start: 10, end: 25 }]);
    await expectError(
      () => admin.physicalNetworks.update({ id: b.id, vlanRanges: ['25-40'] }),
      'RANGE_OVERLAP',
    );
    const usage = await admin.physicalNetworks.rangeUsage({ id: a.id });
    expect(usage).toEqual([{ kind: 'vlan', start: 10, end: 25, size: 16, used: 0 }]);
  });

  it.each([
    ['a reversed range', { vlanRanges: ['200-100'] }],
    ['an out-of-range VLAN', { vlanRanges: ['4000-4095'] }],
    ['a malformed range', { vlanRanges: ['ten-twenty'] }],
    ['overlapping ranges in one list', { vlanRanges: ['1-10', '5-6'] }],
    ['an unknown isolation method', { isolationMethods: ['MPLS'] }],
  ])('rejects %s with BAD_INPUT', async (_what, extra) => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z') });
    await expectError(
      () => admin.physicalNetworks.create({ zoneId: zone.id, name: 'x', ...(extra as object) }),
      'BAD_INPUT',
    );
  });

  it('stores tags, traffic labels and state, and toggles state', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z') });
    const pn = await admin.physicalNetworks.create({
      zoneId: zone.id,
      name: 'p',
      isolationMethods: ['vxlan'],
      tags: ['Gold', 'gold', 'SSD'],
      trafficTypes: [{ type: 'Guest', labels: { KVM: 'cloudbr1' } }],
    });
    expect(pn).toMatchObject({ isolationMethods: ['VXLAN'], tags: ['Gold', 'SSD'], state: 'Disabled' });
    expect(pn.trafficTypes).toEqual([{ type: 'Guest', labels: { KVM: 'cloudbr1' } }]);
    expect((await admin.physicalNetworks.setState({ id: pn.id, state: 'Enabled' })).state).toBe('Enabled');
    expect((await admin.physicalNetworks.list({ zoneId: zone.id })).map((p) => p.id)).toEqual([pn.id]);
    await expectError(
      () => admin.physicalNetworks.create({ zoneId: 'no-such-zone', name: 'x' }),
      'NOT_FOUND',
    );
  });

  it('gives a zone DNS settings (default resolvers, no domain), updates and clears them, and refuses bad ones', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z-dns') });
    expect(zone).toMatchObject({ dnsServers: ['8.8.8.8', '8.8.4.4'], dnsDomain: null });
    const set = await admin.zones.update({
      id: zone.id,
      version: zone.version,
      dnsServers: ['10.0.0.53', '10.0.1.53'],
      dnsDomain: 'Cloud.Example.org',
    });
    expect(set).toMatchObject({ dnsServers: ['10.0.0.53', '10.0.1.53'], dnsDomain: 'cloud.example.org' });
    expect((await admin.zones.get({ id: zone.id })).dnsServers).toEqual(['10.0.0.53', '10.0.1.53']);
    const cleared = await admin.zones.update({ id: zone.id, version: set.version, dnsDomain: null });
    expect(cleared).toMatchObject({ dnsServers: ['10.0.0.53', '10.0.1.53'], dnsDomain: null });
    const own = await admin.zones.create({
      name: unique('z-dns'),
      dnsServers: ['192.0.2.53'],
      dnsDomain: 'lab.test',
    });
    expect(own).toMatchObject({ dnsServers: ['192.0.2.53'], dnsDomain: 'lab.test' });
    for (const bad of [
      { dnsServers: [] },
      { dnsServers: ['not-an-ip'] },
      { dnsServers: ['10.0.0.1', '10.0.0.1'] },
      { dnsServers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'] },
      { dnsDomain: 'under_score.example' },
      { dnsDomain: '-dash.example' },
    ]) {
      await expectError(() => admin.zones.update({ id: zone.id, ...bad }), 'BAD_INPUT');
    }
  });

  it('stores a physical network MTU (1500 unless given) and refuses one outside 1280-9216', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: unique('z-mtu') });
    const plain = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'plain' });
    expect(plain.mtu).toBe(1500);
    const jumbo = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'jumbo', mtu: 9000 });
    expect(jumbo.mtu).toBe(9000);
    const lowered = await admin.physicalNetworks.update({ id: jumbo.id, version: jumbo.version, mtu: 1600 });
    expect(lowered.mtu).toBe(1600);
    for (const mtu of [1000, 9217, 1500.5]) {
      await expectError(() => admin.physicalNetworks.update({ id: plain.id, mtu }), 'BAD_INPUT');
    }
  });
});
