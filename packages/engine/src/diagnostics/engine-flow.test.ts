// Diagnostics against the real engine and the simulator: failures provoked with scripted faults get the right
// diagnosis at the moment of Error, root cause first, and each diagnosis action (one engine call) clears it.
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionSucceeds } from '../../test/diagnosis-action';
import { failImplementAndUndo, vendorError } from '../../test/faults';
import { makeWorld, vpcWithTier, type World, waitForJob } from '../../test/world';
import type { Engine } from '../engine';
import { runDiagnosisAction } from './actions';
import { listDiagnosisViews } from './queries';

describe.each(testDialects())('diagnostics with the real engine on %s', (dialect) => {
  let w: World;
  let engine: Engine;
  beforeAll(async () => {
    w = await makeWorld(dialect, { controllers: [{ name: 'sim-ctl', timeoutMs: 400 }] });
    engine = w.engine({ maxAttempts: 1 });
    await engine.start();
  });
  afterAll(async () => {
    await w?.cleanup();
  });
  const open = (vpcId: string) =>
    listDiagnosisViews(w.db.db, { vpcId, openOnly: true, limit: 100, now: Date.now() });
  /** The VPC's one open diagnosis: each failure here must give a single root, everything else linked to it. */
  async function onlyOpen(vpcId: string) {
    const [d, ...rest] = await open(vpcId);
    expect(rest).toEqual([]);
    return d;
  }

  it('explains a disabled provider by name, and re-running negotiation once it is enabled clears it', async () => {
    const { vpc, tier } = await vpcWithTier(w, engine, '10.20.0.0/16', '10.20.1.0/24');
    await w.db.db
      .updateTable('providers')
      .set({ state: 'Disabled' })
      .where('id', '=', w.providerId)
      .execute();
    const job = await waitForJob(engine, (await engine.implementTier(tier.id, 'alice')).jobId);
    expect(job.state).toBe('failed');
    const d = await onlyOpen(vpc.id);
    expect(d).toMatchObject({ category: 'PROVIDER_DISABLED', targetType: 'network', targetId: tier.id });
    expect(d?.sentence).toContain(
      'Provider sim-provider on physical network pn-1 was skipped for Connectivity because it is disabled',
    );
    expect(d?.actions).toEqual(['rerun-negotiation']);
    expect(d?.evidence.trace?.length).toBeGreaterThan(0);

    await w.db.db.updateTable('providers').set({ state: 'Enabled' }).where('id', '=', w.providerId).execute();
    await actionSucceeds(engine, w.db.db, d?.id as string, 'rerun-negotiation');
    expect(await open(vpc.id)).toEqual([]);
  });

  it('shows a timed-out implement whose undo failed as "Resource Unavailable", with the undo failure linked', async () => {
    const { vpc, tier } = await vpcWithTier(w, engine, '10.21.0.0/16', '10.21.1.0/24');
    await failImplementAndUndo(w, engine, tier.id, {
      kind: 'timeout',
      operation: 'implement',
      resource: 'network',
      count: 1,
    });
    const d = await onlyOpen(vpc.id);
    expect(d).toMatchObject({
      category: 'CONTROLLER_TIMEOUT',
      title: 'Resource Unavailable',
      targetId: tier.id,
    });
    expect(d?.sentence).toContain(
      'The implement call to element simulator for tier web failed: sim-ctl did not answer in time',
    );
    expect(d?.caused.map((x) => [x.category, x.evidence.call?.purpose, x.evidence.vendorCode])).toEqual([
      ['VENDOR_ERROR', 'rollback', 'E2'],
    ]);
    await actionSucceeds(engine, w.db.db, d?.id as string, 'adopt');
    expect(await open(vpc.id)).toEqual([]);
  });

  it('diagnoses a controller that answers 429 past every attempt as RATE_LIMITED with the Retry-After as evidence', async () => {
    const { vpc, tier } = await vpcWithTier(w, engine, '10.23.0.0/16', '10.23.1.0/24');
    const c = w.controllerIds[0] as string;
    await w.hub.injectFault(c, {
      kind: 'rateLimited',
      operation: 'implement',
      resource: 'network',
      retryAfterMs: 200,
    });
    await w.hub.injectFault(c, vendorError('E3', 'undo blocked', 'destroy'));
    const job = await waitForJob(engine, (await engine.implementTier(tier.id, 'bob')).jobId);
    expect(job.state).toBe('failed');
    const d = await onlyOpen(vpc.id);
    expect(d).toMatchObject({
      category: 'RATE_LIMITED',
      title: 'Rate limited',
      targetId: tier.id,
      targetName: 'web',
      vpcName: vpc.name,
      actions: ['retry', 'open-controller'],
      evidence: { vendorCode: 'HTTP_429', call: { category: 'RATE_LIMITED', retryAfterMs: 200 } },
    });
    expect(d?.sentence).toContain(
      'sim-ctl kept refusing calls over its rate limit, asking to retry after 0.2 s',
    );
    expect(d?.remediation).toContain('calls-per-second limit');

    await w.hub.clearFaults(c);
    await actionSucceeds(engine, w.db.db, d?.id as string, 'retry');
    expect((await engine.getTier(tier.id))?.state).toBe('Implemented');
    expect(await open(vpc.id)).toEqual([]);
  });

  it('makes the first failing NIC of a bulk prepare the root cause; release and retry clear the NICs one by one', async () => {
    const { vpc, tier } = await vpcWithTier(w, engine, '10.22.0.0/16', '10.22.1.0/24');
    await waitForJob(engine, (await engine.implementTier(tier.id, 'alice')).jobId);
    const c = w.controllerIds[0] as string;
    await w.hub.injectFault(c, { kind: 'capacityExhausted', operation: 'prepare' });
    const { jobId } = await engine.prepareNics(
      tier.id,
      [{ vmName: 'a' }, { vmName: 'b' }, { vmName: 'c' }],
      'alice',
      { batchSize: 1 },
    );
    expect((await waitForJob(engine, jobId)).state).toBe('failed');
    await w.hub.clearFaults(c);
    const views = await open(vpc.id);
    expect(views).toHaveLength(1);
    const root = views[0];
    expect(root).toMatchObject({ category: 'CAPACITY_EXHAUSTED', targetType: 'nic', jobId });
    expect(root?.caused).toHaveLength(2);
    expect(root?.actions).toEqual(['release', 'retry', 'open-controller']);
    await expect(
      runDiagnosisAction(engine, w.db.db, {
        diagnosisId: root?.id as string,
        action: 'rerun-negotiation',
        actor: 'sue',
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    await actionSucceeds(engine, w.db.db, root?.id as string, 'release');
    const after = await open(vpc.id);
    // The root's NIC is released; the two others are still in Error and now stand on their own.
    expect(after.map((v) => v.targetId).sort()).toEqual(root?.caused.map((x) => x.targetId).sort());
    for (const v of after) {
      await actionSucceeds(engine, w.db.db, v.id, 'retry');
    }
    expect(await open(vpc.id)).toEqual([]);
  });
});
