// Keyset pages of the logs on both dialects: jobs with every filter and sort, the call log, NICs of a tier, the audit
// log, top-level diagnoses and the triage queue; ties broken by id, the total right on every page.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRepo,
  diagnosesRepo,
  elementCallsRepo,
  jobsRepo,
  networksRepo,
  nicsRepo,
  triageQueueRepo,
  type vpcsRepo,
} from '../src/index';
import { type TestDatabase, testDialects } from '../src/testing';
import { asc, desc, seedPageWorld, t0, walk } from './page-world';

describe.each(testDialects())('keyset pages of the logs on %s', (dialect) => {
  let t: TestDatabase;
  let zoneId = '';
  let networkOfferingId = '';
  let pnId = '';
  const vpcs: vpcsRepo.VpcRow[] = [];
  beforeAll(async () => {
    const w = await seedPageWorld(dialect);
    ({ t, zoneId, networkOfferingId, pnId } = w);
    vpcs.push(...w.vpcs);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('pages jobs with every filter and sort, ties broken by id', async () => {
    const vpc = vpcs[0] as vpcsRepo.VpcRow;
    const made: jobsRepo.JobRow[] = [];
    for (let i = 0; i < 23; i++) {
      const id = randomUUID();
      await jobsRepo.insertJob(t.db, {
        id,
        kind: i % 2 ? 'nic.prepare' : 'vpc.reconcile',
        targetType: 'vpc',
        targetId: vpc.id,
        vpcId: i % 3 ? vpc.id : null,
        payload: '{}',
        progressTotal: 1,
        deadlineAt: t0 + 60_000,
        createdBy: 't',
        now: t0 + Math.floor(i / 4),
      });
      made.push((await jobsRepo.getJob(t.db, id)) as jobsRepo.JobRow);
    }
    const cases: [jobsRepo.JobPageRequest, (j: jobsRepo.JobRow) => boolean][] = [
      [{ limit: 3 }, () => true],
      [
        { limit: 3, vpcId: vpc.id, kind: 'nic.prepare' },
        (j) => j.vpcId === vpc.id && j.kind === 'nic.prepare',
      ],
      [{ limit: 2, state: 'queued', stuck: false, targetId: vpc.id }, () => true],
      [{ limit: 2, state: 'failed' }, () => false],
    ];
    for (const [req, want] of cases) {
      const { items, totals } = await walk((cursor) =>
        jobsRepo.pageJobs(t.db, { ...req, ...(cursor ? { cursor } : {}) }),
      );
      const wanted = made.filter(want).sort(
        desc(
          (j) => j.createdAt,
          (j) => j.id,
        ),
      );
      expect(items.map((j) => j.id)).toEqual(wanted.map((j) => j.id));
      expect(totals[0]).toBe(wanted.length);
    }
    const byKind = await walk((cursor) =>
      jobsRepo.pageJobs(t.db, { limit: 4, sort: 'kind', dir: 'asc', ...(cursor ? { cursor } : {}) }),
    );
    expect(byKind.items.map((j) => j.id)).toEqual(
      [...made]
        .sort(
          asc(
            (j) => j.kind,
            (j) => j.id,
          ),
        )
        .map((j) => j.id),
    );
  });

  it('pages the call log, NICs of a tier and the audit log', async () => {
    const vpc = vpcs[0] as vpcsRepo.VpcRow;
    const calls: elementCallsRepo.ElementCallRow[] = Array.from({ length: 17 }, (_, i) => ({
      id: randomUUID(),
      phase: 'implement',
      adapterId: 'sim',
      providerId: 'p',
      controllerId: i % 2 ? 'c1' : 'c2',
      jobId: null,
      stepKey: null,
      vpcId: vpc.id,
      networkId: null,
      targetType: 'vpc',
      targetId: vpc.id,
      attempt: 1,
      purpose: 'x',
      batchSize: 1,
      startedAt: t0 + Math.floor(i / 5),
      durationMs: i % 4,
      outcome: i % 3 ? 'ok' : 'failed',
      errorCategory: null,
      errorMessage: null,
      vendorCode: null,
      vendorMessage: null,
      retryable: null,
      requestSummary: '{}',
      responseSummary: null,
      nodeId: 'n',
      fencingToken: null,
    }));
    await elementCallsRepo.insertCalls(t.db, calls);
    const failedC1 = await walk((cursor) =>
      elementCallsRepo.pageCalls(t.db, {
        vpcId: vpc.id,
        controllerId: 'c1',
        outcome: 'failed',
        limit: 1,
        ...(cursor ? { cursor } : {}),
      }),
    );
    const want = calls.filter((c) => c.controllerId === 'c1' && c.outcome === 'failed');
    expect(failedC1.items.map((c) => c.id)).toEqual(
      want
        .sort(
          desc(
            (c) => c.startedAt,
            (c) => c.id,
          ),
        )
        .map((c) => c.id),
    );
    const slowest = await walk((cursor) =>
      elementCallsRepo.pageCalls(t.db, { sort: 'durationMs', limit: 4, ...(cursor ? { cursor } : {}) }),
    );
    expect(slowest.items.map((c) => c.id)).toEqual(
      [...calls]
        .sort(
          desc(
            (c) => c.durationMs,
            (c) => c.id,
          ),
        )
        .map((c) => c.id),
    );

    const networkId = randomUUID();
    await networksRepo.insertNetwork(t.db, {
      id: networkId,
      vpcId: vpc.id,
      zoneId,
      name: 'web',
      offeringId: networkOfferingId,
      physicalNetworkId: pnId,
      cidr: '10.0.0.0/24',
      gateway: '10.0.0.1',
      isolationMethod: 'VLAN',
      segmentKind: 'vlan',
      segmentId: 101,
      broadcastUri: null,
      state: 'Implemented',
      conditions: '[]',
      createdAt: t0,
    });
    const nics: nicsRepo.NewNic[] = Array.from({ length: 19 }, (_, i) => ({
      id: randomUUID(),
      networkId,
      vpcId: vpc.id,
      vmName: `vm-${i % 7}`,
      mac: `02:00:00:00:01:${i.toString(16).padStart(2, '0')}`,
      ip: `10.0.0.${10 + i}`,
      ipIndex: 10 + i,
      state: i % 2 ? 'Reserved' : 'Allocated',
      conditions: '[]',
      adopted: false,
      createdAt: t0,
    }));
    await nicsRepo.insertNics(t.db, nics);
    const reserved = await walk((cursor) =>
      nicsRepo.pageNics(t.db, { networkId, state: 'Reserved', limit: 3, ...(cursor ? { cursor } : {}) }),
    );
    expect(reserved.items.map((n) => n.ipIndex)).toEqual(
      nics.filter((n) => n.state === 'Reserved').map((n) => n.ipIndex),
    );
    expect(reserved.totals[0]).toBe(9);
    const byVm = await walk((cursor) =>
      nicsRepo.pageNics(t.db, {
        networkId,
        search: 'VM-3',
        sort: 'vmName',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      }),
    );
    expect(byVm.items.map((n) => n.vmName)).toEqual(['vm-3', 'vm-3', 'vm-3']);
    const byIp = await nicsRepo.pageNics(t.db, { networkId, search: '10.0.0.2', limit: 50 });
    expect(byIp.items.map((n) => n.ip)).toEqual(
      nics.filter((n) => n.ip.includes('10.0.0.2')).map((n) => n.ip),
    );

    for (let i = 0; i < 12; i++) {
      await auditRepo.insertAudit(
        t.db,
        {
          actorId: null,
          actorName: i % 2 ? 'alice' : 'bob',
          action: i % 3 ? 'vpc.create' : 'nic.prepare',
          targetType: 'vpc',
          targetId: vpc.id,
          before: null,
          after: { i },
        },
        t0 + Math.floor(i / 4),
      );
    }
    const alice = await walk((cursor) =>
      auditRepo.listAudit(t.db, {
        actorName: 'alice',
        action: 'vpc.',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      }),
    );
    expect(alice.items.map((a) => (a.after as { i: number }).i)).toEqual([11, 7, 5, 1]);
    expect(alice.totals[0]).toBe(4);
  });

  it('pages top-level diagnoses with their caused failures apart, and the triage queue oldest first', async () => {
    const mk = async (i: number, vpcId: string, root: string | null) => {
      const id = randomUUID();
      await diagnosesRepo.insertDiagnosis(t.db, {
        id,
        targetType: 'vpc',
        targetId: vpcId,
        vpcId,
        jobId: null,
        category: 'X',
        title: 't',
        sentence: 's',
        evidence: {},
        remediation: 'r',
        actions: [],
        rootCauseId: root,
        createdAt: t0 + i,
      });
      return id;
    };
    const [a, b, c] = vpcs.map((v) => v.id);
    const rootA = await mk(1, a as string, null);
    await mk(2, a as string, rootA);
    const rootB = await mk(3, b as string, null);
    const childOfB = await mk(4, b as string, rootB);
    await diagnosesRepo.resolveById(t.db, [rootB], t0 + 10);
    const rootC = await mk(3, c as string, null);
    const open = await walk((cursor) =>
      diagnosesRepo.pageTopLevel(t.db, { openOnly: true, limit: 1, ...(cursor ? { cursor } : {}) }),
    );
    // rootB is resolved: the failure it caused stands on its own, in created_at order.
    expect(open.items.map((d) => d.id)).toEqual([rootA, rootC, childOfB]);
    expect(open.totals[0]).toBe(3);
    expect((await diagnosesRepo.listCaused(t.db, [rootA], { openOnly: true })).length).toBe(1);
    const all = await diagnosesRepo.pageTopLevel(t.db, { openOnly: false, limit: 50 });
    expect(all.items.map((d) => d.id)).toContain(rootB);
    expect(all.items.map((d) => d.id)).not.toContain(childOfB);

    const queue = await walk((cursor) =>
      triageQueueRepo.pageQueue(t.db, {
        now: t0 + 100,
        entityThresholdMs: 1_000_000,
        transitional: { vpcs: ['Implementing'], networks: ['Implementing'], nics: ['Reserving'] },
        limit: 1,
        ...(cursor ? { cursor } : {}),
      }),
    );
    expect(queue.items.map((q) => [q.vpcId, q.since, q.openDiagnoses])).toEqual([
      [a, t0 + 1, 2],
      [c, t0 + 3, 1],
      [b, t0 + 4, 1],
    ]);
    expect(queue.totals[0]).toBe(3);
  });
});
