import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDialects } from '../testing';
import * as diagnoses from './diagnoses';
import * as triage from './triage';

function newDiagnosis(over: Partial<diagnoses.NewDiagnosis>): diagnoses.NewDiagnosis {
  return {
    id: randomUUID(),
    targetType: 'network',
    targetId: randomUUID(),
    vpcId: null,
    jobId: null,
    category: 'CONTROLLER_TIMEOUT',
    title: 'Resource Unavailable',
    sentence: 's',
    evidence: { call: { phase: 'implement' } },
    remediation: 'r',
    actions: ['retry'],
    rootCauseId: null,
    createdAt: 1_700_000_000_000,
    ...over,
  };
}

describe.each(testDialects())('diagnoses and triage repositories on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stores and reads back a diagnosis with its JSON evidence and actions', async () => {
    const d = newDiagnosis({ evidence: { trace: [{ service: 'Dhcp' }] }, actions: ['retry', 'adopt'] });
    await diagnoses.insertDiagnosis(t.db, d);
    expect(await diagnoses.getDiagnosis(t.db, d.id)).toEqual({ ...d, resolvedAt: null });
  });

  it('agrees on the earliest root of a job and moves followers when a root is demoted', async () => {
    const jobId = randomUUID();
    const late = newDiagnosis({ jobId, createdAt: 2000 });
    const early = newDiagnosis({ jobId, createdAt: 1000 });
    const follower = newDiagnosis({ jobId, createdAt: 3000, rootCauseId: late.id });
    for (const d of [late, early, follower]) await diagnoses.insertDiagnosis(t.db, d);
    const roots = await diagnoses.listJobRoots(t.db, jobId);
    expect(roots.map((r) => r.id)).toEqual([early.id, late.id]);
    await diagnoses.linkToRoot(t.db, late.id, early.id);
    const all = await diagnoses.listDiagnoses(t.db, { jobId, limit: 10 });
    expect(all.map((d) => [d.id, d.rootCauseId])).toEqual([
      [early.id, null],
      [late.id, early.id],
      [follower.id, early.id],
    ]);
  });

  it('resolves the open diagnoses of a target, not those linked to it, and lists open VPCs oldest first', async () => {
    const vpcA = randomUUID();
    const vpcB = randomUUID();
    const root = newDiagnosis({ vpcId: vpcA, createdAt: 5000 });
    const linked = newDiagnosis({ vpcId: vpcA, createdAt: 5001, rootCauseId: root.id, targetType: 'nic' });
    const other = newDiagnosis({ vpcId: vpcB, createdAt: 4000 });
    for (const d of [root, linked, other]) await diagnoses.insertDiagnosis(t.db, d);
    const vpcs = await diagnoses.listVpcsWithOpenDiagnoses(t.db, 100);
    const mine = vpcs.filter((o) => o.vpcId === vpcA || o.vpcId === vpcB);
    expect(mine).toEqual([
      { vpcId: vpcB, since: 4000 },
      { vpcId: vpcA, since: 5000 },
    ]);
    expect(await diagnoses.resolveForTarget(t.db, root.targetType, root.targetId, 9000)).toBe(1);
    const open = (await diagnoses.listDiagnoses(t.db, { vpcId: vpcA, openOnly: true, limit: 10 })).map(
      (d) => d.id,
    );
    expect(open).toEqual([linked.id]);
    await diagnoses.resolveById(t.db, [linked.id], 9001);
    expect((await diagnoses.getDiagnosis(t.db, linked.id))?.resolvedAt).toBe(9001);
  });

  it('upserts triage: acknowledge creates the row, assign updates it and keeps the acknowledgement', async () => {
    const vpcId = randomUUID();
    expect(await triage.getTriage(t.db, vpcId)).toBeUndefined();
    await triage.acknowledge(t.db, vpcId, 'sue', 100, 'looking');
    const after = await triage.assign(t.db, vpcId, 'bob', 200);
    expect(after).toEqual({
      vpcId,
      acknowledgedBy: 'sue',
      acknowledgedAt: 100,
      assignedTo: 'bob',
      note: 'looking',
      updatedAt: 200,
    });
  });
});
