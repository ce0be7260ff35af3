// Keyset pages on both dialects: stable order under ties, every filter combined with the cursor, the last row
// reachable, the total right, and a malformed or foreign cursor refused as BAD_INPUT.
import { randomUUID } from 'node:crypto';
import { AppError } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRepo,
  diagnosesRepo,
  elementCallsRepo,
  jobsRepo,
  networksRepo,
  nicsRepo,
  type Page,
  triageQueueRepo,
  vpcsRepo,
} from '../src/index';
import { keysetPage, type SortSpec } from '../src/repositories/keyset';
import { createTestDatabase, seedSimulatorInventory, type TestDatabase, testDialects } from '../src/testing';

/** Every item of a list, page by page, with the totals each page reported. */
async function walk<T>(
  page: (cursor?: string) => Promise<Page<T>>,
): Promise<{ items: T[]; totals: number[] }> {
  const items: T[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 1000; n++) {
    const p = await page(cursor);
    items.push(...p.items);
    totals.push(p.total);
    if (p.nextCursor === null) return { items, totals };
    cursor = p.nextCursor;
  }
  throw new Error('the list never ended');
}

const desc =
  <T>(key: (x: T) => number | string, id: (x: T) => number | string) =>
  (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? 1 : -1;
    return id(a) < id(b) ? 1 : id(a) > id(b) ? -1 : 0;
  };
const asc =
  <T>(key: (x: T) => number | string, id: (x: T) => number | string) =>
  (a: T, b: T) =>
    -desc(key, id)(a, b);

const badInput = (e: unknown) => e instanceof AppError && e.code === 'BAD_INPUT';

