// The triage queue reads the open diagnoses of a whole page of VPCs at once: each VPC gets its own (a failure whose
// root cause is another VPC's shows on its own under its VPC), and a diagnosis whose target left Error is resolved
// by the read and its VPC drops out, on both dialects.
import { randomUUID } from 'node:crypto';
import { diagnosesRepo, vpcsRepo } from '@netplane/db';
import {
  createTestDatabase,
  seedSimulatorInventory,
  type TestDatabase,
  testDialects,
} from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTriageQueue } from './triage-queue';

describe.each(testDialects())('triage queue of several VPCs on %s', (dialect) => {
  let t: TestDatabase;
  const t0 = 1_700_000_000_000;
  const vpc = { a: randomUUID(), b: randomUUID(), c: randomUUID() };
  const ids = { rootA: randomUUID(), secondA: randomUUID(), causedB: randomUUID(), onC: randomUUID() };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const seed = await seedSimulatorInventory(t.db, {
      label: 'tq',
      vlanRange: { start: 100, end: 199 },
      credentials: () => ({ ciphertext: 'x', keyId: 'k' }),
      limits: { maxConcurrent: 4, callsPerSecond: 100, timeoutMs: 1000 },
    });
    // A and B still in Error; C was fixed since its diagnosis was written.
    for (const [i, [id, state]] of (
      [
        [vpc.a, 'Error'],
        [vpc.b, 'Error'],
        [vpc.c, 'Implemented'],
      ] as const
    ).entries())
      await vpcsRepo.insertVpc(t.db, {
        id,
        name: `vpc-${i}`,
        zoneId: seed.zoneId,
        offeringId: seed.vpcOfferingId,
        cidr: '10.0.0.0/16',
        state,
        conditions: '[]',
        createdBy: 't',
        createdAt: t0,
      });
    const diagnosis = (id: string, vpcId: string, at: number, rootCauseId: string | null = null) =>
      diagnosesRepo.insertDiagnosis(t.db, {
        id,
        targetType: 'vpc',
        targetId: vpcId,
        vpcId,
        jobId: null,
        category: 'CAPACITY_EXHAUSTED',
        title: `t-${id.slice(0, 4)}`,
        sentence: 's',
        evidence: {},
        remediation: '',
        actions: [],
        rootCauseId,
        createdAt: at,
      });
    await diagnosis(ids.rootA, vpc.a, t0 + 1);
    await diagnosis(ids.causedB, vpc.b, t0 + 2, ids.rootA);
    await diagnosis(ids.secondA, vpc.a, t0 + 3);
    await diagnosis(ids.onC, vpc.c, t0 + 4);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('gives each VPC its own open diagnoses and drops the one whose target left Error', async () => {
    const page = await listTriageQueue(t.db, { now: t0 + 10_000, limit: 50 });
    const byVpc = new Map(page.items.map((i) => [i.vpcId, i]));
    expect([...byVpc.keys()].sort()).toEqual([vpc.a, vpc.b].sort());
    expect(byVpc.get(vpc.a)).toMatchObject({
      vpcName: 'vpc-0',
      openDiagnoses: 2,
      rootCause: { id: ids.rootA },
    });
    // B's failure was caused by A's root: listed under B on its own, as the per-VPC read listed it.
    expect(byVpc.get(vpc.b)).toMatchObject({ openDiagnoses: 1, rootCause: { id: ids.causedB } });
    expect((await diagnosesRepo.getDiagnosis(t.db, ids.onC))?.resolvedAt).toBe(t0 + 10_000);
    expect((await diagnosesRepo.getDiagnosis(t.db, ids.rootA))?.resolvedAt).toBeNull();
  });
});
