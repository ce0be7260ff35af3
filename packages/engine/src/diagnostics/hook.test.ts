import { randomUUID } from 'node:crypto';
import { diagnosesRepo } from '@netplane/db';
import { type TestDatabase, testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FailedVpc, failedVpcDatabase } from '../../test/failed-vpc';
import { diagnoseEntityError, type EntityErrorEvent } from './hook';
import { getDiagnosisView, listDiagnosisViews } from './queries';
import { listStuckWork } from './stuck';

describe.each(testDialects())('diagnostics hook on %s', (dialect) => {
  let t: TestDatabase;
  let f: FailedVpc;
  const t0 = 1_700_000_000_000;
  beforeAll(async () => ({ t, f } = await failedVpcDatabase(dialect, t0)));
  afterAll(async () => {
    await t?.drop();
  });

  const nicEvent = (i: number, over: Partial<EntityErrorEvent> = {}): EntityErrorEvent => ({
    entityType: 'nic',
    entityId: f.nicIds[i] as string,
    vpcId: f.vpcId,
    jobId: f.jobId,
    fromState: 'Reserving',
    code: 'CALL_FAILED',
    category: 'CAPACITY_EXHAUSTED',
    message: 'no free port',
    at: t0 + 100 + i,
    ...over,
  });

  it('diagnoses the first failing call of the job and links later failures and rollback failures to it', async () => {
    const rootId = await diagnoseEntityError(t.db, nicEvent(0, { rootCallId: f.callIds.first }));
    const secondId = await diagnoseEntityError(t.db, nicEvent(1, { rootCallId: f.callIds.second }));
    const tierId = await diagnoseEntityError(t.db, {
      ...nicEvent(0),
      entityType: 'network',
      entityId: f.networkId,
      code: 'UNDO_FAILED',
      rootCallId: f.callIds.first,
    });
    const root = await diagnosesRepo.getDiagnosis(t.db, rootId);
    expect(root).toMatchObject({
      category: 'CAPACITY_EXHAUSTED',
      rootCauseId: null,
      vpcId: f.vpcId,
      jobId: f.jobId,
    });
    expect(root?.sentence).toBe(
      'The prepare call to element simulator for NIC vm-0 (10.0.1.10) failed: sim-ctl has no capacity left (vendor code E-CAP: port table full).',
    );
    expect(root?.actions).toEqual(['release', 'retry', 'open-controller']);
    expect(root?.evidence).toMatchObject({
      vendorCode: 'E-CAP',
      call: { callId: f.callIds.first, controllerName: 'sim-ctl' },
    });
    const all = await diagnosesRepo.listDiagnoses(t.db, { jobId: f.jobId, limit: 10 });
    expect(all).toHaveLength(4);
    expect(all.find((d) => d.id === secondId)?.rootCauseId).toBe(rootId);
    expect(all.find((d) => d.id === tierId)).toMatchObject({ rootCauseId: rootId, targetType: 'network' });
    const rollback = all.find((d) => d.category === 'CONTROLLER_TIMEOUT');
    expect(rollback?.rootCauseId).toBe(rootId);
    expect(rollback?.evidence).toMatchObject({ call: { purpose: 'rollback', phase: 'release' } });
  });

  it('does not add a second diagnosis when a replayed step reports the same Error again', async () => {
    const before = await diagnosesRepo.listDiagnoses(t.db, { jobId: f.jobId, limit: 10 });
    await diagnoseEntityError(t.db, nicEvent(0, { rootCallId: f.callIds.first }));
    expect(await diagnosesRepo.listDiagnoses(t.db, { jobId: f.jobId, limit: 10 })).toHaveLength(
      before.length,
    );
  });

  it('groups open diagnoses by root cause, and resolves them once their targets leave Error', async () => {
    const [view, ...rest] = await listDiagnosisViews(t.db, {
      vpcId: f.vpcId,
      openOnly: true,
      limit: 100,
      now: t0 + 1000,
    });
    expect(rest).toEqual([]);
    expect(view?.caused).toHaveLength(3);
    const got = await getDiagnosisView(t.db, view?.id as string);
    expect(got?.caused.map((c) => c.id).sort()).toEqual(view?.caused.map((c) => c.id).sort());
    // Cards name what failed: the NIC as "vm (ip)", the tier by its name, both with their VPC's name.
    expect(view).toMatchObject({ targetName: 'vm-0 (10.0.1.10)', vpcName: 'shop' });
    expect(got).toMatchObject({ targetName: 'vm-0 (10.0.1.10)', vpcName: 'shop' });
    const named = (v: typeof view) =>
      v?.caused.map((c) => `${c.targetType}:${c.targetName}:${c.vpcName}`).sort();
    expect(named(view)).toEqual([
      'network:web:shop',
      'nic:vm-0 (10.0.1.10):shop',
      'nic:vm-1 (10.0.1.11):shop',
    ]);
    expect(named(got)).toEqual(named(view));

    await t.db
      .updateTable('nics')
      .set({ state: 'Allocated' })
      .where('id', '=', f.nicIds[0] as string)
      .execute();
    const after = await listDiagnosisViews(t.db, {
      vpcId: f.vpcId,
      openOnly: true,
      limit: 100,
      now: t0 + 2000,
    });
    // The root's NIC recovered; NIC 2 and the tier are still in Error, so their diagnoses stay open on their own.
    expect(after.map((d) => d.targetId)).toEqual(expect.arrayContaining([f.nicIds[1], f.networkId]));
    expect(after.map((d) => d.id)).not.toContain(view?.id);
  });

  it('explains a negotiation failure from the stored trace, refined to the shared skip reason', async () => {
    const traceId = randomUUID();
    const trace = [
      { service: 'Connectivity', provider: 'Ovn', verdict: 'SERVICE_NOT_OFFERED', reason: 'x' },
      {
        service: 'Connectivity',
        provider: 'SimNet',
        verdict: 'TAG_MISMATCH',
        reason: 'tags',
        providerLabels: ['gold'],
        requiredLabels: ['silver'],
      },
    ];
    await t.db
      .insertInto('negotiation_traces')
      .values({
        id: traceId,
        network_id: f.networkId,
        job_id: null,
        ok: 0,
        trace: JSON.stringify(trace),
        missing: '["Connectivity"]',
        created_at: t0,
      })
      .execute();
    const id = await diagnoseEntityError(t.db, {
      entityType: 'network',
      entityId: f.networkId,
      vpcId: f.vpcId,
      jobId: null,
      fromState: 'Implementing',
      code: 'NO_ELEMENT_FOR_SERVICE',
      message: 'no element',
      traceId,
      at: t0 + 5,
    });
    const d = await diagnosesRepo.getDiagnosis(t.db, id);
    expect(d?.category).toBe('TAG_MISMATCH');
    expect(d?.sentence).toBe(
      "Provider SimNet on physical network pn-1 was skipped for Connectivity because its labels [gold] do not match the offering's [silver].",
    );
    expect(d?.actions).toEqual(['rerun-negotiation']);
  });

  it('classifies an Error without a failing call or trace as INTERNAL', async () => {
    const id = await diagnoseEntityError(t.db, {
      entityType: 'vpc',
      entityId: f.vpcId,
      vpcId: f.vpcId,
      jobId: randomUUID(),
      fromState: 'Implementing',
      code: 'ENGINE_BUG',
      message: 'unexpected',
      at: t0,
    });
    expect((await diagnosesRepo.getDiagnosis(t.db, id))?.category).toBe('INTERNAL');
  });

  it('flags jobs past their deadline and entities stuck in a transitional state', async () => {
    const jobId = randomUUID();
    await t.db
      .insertInto('jobs')
      .values({
        id: jobId,
        kind: 'implement-network',
        target_type: 'network',
        target_id: f.networkId,
        vpc_id: f.vpcId,
        state: 'Running',
        payload: '{}',
        result: null,
        progress_done: 0,
        progress_total: 1,
        lease_owner: 'node-x',
        lease_expires_at: t0,
        fencing_token: 1,
        attempts: 1,
        deadline_at: t0 + 1000,
        stuck: 0,
        cancel_requested: 0,
        created_by: 'bob',
        created_at: t0,
        started_at: t0,
        finished_at: null,
        updated_at: t0,
        error: null,
      })
      .execute();
    await t.db
      .updateTable('nics')
      .set({ state: 'Reserving', updated_at: t0 })
      .where('id', '=', f.nicIds[0] as string)
      .execute();
    const early = await listStuckWork(t.db, { now: t0 + 500, entityThresholdMs: 60_000 });
    expect(early.filter((s) => s.vpcId === f.vpcId)).toEqual([]);
    const late = await listStuckWork(t.db, { now: t0 + 120_000, entityThresholdMs: 60_000 });
    const mine = late.filter((s) => s.vpcId === f.vpcId).map((s) => [s.kind, s.id]);
    expect(mine).toEqual(
      expect.arrayContaining([
        ['job', jobId],
        ['nic', f.nicIds[0]],
      ]),
    );
    expect(mine.map(([k]) => k)).not.toContain('network');
  });
});
