// A controller that lost Netplane's resources (the remote simulator killed mid-job and restarted empty on its port):
// one retry re-implements the VPC and tier, re-prepares every NIC and leaves the VPC Synced; a prepare refused for
// the lost tier is diagnosed as CONTROLLER_LOST_STATE, and that diagnosis's retry converges in one click too.
import { createRemoteSimulatorControl } from '@netplane/adapter-simulator';
import { diagnosesRepo } from '@netplane/db';
import { expect, it } from 'vitest';
import { runDiagnosisAction } from '../src/index';
import { describeRemoteSimulatorWorld } from './describe-world';
import { startSimulator } from './simulator-process';
import { vpcWithTier, waitForJob } from './world';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// One NIC per call, one at a time, so the kill lands between NICs; the breaker stays closed, so the first call after
// the restart reaches the controller (a half-open breaker is another test's subject).
const ONE_NIC_AT_A_TIME = { prepareBatchSize: 1, nicParallelism: 1, breakerThreshold: 10_000 };

describeRemoteSimulatorWorld('a controller that lost its state', ONE_NIC_AT_A_TIME, (world) => {
  const restartEmpty = async () => {
    await world.sim.kill();
    world.sim = await startSimulator(world.sim.port);
  };
  const synced = async (vpcId: string) =>
    (await world.engine.getVpc(vpcId))?.conditions.find((c) => c.type === 'Synced');
  const statesOf = async (tierId: string) => (await world.engine.listNics(tierId)).map((n) => n.state);

  it('re-implements the lost tier and re-prepares every NIC in one retry of the job killed mid-way', async () => {
    const { w, engine, controllerId } = world;
    const { vpc, tier } = await vpcWithTier(w, engine, '10.91.0.0/16', '10.91.1.0/24');
    expect((await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    const first = await engine.prepareNics(tier.id, [{ vmName: 'a' }, { vmName: 'b' }, { vmName: 'c' }], 't');
    expect((await waitForJob(engine, first.jobId)).state).toBe('succeeded');

    // The next prepare hangs on the controller; the controller dies while the job waits on it.
    const control = createRemoteSimulatorControl(world.sim.url);
    await control.injectFault(controllerId, { kind: 'slowness', operation: 'prepare', delayMs: 60_000 });
    const doomed = await engine.prepareNics(
      tier.id,
      ['d', 'e', 'f', 'g'].map((vmName) => ({ vmName })),
      't',
    );
    await until('a NIC of the doomed job in Reserving', async () =>
      (await statesOf(tier.id)).includes('Reserving') ? true : undefined,
    );
    await world.sim.kill();
    const failed = await waitForJob(engine, doomed.jobId);
    expect(failed.state).toBe('failed');
    world.sim = await startSimulator(world.sim.port);
    expect(
      (await createRemoteSimulatorControl(world.sim.url).getState(controllerId))?.counts.ports ?? 0,
    ).toBe(0);
    expect(await statesOf(tier.id)).toContain('Error');

    const retried = await waitForJob(engine, (await engine.retry({ jobId: doomed.jobId }, 't')).jobId);
    expect(retried.state).toBe('succeeded');
    expect(await statesOf(tier.id)).toEqual(Array(7).fill('Reserved'));
    expect(await synced(vpc.id)).toMatchObject({ status: 'True', reason: 'InSync' });
    const state = await createRemoteSimulatorControl(world.sim.url).getState(controllerId);
    expect(state?.counts).toMatchObject({ vpcs: 1, networks: 1, ports: 7 });
  }, 90_000);

  it('diagnoses a prepare refused for the lost tier as lost state, and its retry converges', async () => {
    const { w, engine } = world;
    const { vpc, tier } = await vpcWithTier(w, engine, '10.92.0.0/16', '10.92.1.0/24');
    expect((await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    const first = await engine.prepareNics(tier.id, [{ vmName: 'a' }, { vmName: 'b' }], 't');
    expect((await waitForJob(engine, first.jobId)).state).toBe('succeeded');
    await restartEmpty();

    const refused = await engine.prepareNics(tier.id, [{ vmName: 'c' }, { vmName: 'd' }], 't');
    expect((await waitForJob(engine, refused.jobId)).state).toBe('failed');
    const nic = refused.nics[0];
    if (!nic) throw new Error('no NIC');
    const [diagnosis] = await diagnosesRepo.listOpenForTarget(w.db.db, 'nic', nic.id);
    expect(diagnosis).toMatchObject({
      category: 'CONTROLLER_LOST_STATE',
      title: "Controller lost Netplane's resources",
    });
    expect(diagnosis?.sentence).toContain('no longer holds');
    expect(diagnosis?.remediation).toContain('Retry re-creates them');
    expect(diagnosis?.remediation).not.toContain('vendor code');
    expect(diagnosis?.actions).toContain('retry');

    // One click on the diagnosis of one NIC: the retry brings back the tier and every NIC of the tier.
    const action = await runDiagnosisAction(engine, w.db.db, {
      diagnosisId: diagnosis?.id ?? '',
      action: 'retry',
      actor: 't',
    });
    expect((await waitForJob(engine, action.jobId)).state).toBe('succeeded');
    expect(await statesOf(tier.id)).toEqual(Array(4).fill('Reserved'));
    expect(await synced(vpc.id)).toMatchObject({ status: 'True', reason: 'InSync' });
  }, 90_000);
});
