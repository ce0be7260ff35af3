// portForwarding.* through createCaller on both dialects, with the real engine and the simulator: input validation
// (typed 400s on the field), the address rules (acquired, by the NIC's VPC; not released under a rule), the
// conflicts with their reasons, the happy path (create → Active → paged list → delete), support bundle, audit, roles.
import { randomUUID } from 'node:crypto';
import { SimulatorHub } from '@netplane/adapter-simulator';
import { publicIpsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { ipv4ToInt } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  insertOffering,
  insertSimulatorProvider,
  insertZone,
} from '../../../../packages/api/test/fixtures/inventory';
import { makeTestDeps, simulatorRegistration, type TestDeps, waitDone } from './fixtures';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const STALL_MS = 30_000;

/** The TRPCError's code, the AppError's code and details.reason, and zod's issue paths. */
async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    const err = e as {
      code?: string;
      message?: string;
      cause?: { code?: string; details?: { reason?: string }; issues?: { path: unknown[] }[] };
    };
    return {
      code: err.code,
      appCode: err.cause?.code,
      reason: err.cause?.details?.reason,
      paths: (err.cause?.issues ?? []).map((i) => i.path.join('.')),
      message: err.message,
    };
  }
  throw new Error('expected the call to fail');
}

const ssh = {
  protocol: 'tcp' as const,
  publicPortStart: 2222,
  publicPortEnd: 2222,
  privatePortStart: 22,
  privatePortEnd: 22,
};

