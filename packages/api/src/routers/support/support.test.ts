// diagnostics and support routers over a real database: a failed VPC, its grouped diagnoses, the triage queue, the
// audited acknowledge/assign, and the bundle export through the API with a canary password.
import { auditRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { diagnoseEntityError } from '@netplane/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, type FailedVpc, insertFailedVpc } from '../../../../engine/test/failed-vpc';
import { makeTestDeps, type TestDeps } from '../../../test/fixtures/deps';
import { generateToken } from '../../services/token-auth';

describe.each(testDialects())('diagnostics and support routers on %s', (dialect) => {
  let h: TestDeps;
  let f: FailedVpc;
  const t0 = Date.now() - 60_000;
  beforeAll(async () => {
    h = await makeTestDeps(dialect);
    f = await insertFailedVpc(h.db.db, t0);
    // The fixture seals the canary with its own keyring: re-seal with the API's, so bundle export can decrypt it.
    const sealed = h.keyring.encrypt(JSON.stringify({ username: 'admin', password: CANARY }), f.controllerId);
    await h.db.db
      .updateTable('controllers')
      .set({ credentials_ciphertext: sealed.ciphertext, credentials_key_id: sealed.keyId })
      .where('id', '=', f.controllerId)
      .execute();
    f.ciphertext = sealed.ciphertext;
    for (const [i, call] of [f.callIds.first, f.callIds.second].entries()) {
      await diagnoseEntityError(h.db.db, {
        entityType: 'nic',
        entityId: f.nicIds[i] as string,
        vpcId: f.vpcId,
        jobId: f.jobId,
        fromState: 'Reserving',
        code: 'CALL_FAILED',
        message: 'failed',
        rootCallId: call,
        at: t0 + 100 + i,
      });
    }
    // The tier whose undo failed too: its diagnosis and the rollback failure are linked to the first NIC's.
    await diagnoseEntityError(h.db.db, {
      entityType: 'network',
      entityId: f.networkId,
      vpcId: f.vpcId,
      jobId: f.jobId,
      fromState: 'Implementing',
      code: 'UNDO_FAILED',
      message: 'undo failed',
      rootCallId: f.callIds.first,
      at: t0 + 200,
    });
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  it('lists the VPC diagnoses as one root cause with the failures it caused nested', async () => {
    const { items: list, total } = await h.callerAs('viewer').diagnostics.list({ vpcId: f.vpcId });
    expect(list).toHaveLength(1);
    expect(total).toBe(1);
    expect(list[0]).toMatchObject({
      category: 'CAPACITY_EXHAUSTED',
      targetId: f.nicIds[0],
      rootCauseId: null,
    });
    expect(list[0]?.caused.map((c) => `${c.targetType}:${c.category}`).sort()).toEqual([
      'network:CAPACITY_EXHAUSTED',
      'nic:CAPACITY_EXHAUSTED',
      'nic:CONTROLLER_TIMEOUT',
    ]);
    const one = await h.callerAs('viewer').diagnostics.get({ id: list[0]?.id as string });
    expect(one.caused).toHaveLength(3);
    // Names for the cards, not only ids: the NIC as "vm (ip)", the tier by name, and their VPC.
    expect(one).toMatchObject({ targetName: 'vm-0 (10.0.1.10)', vpcName: 'shop' });
    expect(list[0]?.caused.find((c) => c.targetType === 'network')).toMatchObject({
      targetName: 'web',
      vpcName: 'shop',
    });
  });

  it('puts the failed VPC in the triage queue with its root cause, and records acknowledge and assign', async () => {
    const support = h.callerAs('support');
    const { items: queue } = await support.support.queue();
    expect(queue.map((q) => q.vpcId)).toContain(f.vpcId);
    const item = queue.find((q) => q.vpcId === f.vpcId);
    expect(item).toMatchObject({
      vpcName: 'shop',
      openDiagnoses: 4,
      rootCause: { category: 'CAPACITY_EXHAUSTED' },
    });
    await support.support.acknowledge({ vpcId: f.vpcId, note: 'on it' });
    const assigned = await support.support.assign({ vpcId: f.vpcId, assignee: 'bob' });
    expect(assigned).toMatchObject({ acknowledgedBy: 'test-support', assignedTo: 'bob', note: 'on it' });
    const audit = await h.callerAs('viewer').audit.list({ targetId: f.vpcId });
    expect(audit.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(['support.acknowledge', 'support.assign']),
    );
  });

  it('exports a bundle holding the diagnoses and no trace of the canary password or its ciphertext', async () => {
    const bundle = await h.callerAs('support').support.bundle({ vpcId: f.vpcId });
    expect(bundle.diagnoses).toHaveLength(4);
    const text = JSON.stringify(bundle);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(f.ciphertext);
    const logs = JSON.stringify(h.logs);
    expect(logs).not.toContain(CANARY);
    const audit = await h.callerAs('viewer').audit.list({ targetId: f.vpcId, actorName: 'test-support' });
    expect(audit.items.map((a) => a.action)).toContain('support.bundle.export');
  });

  it('keeps an API token out of the bundle, even one pasted into a VPC audit row', async () => {
    const { token } = generateToken();
    await auditRepo.insertAudit(
      h.db.db,
      {
        actorId: null,
        actorName: 'script',
        action: 'vpcs.update',
        targetType: 'vpc',
        targetId: f.vpcId,
        before: null,
        after: { description: `deployed with ${token}`, headers: { authorization: `Bearer ${token}` } },
      },
      Date.now(),
    );
    const text = JSON.stringify(await h.callerAs('support').support.bundle({ vpcId: f.vpcId }));
    expect(text).toContain('deployed with [redacted]');
    expect(text).not.toContain(token.slice(17));
  });

  it('runs a diagnosis action as one engine call (a queued retry job), audited, and refuses actions not offered', async () => {
    const {
      items: [root],
    } = await h.callerAs('viewer').diagnostics.list({ vpcId: f.vpcId });
    const id = root?.id as string;
    await expect(
      h.callerAs('support').diagnostics.rerunNegotiation({ diagnosisId: id }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    await expect(h.callerAs('viewer').diagnostics.retry({ diagnosisId: id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const ref = await h.callerAs('support').diagnostics.retry({ diagnosisId: id });
    expect(ref).toMatchObject({ targetType: 'nic', targetId: f.nicIds[0] });
    const job = await h.db.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', ref.jobId)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ kind: 'prepare-nics', state: 'queued', created_by: 'test-support' });
    expect(JSON.parse(job.payload)).toMatchObject({ nicIds: [f.nicIds[0]], retryOf: f.jobId });
    const audit = await h.callerAs('viewer').audit.list({ targetId: f.nicIds[0] });
    expect(audit.items[0]).toMatchObject({ action: 'diagnostics.retry', after: { jobId: ref.jobId } });
    await expect(
      h.callerAs('admin').diagnostics.release({ diagnosisId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses the support procedures to viewers and answers NOT_FOUND for an unknown VPC', async () => {
    await expect(h.callerAs('viewer').support.queue()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      h.callerAs('operator').support.acknowledge({ vpcId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
