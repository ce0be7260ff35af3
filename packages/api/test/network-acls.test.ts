// networkAcls.* through the API on both dialects: the house page shape with the built-ins, zod validation as 400
// (bad CIDR, inverted ports, ports with icmp, ICMP with tcp, a number twice), numbers taken and lists in use as 409,
// built-in lists read-only (412), viewers read and cannot write, every change audited, assignment of a tier that is
// not implemented recorded without a job, a rule edit answered with its networkAcl.apply job, and the support bundle
// carrying the lists, their rules and each tier's list.
import { randomUUID } from 'node:crypto';
import { auditRepo, jobsRepo, networksRepo, vpcsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { DEFAULT_ALLOW_ACL_ID, DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from './fixtures/deps';
import { insertOffering, insertZone } from './fixtures/inventory';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
  );

const tcp = (number: number, over: Record<string, unknown> = {}) => ({
  number,
  action: 'allow' as const,
  protocol: 'tcp' as const,
  trafficType: 'Ingress' as const,
  portStart: 5432,
  portEnd: 5432,
  cidrs: ['10.0.1.0/24'],
  ...over,
});

describe.each(testDialects())('networkAcls router on %s', (dialect) => {
  let t: TestDeps;
  let vpcId = '';
  let tierId = '';
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const db = t.db.db;
    const now = Date.now();
    const zoneId = await insertZone(db, { name: 'z', now });
    const offeringId = await insertOffering(db, { name: 'o', kind: 'vpc', serviceProviders: {}, now });
    vpcId = randomUUID();
    await vpcsRepo.insertVpc(db, {
      id: vpcId,
      name: 'v',
      zoneId,
      offeringId,
      cidr: '10.0.0.0/16',
      state: 'Allocated',
      conditions: '[]',
      createdBy: 't',
      createdAt: now,
    });
    const pn = randomUUID();
    await db
      .insertInto('physical_networks')
      .values({
        id: pn,
        zone_id: zoneId,
        name: 'pn',
        isolation_methods: '["VLAN"]',
        tags: '[]',
        broadcast_ranges: '[]',
        traffic_types: '[]',
        state: 'Enabled',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    tierId = randomUUID();
    await networksRepo.insertNetwork(db, {
      id: tierId,
      vpcId,
      zoneId,
      name: 'db',
      offeringId,
      physicalNetworkId: pn,
      cidr: '10.0.2.0/24',
      gateway: '10.0.2.1',
      isolationMethod: 'VLAN',
      segmentKind: 'vlan',
      segmentId: null,
      broadcastUri: null,
      state: 'Allocated',
      conditions: '[]',
      createdAt: now,
    });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('pages the built-ins and the VPC lists in the house shape, viewers included', async () => {
    const operator = t.callerAs('operator');
    await operator.networkAcls.create({
      vpcId,
      name: 'web-to-db',
      rules: [tcp(10), tcp(20, { action: 'deny' })],
    });
    const viewer = t.callerAs('viewer');
    const first = await viewer.networkAcls.list({ vpcId, limit: 2 });
    expect(first.total).toBe(3);
    expect(first.items.map((l) => l.name)).toEqual(['default_allow', 'default_deny']);
    expect(first.items[1]?.tiers.map((x) => x.name)).toEqual(['db']);
    const second = await viewer.networkAcls.list({ vpcId, limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toMatchObject({
      nextCursor: null,
      items: [{ name: 'web-to-db', builtin: false, tiers: [] }],
    });
    const detail = await viewer.networkAcls.get({ id: second.items[0]?.id ?? '' });
    expect(detail.rules.map((r) => [r.number, r.action, r.portStart, r.icmpType])).toEqual([
      [10, 'allow', 5432, null],
      [20, 'deny', 5432, null],
    ]);
    expect(await codeOf(viewer.networkAcls.create({ vpcId, name: 'nope' }))).toBe('FORBIDDEN');
    expect(await codeOf(viewer.networkAcls.get({ id: randomUUID() }))).toBe('NOT_FOUND');
  });

  it('answers 400 for bad rules, 409 for a number taken or a name taken, 412 for a built-in list', async () => {
    const op = t.callerAs('operator');
    const list = await op.networkAcls.create({ vpcId, name: 'checks', rules: [tcp(1)] });
    const bad = [
      tcp(2, { cidrs: ['10.0.0.0/33'] }),
      tcp(2, { cidrs: ['10.0.1.7/24'] }),
      tcp(2, { portStart: 443, portEnd: 80 }),
      tcp(2, { protocol: 'icmp', icmpType: 8 }),
      tcp(2, { protocol: 'all' }),
      { ...tcp(2, { protocol: 'udp' }), portStart: null, portEnd: null, icmpType: 3 },
      tcp(0),
    ];
    for (const rule of bad)
      expect(await codeOf(op.networkAcls.createRule({ listId: list.id, rule })), JSON.stringify(rule)).toBe(
        'BAD_REQUEST',
      );
    expect(await codeOf(op.networkAcls.create({ vpcId, name: 'twice', rules: [tcp(3), tcp(3)] }))).toBe(
      'BAD_REQUEST',
    );
    expect(await codeOf(op.networkAcls.create({ vpcId, name: 'default_mine' }))).toBe('BAD_REQUEST');
    expect(await codeOf(op.networkAcls.createRule({ listId: list.id, rule: tcp(1) }))).toBe('CONFLICT');
    expect(await codeOf(op.networkAcls.create({ vpcId, name: 'checks' }))).toBe('CONFLICT');
    expect(await codeOf(op.networkAcls.createRule({ listId: DEFAULT_ALLOW_ACL_ID, rule: tcp(5) }))).toBe(
      'PRECONDITION_FAILED',
    );
    expect(await codeOf(op.networkAcls.delete({ id: DEFAULT_DENY_ACL_ID }))).toBe('PRECONDITION_FAILED');
  });

  it('returns the apply job with each rule edit and audits it', async () => {
    const op = t.callerAs('operator');
    const list = await op.networkAcls.create({ vpcId, name: 'edits' });
    const created = await op.networkAcls.createRule({ listId: list.id, rule: tcp(100) });
    const job = await jobsRepo.getJob(t.db.db, created.jobId);
    expect(job).toMatchObject({ kind: 'networkAcl.apply', targetType: 'aclList', targetId: list.id, vpcId });
    expect((await op.networkAcls.get({ id: list.id })).state).toBe('Applying');
    // The engine is not started here: the job stays queued, so a second edit waits for it.
    expect(await codeOf(op.networkAcls.deleteRule({ id: created.rule.id }))).toBe('CONFLICT');
    const audit = await auditRepo.listAudit(t.db.db, { limit: 50 });
    expect(audit.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(['networkAcl.create', 'networkAcl.createRule']),
    );
  });

  it('records the list of a tier not implemented yet without a job; a list in use is not deleted', async () => {
    const op = t.callerAs('operator');
    const list = await op.networkAcls.create({ vpcId, name: 'assigned' });
    expect(await op.networkAcls.assign({ tierId, listId: list.id })).toEqual({ jobId: null });
    expect((await op.networkAcls.get({ id: list.id })).tiers.map((x) => x.id)).toEqual([tierId]);
    expect(await codeOf(op.networkAcls.delete({ id: list.id }))).toBe('CONFLICT');
    expect(await codeOf(t.callerAs('viewer').networkAcls.assign({ tierId, listId: list.id }))).toBe(
      'FORBIDDEN',
    );
    await op.networkAcls.assign({ tierId, listId: DEFAULT_DENY_ACL_ID });
    expect(await op.networkAcls.delete({ id: list.id })).toEqual({ deleted: true });
  });

  it("exports the VPC's lists, their rules and each tier's list in the support bundle", async () => {
    const op = t.callerAs('operator');
    const list = await op.networkAcls.create({
      vpcId,
      name: 'bundled',
      rules: [tcp(30), tcp(10, { portStart: 22, portEnd: 22 })],
    });
    await op.networkAcls.assign({ tierId, listId: list.id });
    const bundle = await t.callerAs('support').support.bundle({ vpcId });
    expect(bundle.aclLists).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: list.id, vpc_id: vpcId, name: 'bundled' })]),
    );
    const mine = bundle.aclRules.filter((r) => (r as { list_id: string }).list_id === list.id);
    expect(mine).toMatchObject([
      { number: 10, port_start: 22, cidrs: ['10.0.1.0/24'] },
      { number: 30, port_start: 5432 },
    ]);
    expect(bundle.aclAssignments).toEqual([
      expect.objectContaining({ network_id: tierId, network_name: 'db', list_id: list.id, explicit: 1 }),
    ]);
    await op.networkAcls.assign({ tierId, listId: DEFAULT_DENY_ACL_ID });
  });
});