describe.each(testDialects())('keyset pages on %s', (dialect) => {
  let t: TestDatabase;
  let zoneId = '';
  let otherZoneId = '';
  let offeringId = '';
  let networkOfferingId = '';
  let pnId = '';
  const vpcs: vpcsRepo.VpcRow[] = [];
  const t0 = 1_700_000_000_000;
  const cond = (synced: string, ready = 'True') =>
    JSON.stringify([
      { type: 'Ready', status: ready, reason: 'Implemented', message: '', lastTransitionTime: t0 },
      { type: 'Synced', status: synced, reason: 'X', message: '', lastTransitionTime: t0 },
    ]);

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const seed = await seedSimulatorInventory(t.db, {
      label: 'pg',
      vlanRange: { start: 100, end: 199 },
      credentials: () => ({ ciphertext: 'x', keyId: 'k' }),
      limits: { maxConcurrent: 4, callsPerSecond: 100, timeoutMs: 1000 },
    });
    zoneId = seed.zoneId;
    offeringId = seed.vpcOfferingId;
    networkOfferingId = seed.networkOfferingId;
    pnId = (await t.db.selectFrom('physical_networks').select('id').executeTakeFirstOrThrow()).id;
    otherZoneId = randomUUID();
    const zone = await t.db
      .selectFrom('zones')
      .selectAll()
      .where('id', '=', zoneId)
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('zones')
      .values({ ...zone, id: otherZoneId, name: 'other-zone' })
      .execute();
    // 37 VPCs: created_at in groups of 3 (ties), states, zones and Synced statuses mixed.
    const states = ['Implemented', 'Allocated', 'Error', 'Destroy'];
    for (let i = 0; i < 37; i++) {
      const v: vpcsRepo.VpcRow = {
        id: randomUUID(),
        name: `vpc-${String(i % 11).padStart(2, '0')}`,
        zoneId: i % 3 === 0 ? otherZoneId : zoneId,
        offeringId,
        cidr: '10.0.0.0/16',
        state: states[i % 4] as string,
        // Some carry "Synced" and "False" in different conditions: only a per-element match may leave them out.
        conditions:
          i === 5 ? 'not json' : cond(i % 5 === 0 ? 'False' : 'True', i % 7 === 3 ? 'False' : 'True'),
        createdBy: 't',
        createdAt: t0 + Math.floor(i / 3) * 1000,
        updatedAt: t0 + Math.floor(i / 3) * 1000,
        version: 1,
      };
      vpcs.push(v);
      await vpcsRepo.insertVpc(t.db, v);
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  const syncedOf = (v: vpcsRepo.VpcRow): string | undefined => {
    try {
      return (JSON.parse(v.conditions) as { type: string; status: string }[]).find((c) => c.type === 'Synced')
        ?.status;
    } catch {
      return undefined;
    }
  };
  const vpcFilters: (vpcsRepo.VpcFilter & { expect: (v: vpcsRepo.VpcRow) => boolean })[] = [
    { expect: (v) => v.state !== 'Destroy' },
    { includeDestroyed: true, expect: () => true },
    { state: 'Implemented', expect: (v) => v.state === 'Implemented' },
    { zoneId: 'Z', expect: (v) => v.state !== 'Destroy' && v.zoneId === 'Z' },
    {
      condition: { type: 'Synced', status: 'False' },
      includeDestroyed: true,
      expect: (v) => syncedOf(v) === 'False',
    },
    {
      condition: { type: 'Synced', status: 'True' },
      state: 'Error',
      zoneId: 'Z',
      expect: (v) => v.state === 'Error' && v.zoneId === 'Z' && syncedOf(v) === 'True',
    },
    { nameContains: 'PC-0', expect: (v) => v.state !== 'Destroy' && v.name.startsWith('vpc-0') },
  ];

  it.each(vpcFilters.map((f, i) => [i, f] as const))(
    'walks every VPC of filter #%i, newest first',
    async (_i, f) => {
      const { expect: want, ...raw } = f;
      const filter = { ...raw, ...(raw.zoneId ? { zoneId } : {}) };
      const wanted = vpcs
        .filter((v) => want({ ...v, zoneId: v.zoneId === zoneId ? 'Z' : v.zoneId }))
        .sort(
          desc(
            (v) => v.createdAt,
            (v) => v.id,
          ),
        );
      expect(wanted.length).toBeGreaterThan(0);
      const { items, totals } = await walk((cursor) =>
        vpcsRepo.listVpcs(t.db, { ...filter, limit: 4, ...(cursor ? { cursor } : {}) }),
      );
      expect(items.map((v) => v.id)).toEqual(wanted.map((v) => v.id));
      expect(new Set(totals)).toEqual(new Set([wanted.length]));
    },
  );

  it('caps the count when asked: the cap and totalCapped past it, the exact count at or under it, rows unchanged', async () => {
    const spec: SortSpec<'createdAt'> = {
      columns: { createdAt: { column: 'created_at', type: 'number' } },
      id: { column: 'id', type: 'string' },
      defaultSort: 'createdAt',
      defaultDir: 'desc',
    };
    const live = vpcs.filter((v) => v.state !== 'Destroy');
    const page = (cap: number, cursor?: string) =>
      keysetPage(
        t.db.selectFrom('vpcs').where('state', '!=', 'Destroy'),
        spec,
        { limit: 4, ...(cursor ? { cursor } : {}) },
        (q) => q.select('id'),
        (r) => String(r.id),
        { countCap: { db: t.db, cap } },
      );
    const under = await page(live.length - 1);
    expect([under.total, under.totalCapped]).toEqual([live.length - 1, true]);
    for (const cap of [live.length, live.length + 50]) {
      const exact = await page(cap);
      expect([exact.total, exact.totalCapped]).toEqual([live.length, undefined]);
    }
    // The cap bounds the count only: every row is still reached, page by page.
    const { items, totals } = await walk((cursor) => page(3, cursor));
    expect(new Set(items)).toEqual(new Set(live.map((v) => v.id)));
    expect(items).toHaveLength(live.length);
    expect(new Set(totals)).toEqual(new Set([3]));
  });

  it('sorts by name both ways with the id breaking ties, and reaches the last VPC', async () => {
    for (const dir of ['asc', 'desc'] as const) {
      const { items } = await walk((cursor) =>
        vpcsRepo.listVpcs(t.db, {
          includeDestroyed: true,
          sort: 'name',
          dir,
          limit: 5,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const cmp = dir === 'asc' ? asc : desc;
      expect(items.map((v) => v.id)).toEqual(
        [...vpcs]
          .sort(
            cmp(
              (v) => v.name,
              (v) => v.id,
            ),
          )
          .map((v) => v.id),
      );
    }
    const { items } = await walk((cursor) =>
      vpcsRepo.listVpcs(t.db, { includeDestroyed: true, limit: 200, ...(cursor ? { cursor } : {}) }),
    );
    expect(items.at(-1)?.createdAt).toBe(t0);
  });

  it('refuses a malformed cursor, a tampered one and one made for another sort as BAD_INPUT', async () => {
    const first = await vpcsRepo.listVpcs(t.db, { limit: 2 });
    const cursor = first.nextCursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const bad = [
      'not a cursor!',
      'x'.repeat(5000),
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from(JSON.stringify(['createdAt', 'desc', 'a string', 'id'])).toString('base64url'),
      Buffer.from(JSON.stringify(['createdAt', 'desc', 1, { id: 1 }])).toString('base64url'),
    ];
    for (const c of bad)
      await expect(vpcsRepo.listVpcs(t.db, { limit: 2, cursor: c })).rejects.toSatisfy(badInput);
    await expect(vpcsRepo.listVpcs(t.db, { limit: 2, cursor, sort: 'name' })).rejects.toSatisfy(badInput);
    await expect(vpcsRepo.listVpcs(t.db, { limit: 2, cursor, dir: 'asc' })).rejects.toSatisfy(badInput);
    expect((await vpcsRepo.listVpcs(t.db, { limit: 2, cursor })).items).toHaveLength(2);
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
