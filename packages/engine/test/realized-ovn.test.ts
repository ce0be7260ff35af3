// The Realized condition through the engine on a real OVN (ovsdb-server, ovn-northd, the adapter's checkRealized
// reading the Southbound), both dialects: True on the VPC, tier and NICs after implement; with ovn-northd stopped the
// next change is accepted (the job succeeds, Ready is True) but stays not Realized with NorthdNotRunning and a
// NOT_REALIZED diagnosis; once northd runs again a reconcile realizes it and resolves the diagnosis.
import { diagnosesRepo } from '@netplane/db';
import { type Condition, conditionOf } from '@netplane/domain';
import { expect, it } from 'vitest';
import { implementWithNics } from './edge';
import { describeOvnWorld } from './ovn-world';
import { TRACE_PROVIDER } from './trace-support';
import { vpcWithTier, waitForJob } from './world';

const realized = (conditions: readonly Condition[] | undefined) => {
  const c = conditionOf(conditions ?? [], 'Realized');
  return c && { status: c.status, reason: c.reason };
};
const TRUE = { status: 'True', reason: 'Realized' };

describeOvnWorld(
  'the Realized condition',
  // A short compile wait: with northd stopped every check waits it out before judging.
  { ...TRACE_PROVIDER, provider: 'ovn-r', southbound: true, engine: { realizedWaitMs: 1_500 } },
  (ovn) => {
    it('is True after implement, NorthdNotRunning with a diagnosis while northd is down, and True again after', async () => {
      const { engine, w } = ovn;
      const northd = ovn.northd;
      if (!northd) throw new Error('this world runs ovn-northd');
      const { vpc, tier } = await vpcWithTier(
        w,
        engine,
        '10.62.0.0/16',
        '10.62.1.0/24',
        ovn.offeringId,
        ovn.vpcOfferingId,
      );
      const [first] = await implementWithNics(engine, tier.id, 1);
      // The job's own check waits only 1.5 s for northd; on a busy machine it may judge before northd compiled. Once
      // northd has compiled everything (an event, not a time), a reconcile's check must find it all realized.
      await northd.sync();
      expect((await waitForJob(engine, (await engine.reconcile(vpc.id, 't')).jobId)).state).toBe('succeeded');
      expect(realized((await engine.getVpc(vpc.id))?.conditions)).toEqual(TRUE);
      expect(realized((await engine.getTier(tier.id))?.conditions)).toEqual(TRUE);
      expect(realized((await engine.getNic(first?.id ?? ''))?.conditions)).toEqual(TRUE);

      await northd.stop();
      const openNotRealized = async () =>
        (await diagnosesRepo.listOpenForTarget(w.db.db, 'vpc', vpc.id)).filter(
          (d) => d.category === 'NOT_REALIZED',
        );
      let lateId = '';
      try {
        const { jobId, nics } = await engine.prepareNics(tier.id, [{ vmName: 'late' }], 't');
        lateId = nics[0]?.id ?? '';
        // The Northbound took the port: the job succeeds and the NIC is Ready, but nothing compiled it.
        expect((await waitForJob(engine, jobId)).state).toBe('succeeded');
        const late = await engine.getNic(lateId);
        expect(conditionOf(late?.conditions ?? [], 'Ready')?.status).toBe('True');
        expect(realized(late?.conditions)).toEqual({ status: 'False', reason: 'NorthdNotRunning' });
        expect(realized((await engine.getVpc(vpc.id))?.conditions)).toEqual({
          status: 'False',
          reason: 'NorthdNotRunning',
        });
        const [d, ...more] = await openNotRealized();
        expect(more).toEqual([]);
        expect(d?.sentence).toContain('NorthdNotRunning');
      } finally {
        await northd.start();
      }

      const reconciled = await waitForJob(engine, (await engine.reconcile(vpc.id, 't')).jobId);
      expect(reconciled.state).toBe('succeeded');
      expect(realized((await engine.getNic(lateId))?.conditions)).toEqual(TRUE);
      expect(realized((await engine.getVpc(vpc.id))?.conditions)).toEqual(TRUE);
      expect(await openNotRealized()).toEqual([]);
    });
  },
);
