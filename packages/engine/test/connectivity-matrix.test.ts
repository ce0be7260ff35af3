// The reachability matrix against the simulator on both dialects: tiers × tiers and outside → tiers per flow, every
// traced cell agreeing with its own recorded trace and with the same check run alone, a tier without NICs and a tier
// without inbound rules answered without a trace, and the before/after pair an ACL change records (assigning a list
// to a tier, editing a list's rule) with the cell the change flipped and the rule that decides it.
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { beforeAll, expect, it, vi } from 'vitest';
import { aclRule, newList } from './acl-support';
import { icmp, offeringFor, tcp, threeTierVpc } from './connectivity-support';
import { describeWorld } from './describe-world';
import { waitForJob } from './world';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describeWorld('reachability matrix', {}, (world) => {
  let vpc: Awaited<ReturnType<typeof threeTierVpc>>;
  let emptyTierId = '';
  const protocols = [tcp(5432), icmp];

  beforeAll(async () => {
    const { w, engine } = world;
    const offeringId = await offeringFor(w);
    vpc = await threeTierVpc(w, engine, offeringId, 44);
    const empty = await engine.createTier(
      { vpcId: vpc.vpc.id, name: 'empty', offeringId, cidr: '10.44.4.0/24' },
      't',
    );
    expect((await waitForJob(engine, (await engine.implementTier(empty.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    emptyTierId = empty.id;
    const nat = await vpc.acquire();
    const { jobId } = await engine.enableStaticNat({ nicId: vpc.nics[0]?.id ?? '', publicIpId: nat.id }, 't');
    expect((await waitForJob(engine, jobId)).state).toBe('succeeded');
  });

  const cellOf = (
    m: Awaited<ReturnType<typeof world.engine.connectivity.matrix>>,
    source: string | null,
    destination: string,
    flow: number,
  ) => m.cells.find((c) => c.source === source && c.destination === destination && c.flow === flow);

  it('fills every cell from traces that agree with the same checks run alone', async () => {
    const { engine } = world;
    const m = await engine.connectivity.matrix({ vpcId: vpc.vpc.id, protocols }, 'tester');
    expect(m.tiers.map((t) => t.name)).toEqual(['web', 'app', 'db', 'empty']);
    expect(m.cells).toHaveLength((4 + 1) * 4 * 2);
    // Every tier still on default_deny: only a tier to itself is reachable.
    const webToDb = cellOf(m, vpc.web.id, vpc.db.tier.id, 0);
    expect(webToDb).toMatchObject({ allowed: false, reason: 'AclDenied' });
    expect(webToDb?.decidingRef).toMatchObject({
      listId: DEFAULT_DENY_ACL_ID,
      ruleId: null,
      trafficType: 'Ingress',
    });
    expect(cellOf(m, vpc.web.id, vpc.web.id, 1)).toMatchObject({ allowed: true, reason: 'Delivered' });
    expect(cellOf(m, vpc.app.tier.id, emptyTierId, 0)).toMatchObject({
      allowed: false,
      reason: 'NoNic',
      traceId: null,
    });
    expect(cellOf(m, null, vpc.app.tier.id, 0)).toMatchObject({ reason: 'NoInboundRule', traceId: null });
    // Outside → web through the static NAT of vm0, then web's default_deny.
    expect(cellOf(m, null, vpc.web.id, 1)).toMatchObject({ allowed: false, reason: 'AclDenied' });
    for (const cell of m.cells.filter((c) => c.traceId)) {
      const recorded = await engine.connectivity.get(cell.traceId ?? '');
      expect(recorded.matrixId).toBe(m.id);
      expect(recorded.result.outcome === 'delivered').toBe(cell.allowed);
      const alone = await engine.connectivity.trace(recorded.input, 'tester');
      expect([alone.result.outcome, alone.result.reason]).toEqual([recorded.result.outcome, cell.reason]);
    }
    // A matrix's traces are its own, not the VPC's list of checks.
    const listed = await engine.connectivity.traces(vpc.vpc.id, { limit: 200 });
    expect(listed.items.every((t) => t.matrixId === null)).toBe(true);
  });

  it('leaves the cells it had no time for NotTraced, past its deadline', async () => {
    // The same flows as the suite's other matrices: the ACL change below reuses the latest one's.
    const m = await world.engine.connectivity.matrix({ vpcId: vpc.vpc.id, protocols }, 'tester', {
      deadlineMs: 0,
    });
    const reasons = new Set(m.cells.map((c) => c.reason));
    expect([...reasons].sort()).toEqual(['NoInboundRule', 'NoNic', 'NotTraced']);
    expect(m.cells.every((c) => c.traceId === null && !c.allowed)).toBe(true);
  });

  it('records the matrix before and after an ACL change, with the flows of the latest matrix', async () => {
    const { engine } = world;
    const list = await newList(engine, vpc.vpc.id, 'db-in', [
      aclRule(10, { cidrs: ['10.44.1.0/24'], portStart: 5432, portEnd: 5432 }),
    ]);
    const assigned = await engine.networkAcls.assign(vpc.db.tier.id, list.id, 't');
    if (!assigned.jobId) throw new Error('an implemented tier gets a job');
    expect((await waitForJob(engine, assigned.jobId)).state).toBe('succeeded');
    const history = await engine.connectivity.matrixHistory(vpc.vpc.id, { limit: 10 });
    const [after, before] = history.items;
    expect([after?.kind, before?.kind]).toEqual(['after', 'before']);
    expect(after?.changeId).toBe(assigned.jobId);
    expect(before?.changeId).toBe(assigned.jobId);
    expect(after?.changeLabel).toBe('Tier db now uses ACL list db-in');
    expect(after?.protocols).toEqual(protocols);
    if (!after || !before) throw new Error('two matrices');
    expect(cellOf(before, vpc.web.id, vpc.db.tier.id, 0)).toMatchObject({ allowed: false });
    expect(cellOf(after, vpc.web.id, vpc.db.tier.id, 0)).toMatchObject({ allowed: true });
    expect(cellOf(after, vpc.web.id, vpc.db.tier.id, 0)?.decidingRef).toMatchObject({
      listId: list.id,
      number: 10,
      action: 'allow',
    });
    // icmp from web to db: no rule of db-in matches, the implicit Ingress default denies it.
    expect(cellOf(after, vpc.web.id, vpc.db.tier.id, 1)?.decidingRef).toMatchObject({
      ruleId: null,
      action: 'deny',
    });

    // Editing the list's rule (app instead of web) is a change of the list: another pair, the cell flipped back.
    const rule = list.rules[0];
    if (!rule) throw new Error('the list has its rule');
    const edit = await engine.networkAcls.updateRule(
      rule.id,
      aclRule(10, { cidrs: ['10.44.2.0/24'], portStart: 5432, portEnd: 5432 }),
      't',
    );
    expect((await waitForJob(engine, edit.jobId)).state).toBe('succeeded');
    const [after2, before2] = (await engine.connectivity.matrixHistory(vpc.vpc.id, { limit: 10 })).items;
    expect([after2?.kind, before2?.kind, after2?.changeId]).toEqual(['after', 'before', edit.jobId]);
    expect(after2?.changeLabel).toBe('ACL list db-in changed');
    if (!after2 || !before2) throw new Error('two matrices');
    expect(cellOf(before2, vpc.web.id, vpc.db.tier.id, 0)?.allowed).toBe(true);
    expect(cellOf(after2, vpc.web.id, vpc.db.tier.id, 0)?.allowed).toBe(false);
    expect(cellOf(after2, vpc.app.tier.id, vpc.db.tier.id, 0)?.allowed).toBe(true);
  });
});
