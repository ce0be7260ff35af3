// Accepting NIC prepare requests (lifecycle/allocate.ts) on both dialects: concurrent bulk requests on one tier through
// two engines (on MariaDB with separate connection pools) never share an IP or a MAC; each request's NICs, transitions and job row are
// written whole or not at all; asked addresses in use and exhausted ranges are typed errors that write nothing; the
// unique constraints behind it reject a duplicate insert and are told apart.
import { randomUUID } from 'node:crypto';
import { connect, type DbHandle, nicsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { AppError } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/index';
import { FAST, makeWorld, vpcWithTier, type World, waitForJob } from './world';

const asks = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ vmName: `${prefix}-${i}` }));

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe.each(testDialects())('NIC allocation on %s', (dialect) => {
  let w: World;
  let runner: Engine;
  let second: DbHandle;
  /** Two engines that only accept requests (not started): one on the world's connection, one on its own. */
  let a: Engine;
  let b: Engine;
  let vpcId: string;
  let cidrIndex = 10;

  /** A new implemented tier of the shared VPC. */
  async function tier(prefix: number) {
    const t = await runner.createTier(
      {
        vpcId,
        name: `t${cidrIndex}`,
        offeringId: w.networkOfferingId,
        cidr: `10.0.${cidrIndex++}.0/${prefix}`,
      },
      'tester',
    );
    const job = await waitForJob(runner, (await runner.implementTier(t.id, 'tester')).jobId);
    expect(job.state).toBe('succeeded');
    return t;
  }

  /** What the database holds for a tier: NIC rows, their creation transitions and the tier's prepare jobs. */
  async function written(tierId: string) {
    const db = w.db.db;
    const nics = await db.selectFrom('nics').selectAll().where('network_id', '=', tierId).execute();
    const ids = nics.map((n) => n.id);
    const transitions =
      ids.length === 0
        ? []
        : await db
            .selectFrom('state_transitions')
            .selectAll()
            .where('entity_id', 'in', ids)
            .where('from_state', '=', 'None')
            .execute();
    const jobs = await db
      .selectFrom('jobs')
      .select(['id', 'payload', 'progress_total', 'state'])
      .where('target_id', '=', tierId)
      .where('kind', '=', 'nic.prepare')
      .execute();
    return { nics, transitions, jobs };
  }

  beforeAll(async () => {
    w = await makeWorld(dialect);
    runner = w.engine();
    await runner.start();
    const { vpc } = await vpcWithTier(w, runner, '10.0.0.0/16', '10.0.1.0/24');
    vpcId = vpc.id;
    // The runner takes jobs; the accepting engines are never started, so their jobs stay queued where we read them.
    await runner.stop();
    runner = w.engine();
    await runner.start();
    // MariaDB: a pool of its own, as a second node has. SQLite serves one process through one connection (a second
    // connection in this process would wait for the first inside better-sqlite3's synchronous busy handler, which
    // blocks the very event loop that would let the first commit), so both engines share it there.
    second = dialect === 'mysql' ? connect(w.db.url) : w.db;
    a = new Engine(w.deps, { ...FAST, nodeId: `accept-a-${randomUUID().slice(0, 4)}` });
    b = new Engine({ ...w.deps, db: second }, { ...FAST, nodeId: `accept-b-${randomUUID().slice(0, 4)}` });
  });
  afterAll(async () => {
    await runner?.stop();
    if (second !== w.db) await second?.close();
    await w.cleanup();
  });

  it('never hands out one IP or MAC twice to concurrent bulk requests on one tier (two engines)', async () => {
    const t = await tier(24);
    await runner.stop(); // keep the jobs queued: this test reads what was accepted, not what was prepared
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? a : b).prepareNics(t.id, asks(30, `r${i}`), 'tester'),
        ),
      );
      const nics = results.flatMap((r) => r.nics);
      expect(nics).toHaveLength(240);
      expect(new Set(nics.map((n) => n.ip)).size).toBe(240);
      expect(new Set(nics.map((n) => n.mac)).size).toBe(240);
      for (const n of nics) expect(n.mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
      const db = await written(t.id);
      expect(db.nics).toHaveLength(240);
      expect(new Set(db.nics.map((n) => Number(n.ip_index))).size).toBe(240);
      // The lowest free addresses, gateway (index 1) excluded.
      expect(Math.min(...db.nics.map((n) => Number(n.ip_index)))).toBe(2);
      expect(Math.max(...db.nics.map((n) => Number(n.ip_index)))).toBe(241);
      expect(db.transitions).toHaveLength(240);
      expect(db.transitions.every((r) => r.to_state === 'Allocated')).toBe(true);
      // One queued job per request, holding exactly that request's NICs.
      expect(db.jobs).toHaveLength(8);
      for (const r of results) {
        const job = db.jobs.find((j) => j.id === r.jobId);
        expect(job?.state).toBe('queued');
        expect(Number(job?.progress_total)).toBe(30);
        expect(JSON.parse(job?.payload ?? '{}').nicIds).toEqual(r.nics.map((n) => n.id));
      }
    } finally {
      await runner.start();
    }
  });

  it('prepares what it accepted: the jobs run and every NIC ends Reserved', async () => {
    const t = await tier(24);
    const results = await Promise.all([
      a.prepareNics(t.id, asks(20, 'x'), 'tester'),
      b.prepareNics(t.id, asks(20, 'y'), 'tester'),
    ]);
    for (const r of results) expect((await waitForJob(runner, r.jobId)).state).toBe('succeeded');
    const nics = await runner.listNics(t.id);
    expect(nics.map((n) => n.state)).toEqual(Array(40).fill('Reserved'));
  });

  it('refuses a request larger than the free range with PRECONDITION_FAILED and writes nothing', async () => {
    const t = await tier(28); // hosts 2..14: 13 NICs
    const tooMany = await rejection(a.prepareNics(t.id, asks(14, 'big'), 'tester'));
    expect(tooMany.code).toBe('PRECONDITION_FAILED');
    expect(tooMany.details).toMatchObject({ reason: 'IP_RANGE_EXHAUSTED', free: 13, asked: 14 });
    let db = await written(t.id);
    expect([db.nics.length, db.transitions.length, db.jobs.length]).toEqual([0, 0, 0]);

    // Two concurrent requests of 8 on 13 free addresses: one is accepted whole, the other refused whole.
    const settled = await Promise.allSettled([
      a.prepareNics(t.id, asks(8, 'p'), 'tester'),
      b.prepareNics(t.id, asks(8, 'q'), 'tester'),
    ]);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const refused = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe('PRECONDITION_FAILED');
    db = await written(t.id);
    expect([db.nics.length, db.transitions.length, db.jobs.length]).toEqual([8, 8, 1]);

    await a.prepareNics(t.id, asks(5, 'rest'), 'tester');
    const full = await rejection(b.prepareNics(t.id, asks(1, 'one-more'), 'tester'));
    expect(full.details).toMatchObject({ free: 0, asked: 1 });
    expect((await written(t.id)).nics).toHaveLength(13);
  });

  it('answers CONFLICT for an asked IP or MAC in use or asked twice, writing nothing', async () => {
    const t = await tier(24);
    const first = await a.prepareNics(t.id, [{ vmName: 'fixed', ip: `10.0.${cidrIndex - 1}.2` }], 'tester');
    const ip = first.nics[0]?.ip as string;
    const mac = first.nics[0]?.mac as string;
    const before = await written(t.id);

    const cases = [
      [{ vmName: 'ip-taken', ip }],
      [{ vmName: 'ok' }, { vmName: 'mac-taken', mac }],
      [
        { vmName: 'twice-1', ip: ip.replace(/\.2$/, '.9') },
        { vmName: 'twice-2', ip: ip.replace(/\.2$/, '.9') },
      ],
      [
        { vmName: 'mac-twice-1', mac: '02:00:00:00:00:09' },
        { vmName: 'mac-twice-2', mac: '02:00:00:00:00:09' },
      ],
    ];
    for (const requests of cases) {
      const e = await rejection(b.prepareNics(t.id, requests, 'tester'));
      expect(e.code).toBe('CONFLICT');
    }
    const after = await written(t.id);
    expect([after.nics.length, after.transitions.length, after.jobs.length]).toEqual([
      before.nics.length,
      before.transitions.length,
      before.jobs.length,
    ]);

    // An asked IP is reserved before the automatic ones, so asking for the lowest free one beside others works.
    const mixed = await a.prepareNics(
      t.id,
      [{ vmName: 'auto' }, { vmName: 'asked', ip: ip.replace(/\.2$/, '.3'), mac: '02:aa:bb:cc:dd:ee' }],
      'tester',
    );
    expect(mixed.nics.map((n) => n.ip)).toEqual([ip.replace(/\.2$/, '.4'), ip.replace(/\.2$/, '.3')]);
    expect(mixed.nics[1]?.mac).toBe('02:aa:bb:cc:dd:ee');
  });

  it('has unique constraints on (tier, IP) and MAC, and tells which one a duplicate insert violated', async () => {
    const t = await tier(24);
    const { nics } = await a.prepareNics(t.id, asks(2, 'u'), 'tester');
    const [n0, n1] = nics as [(typeof nics)[0], (typeof nics)[0]];
    const base: nicsRepo.NewNic = {
      ...n1,
      id: randomUUID() as string,
      ipIndex: 200,
      mac: '02:01:02:03:04:05',
      conditions: '[]',
    };
    const violation = async (row: nicsRepo.NewNic) => {
      const e = await nicsRepo.insertNics(w.db.db, [row]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeDefined();
      return nicsRepo.nicUniqueViolation(e);
    };
    expect(await violation({ ...base, ipIndex: n0.ipIndex })).toBe('ip');
    expect(await violation({ ...base, mac: n0.mac })).toBe('mac');
    expect(await violation({ ...base, id: n0.id })).toBe('id');
    expect((await written(t.id)).nics).toHaveLength(2);
  });
});