describe.each(testDialects())('port forwarding API on %s', (dialect) => {
  let t: TestDeps;
  let zoneId = '';
  let vpcOfferingId = '';
  let edgeOfferingId = '';
  let plainOfferingId = '';
  let hub: SimulatorHub;
  beforeAll(async () => {
    hub = new SimulatorHub('api-pf-test');
    t = await makeTestDeps(dialect, {
      adapters: [simulatorRegistration(hub)],
      engineOptions: { pollMs: 20, heartbeatMs: 200, leaseMs: 2000 },
    });
    const db = t.db.db;
    const now = Date.now();
    zoneId = await insertZone(db, { name: 'z-pf', now });
    await insertSimulatorProvider(db, t.keyring, {
      zoneId,
      vlan: { start: 430, end: 450 },
      providerName: 'sim-pf',
      enabledServices: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb', 'PortForwarding'],
      capabilityOverrides: {},
      password: 'canary-pw-pf',
      now,
    });
    const pn = await db
      .selectFrom('physical_networks')
      .select('id')
      .where('zone_id', '=', zoneId)
      .executeTakeFirstOrThrow();
    await publicIpsRepo.insertRange(
      db,
      {
        id: randomUUID(),
        zoneId,
        physicalNetworkId: pn.id,
        cidr: '198.51.100.0/24',
        gateway: '198.51.100.1',
        vlan: null,
        startIp: '198.51.100.10',
        endIp: '198.51.100.200',
        startNum: ipv4ToInt('198.51.100.10') ?? 0,
        endNum: ipv4ToInt('198.51.100.200') ?? 0,
        gatewayNum: ipv4ToInt('198.51.100.1') ?? 0,
      },
      now,
    );
    const offering = (kind: string, name: string, serviceProviders: Record<string, string>) =>
      insertOffering(db, { name, kind, serviceProviders, now });
    const base = { Connectivity: 'simulator', Dhcp: 'simulator' };
    vpcOfferingId = await offering('vpc', 'vpc-o', base);
    edgeOfferingId = await offering('network', 'pf-tier', {
      ...base,
      SourceNat: 'simulator',
      StaticNat: 'simulator',
      Lb: 'simulator',
      PortForwarding: 'simulator',
    });
    plainOfferingId = await offering('network', 'plain-tier', base);
    await t.deps.engine.start();
  });
  afterAll(async () => {
    await t.deps.engine.stop();
    await t.cleanup();
  });

  async function tierWithNics(cidr: string, offeringId: string, count: number) {
    const op = t.callerAs('operator');
    const vpc = await op.vpcs.create({
      name: `v-${randomUUID().slice(0, 6)}`,
      zoneId,
      offeringId: vpcOfferingId,
      cidr: `${cidr}.0.0/16`,
    });
    const tier = await op.tiers.create({ vpcId: vpc.id, name: 'web', offeringId, cidr: `${cidr}.1.0/24` });
    expect((await waitDone(t, (await op.tiers.implement({ id: tier.id })).jobId, STALL_MS)).state).toBe(
      'succeeded',
    );
    const prepared = await op.nics.prepareBulk({
      tierId: tier.id,
      nics: Array.from({ length: count }, (_, i) => ({ vmName: `vm${i}` })),
    });
    expect((await waitDone(t, prepared.jobId, STALL_MS)).state).toBe('succeeded');
    const ip = await op.publicIps.acquire({ vpcId: vpc.id });
    return { vpc, tier, nics: prepared.nics, ip, nic: prepared.nics[0] as (typeof prepared.nics)[number] };
  }

  it('refuses bad ranges and protocols with a 400 on the field, before anything is read', async () => {
    const op = t.callerAs('operator');
    const ids = { publicIpId: randomUUID(), nicId: randomUUID() };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ssh, publicPortStart: 0 }, 'publicPortStart'],
      [{ ...ssh, publicPortEnd: 65536 }, 'publicPortEnd'],
      [{ ...ssh, publicPortStart: 2300, publicPortEnd: 2200 }, 'publicPortEnd'],
      [{ ...ssh, privatePortStart: 30, privatePortEnd: 20 }, 'privatePortEnd'],
      [{ ...ssh, publicPortEnd: 2223 }, 'privatePortEnd'],
      [{ ...ssh, protocol: 'icmp' }, 'protocol'],
      [
        { ...ssh, publicPortStart: 1, publicPortEnd: 2000, privatePortStart: 1, privatePortEnd: 2000 },
        'publicPortEnd',
      ],
    ];
    for (const [input, path] of cases) {
      const f = await failure(op.portForwarding.create({ ...ids, ...input } as never));
      expect(f, JSON.stringify(input)).toMatchObject({ code: 'BAD_REQUEST' });
      expect(f.paths).toContain(path);
    }
    expect(
      await failure(op.portForwarding.create({ ...ssh, publicIpId: 'nope', nicId: ids.nicId })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('creates a rule (Active), lists it paged, refuses releasing its address, deletes it; audited', async () => {
    const op = t.callerAs('operator');
    const { vpc, ip, nic, tier } = await tierWithNics('10.61', edgeOfferingId, 1);
    const options = await t.callerAs('viewer').publicServices.options({ tierId: tier.id });
    expect(options.portForwarding).toMatchObject({ providerName: 'sim-pf', protocols: ['tcp', 'udp'] });
    const created = await op.portForwarding.create({
      ...ssh,
      publicIpId: ip.id,
      nicId: nic.id,
      publicPortEnd: 2223,
      privatePortEnd: 23,
    });
    expect(created.rule).toMatchObject({
      state: 'Add',
      publicIp: ip.address,
      privateIp: nic.ip,
      vmName: 'vm0',
      networkName: 'web',
    });
    expect((await waitDone(t, created.jobId, STALL_MS)).state).toBe('succeeded');
    const page = await t.callerAs('viewer').portForwarding.list({ vpcId: vpc.id, limit: 10 });
    expect(page).toMatchObject({
      total: 1,
      nextCursor: null,
      items: [{ id: created.rule.id, state: 'Active', publicPortEnd: 2223, privatePortEnd: 23 }],
    });
    expect(await failure(op.publicIps.release({ id: ip.id }))).toMatchObject({ appCode: 'IN_USE' });
    const bundle = await t.callerAs('support').support.bundle({ vpcId: vpc.id });
    expect(bundle.portForwardingRules).toEqual([
      expect.objectContaining({
        id: created.rule.id,
        private_ip: nic.ip,
        private_port_start: 22,
        private_port_end: 23,
      }),
    ]);
    expect(JSON.stringify(bundle)).not.toContain('canary-pw-pf');
    const audit = await t.callerAs('admin').audit.list({ limit: 50 });
    expect(audit.items.map((a) => a.action)).toContain('portForwarding.create');
    const del = await op.portForwarding.delete({ id: created.rule.id });
    expect((await waitDone(t, del.jobId, STALL_MS)).state).toBe('succeeded');
    expect((await op.portForwarding.list({ vpcId: vpc.id, limit: 10 })).items).toEqual([]);
    await op.publicIps.release({ id: ip.id });
  });

  it('refuses with a reason: the service not offered, an address of another VPC, an overlap, a static NAT address, an LB port', async () => {
    const op = t.callerAs('operator');
    const plain = await tierWithNics('10.62', plainOfferingId, 1);
    expect(
      await failure(op.portForwarding.create({ ...ssh, publicIpId: plain.ip.id, nicId: plain.nic.id })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'SERVICE_NOT_OFFERED',
    });
    const { vpc, tier, ip, nic } = await tierWithNics('10.63', edgeOfferingId, 1);
    expect(
      await failure(op.portForwarding.create({ ...ssh, publicIpId: plain.ip.id, nicId: nic.id })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'PUBLIC_IP_OTHER_VPC',
    });
    expect(
      await failure(op.portForwarding.create({ ...ssh, publicIpId: randomUUID(), nicId: nic.id })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    const first = await op.portForwarding.create({
      ...ssh,
      publicIpId: ip.id,
      nicId: nic.id,
      publicPortEnd: 2230,
      privatePortEnd: 30,
    });
    await waitDone(t, first.jobId, STALL_MS);
    const overlap = await failure(
      op.portForwarding.create({
        ...ssh,
        publicIpId: ip.id,
        nicId: nic.id,
        publicPortStart: 2225,
        publicPortEnd: 2225,
      }),
    );
    expect(overlap).toMatchObject({ code: 'CONFLICT', reason: 'PORT_RANGE_OVERLAP' });
    expect(overlap.message).toContain('2222-2230');
    const lb = await op.lbRules.create({
      tierId: tier.id,
      name: 'web',
      publicIpId: ip.id,
      publicPort: 80,
      privatePort: 80,
      protocol: 'tcp',
      algorithm: 'roundrobin',
      nicIds: [nic.id],
    });
    await waitDone(t, lb.jobId, STALL_MS);
    expect(
      await failure(
        op.portForwarding.create({
          ...ssh,
          publicIpId: ip.id,
          nicId: nic.id,
          publicPortStart: 79,
          publicPortEnd: 81,
          privatePortStart: 79,
          privatePortEnd: 81,
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT', reason: 'LB_PORT_OVERLAP' });
    expect(await failure(op.staticNat.enable({ nicId: nic.id, publicIpId: ip.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'PUBLIC_IP_IN_USE',
    });
    const natIp = await op.publicIps.acquire({ vpcId: vpc.id });
    await waitDone(t, (await op.staticNat.enable({ nicId: nic.id, publicIpId: natIp.id })).jobId, STALL_MS);
    expect(
      await failure(op.portForwarding.create({ ...ssh, publicIpId: natIp.id, nicId: nic.id })),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'PUBLIC_IP_STATIC_NAT',
    });
  });

  it('lets viewers list and refuses them every change', async () => {
    const { vpc, ip, nic } = await tierWithNics('10.64', edgeOfferingId, 1);
    const viewer = t.callerAs('viewer');
    expect((await viewer.portForwarding.list({ vpcId: vpc.id, limit: 5 })).total).toBe(0);
    expect(
      await failure(viewer.portForwarding.create({ ...ssh, publicIpId: ip.id, nicId: nic.id })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(viewer.portForwarding.delete({ id: randomUUID() }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await failure(viewer.portForwarding.retry({ id: randomUUID() }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await failure(t.callerAs('operator').portForwarding.retry({ id: randomUUID() }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
