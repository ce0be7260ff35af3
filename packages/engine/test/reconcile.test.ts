// Reconciliation against the simulator: in sync after implement and prepare; a deleted NIC, an altered NIC and a
// foreign-looking extra make Synced=False with the difference; repair re-applies and the next reconcile is clean.
import { expect, it } from 'vitest';
import { describeWorld } from './describe-world';
import { reconcileDrift } from './edge';
import { vpcWithTier, waitForJob } from './world';

describeWorld('reconciliation', {}, (world) => {
  it('finds missing and different NICs, reports them in Synced, and repairs them', async () => {
    const { vpc, tier } = await vpcWithTier(world.w, world.engine, '10.80.0.0/16', '10.80.1.0/24');
    await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 't')).jobId);
    const { jobId, nics } = await world.engine.prepareNics(
      tier.id,
      [{ vmName: 'a' }, { vmName: 'b' }, { vmName: 'c' }],
      't',
    );
    await waitForJob(world.engine, jobId);

    const clean = await waitForJob(world.engine, (await world.engine.reconcile(vpc.id, 't')).jobId);
    expect(clean.result).toMatchObject({ inSync: true, drift: [] });
    expect((await world.engine.getVpc(vpc.id))?.conditions.find((c) => c.type === 'Synced')).toMatchObject({
      status: 'True',
      reason: 'InSync',
    });

    const c = world.w.controllerIds[0] as string;
    const [gone, changed] = nics;
    if (!gone || !changed) throw new Error('nics');
    world.w.hub.tamper(c, { action: 'delete', kind: 'nic', id: gone.id });
    world.w.hub.tamper(c, {
      action: 'alter',
      kind: 'nic',
      id: changed.id,
      attributes: { ip: '10.80.1.250' },
    });

    const drift = await reconcileDrift(world.engine, vpc.id);
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'missing', resource: 'nic', id: gone.id }),
        expect.objectContaining({
          kind: 'different',
          resource: 'nic',
          id: changed.id,
          differences: { ip: { want: changed.ip, have: '10.80.1.250' } },
        }),
      ]),
    );
    const synced = (await world.engine.getNic(gone.id))?.conditions.find((x) => x.type === 'Synced');
    expect(synced).toMatchObject({ status: 'False', reason: 'DriftDetected' });
    expect(synced?.message).toContain('missing');
    // Ready but not Synced is shown as such, never hidden
    expect((await world.engine.getNic(gone.id))?.conditions.find((x) => x.type === 'Ready')?.status).toBe(
      'True',
    );
    const tierSynced = (await world.engine.getTier(tier.id))?.conditions.find((x) => x.type === 'Synced');
    expect(tierSynced?.status).toBe('False');

    const repaired = await waitForJob(world.engine, (await world.engine.repair(vpc.id, 't')).jobId);
    expect(repaired.state).toBe('succeeded');
    expect(repaired.result).toMatchObject({ inSync: true, remaining: [] });
    expect((await world.engine.getNic(gone.id))?.conditions.find((x) => x.type === 'Synced')?.status).toBe(
      'True',
    );
    expect((await world.engine.getVpc(vpc.id))?.conditions.find((x) => x.type === 'Synced')?.status).toBe(
      'True',
    );
    const calls = await world.engine.listCalls({ jobId: repaired.id });
    expect(
      calls
        .filter((x) => x.phase === 'prepare')
        .map((x) => x.targetId)
        .sort(),
    ).toEqual([gone.id, changed.id].sort());
  });

  it('runs a reconcile for every implemented VPC from the schedule', async () => {
    const ids = await world.engine.reconcileAll();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect((await waitForJob(world.engine, id)).state).toBe('succeeded');
  });
});
