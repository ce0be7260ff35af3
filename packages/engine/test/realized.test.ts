// The Realized condition against the simulator on both dialects: True on the VPC, tier, NIC and rule after their jobs;
// an `unrealized` fault keeps a change NotRealized (the job still succeeds, Ready stays True) with a NOT_REALIZED
// diagnosis on the VPC, and clearing it then reconciling realizes it and resolves the diagnosis; NorthdNotRunning
// makes every part not named False; a check that fails is Unknown/CheckFailed; an adapter without the call leaves
// Unknown/CheckUnsupported.
import { diagnosesRepo, vpcsRepo } from '@netplane/db';
import { type Condition, conditionOf } from '@netplane/domain';
import { beforeAll, expect, it } from 'vitest';
import { buildSupportBundle, listTriageQueue } from '../src/index';
import { describeWorld, simulatorOffering } from './describe-world';
import { worldEdgeTier } from './edge';
import { simulatorWithout, vendorError } from './faults';
import { type World, waitForJob } from './world';

const realized = (conditions: readonly Condition[]) => {
  const c = conditionOf(conditions, 'Realized');
  return c && { status: c.status, reason: c.reason };
};

/** The simulator without checkRealized: an adapter that cannot tell what its controller applied. */
let hubOf: () => World['hub'] = () => {
  throw new Error('no world yet');
};
const withoutCheck = simulatorWithout('checkRealized', () => hubOf(), 'nocheck');

describeWorld(
  'the Realized condition',
  { extraAdapters: [{ id: 'nocheck', status: 'Fully Loaded', module: withoutCheck }] },
  (world) => {
    let offeringId = '';
    let net = 60;
    const controllerId = () => world.w.controllerIds[0] as string;
    beforeAll(async () => {
      hubOf = () => world.w.hub;
      offeringId = await simulatorOffering(world.w, ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb']);
    });
    const edgeTier = (count: number) =>
      worldEdgeTier(world.w, world.engine, { offeringId, net: ++net, count });
    /** Runs `body` with every prepare on the controller left unrealized for `reason`; clears it however it ends. */
    const whileUnrealized = async (reason: 'NotCompiled' | 'NorthdNotRunning', body: () => Promise<void>) => {
      await world.w.hub.injectFault(controllerId(), { kind: 'unrealized', reason, operation: 'prepare' });
      try {
        await body();
      } finally {
        await world.w.hub.clearFaults(controllerId());
      }
    };
    const openNotRealized = async (vpcId: string) =>
      (await diagnosesRepo.listOpenForTarget(world.w.db.db, 'vpc', vpcId)).filter(
        (d) => d.category === 'NOT_REALIZED',
      );
    /** "Implemented and Synced but not Realized", as the dashboard counts it (the columns of migration 017). */
    const notRealizedVpcs = async () =>
      (
        await vpcsRepo.listVpcs(world.w.db.db, {
          limit: 100,
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'Realized', status: 'False' },
          ],
        })
      ).items.map((v) => v.id);

    it('is True on the VPC, tier, NIC and static NAT once their jobs applied them', async () => {
      const { vpc, tier, nics, acquire } = await edgeTier(1);
      const nic = nics[0];
      if (!nic) throw new Error('nic');
      const nat = await world.engine.enableStaticNat(
        { nicId: nic.id, publicIpId: (await acquire()).id },
        't',
      );
      expect((await waitForJob(world.engine, nat.jobId)).state).toBe('succeeded');
      const True = { status: 'True', reason: 'Realized' };
      expect(realized((await world.engine.getVpc(vpc.id))?.conditions ?? [])).toEqual(True);
      expect(realized((await world.engine.getTier(tier.id))?.conditions ?? [])).toEqual(True);
      expect(realized((await world.engine.getNic(nic.id))?.conditions ?? [])).toEqual(True);
      const [rule] = await world.engine.listStaticNat(vpc.id);
      expect(realized(rule?.conditions ?? [])).toEqual(True);
      // The check is in the VPC's call log, beside (not in) the jobs' own calls.
      const calls = await world.engine.listCalls({ vpcId: vpc.id, limit: 100 });
      expect(calls.some((c) => (c.request as { op?: string } | null)?.op === 'checkRealized')).toBe(true);
      expect(await openNotRealized(vpc.id)).toEqual([]);
    });

    it('keeps a change NotRealized under the fault, diagnoses it, and realizes it after clearing and reconcile', async () => {
      const { vpc, tier } = await edgeTier(1);
      await whileUnrealized('NotCompiled', async () => {
        const { jobId, nics } = await world.engine.prepareNics(tier.id, [{ vmName: 'stuck' }], 't');
        expect((await waitForJob(world.engine, jobId)).state).toBe('succeeded');
        const nic = await world.engine.getNic(nics[0]?.id ?? '');
        expect(nic?.state).toBe('Reserved');
        expect(conditionOf(nic?.conditions ?? [], 'Ready')?.status).toBe('True');
        expect(realized(nic?.conditions ?? [])).toEqual({ status: 'False', reason: 'NotCompiled' });
        // The tier itself was compiled before the fault: only the NIC and the VPC that holds it are off.
        expect(realized((await world.engine.getTier(tier.id))?.conditions ?? [])).toEqual({
          status: 'True',
          reason: 'Realized',
        });
        const v = await world.engine.getVpc(vpc.id);
        expect(realized(v?.conditions ?? [])).toEqual({ status: 'False', reason: 'NotCompiled' });
        expect(conditionOf(v?.conditions ?? [], 'Realized')?.message).toContain('stuck');
        expect(await notRealizedVpcs()).toContain(vpc.id);
        const [d, ...more] = await openNotRealized(vpc.id);
        expect(more).toEqual([]);
        expect(d?.title).toBe('Not realized');
        expect(d?.sentence).toContain('NotCompiled');
        const evidence = d?.evidence as {
          notRealized?: { entity: string; reason: string; evidence: string[] }[];
        };
        expect(evidence.notRealized?.[0]).toMatchObject({ entity: 'nic', reason: 'NotCompiled' });
        expect(evidence.notRealized?.[0]?.evidence.length).toBeGreaterThan(0);
        expect(d?.remediation).toContain('reconcile');
        // Never hidden: the VPC is in the triage queue with this diagnosis, and the support bundle carries both.
        const queue = await listTriageQueue(world.w.db.db, { now: Date.now(), limit: 200 });
        expect(queue.items.find((q) => q.vpcId === vpc.id)?.rootCause?.category).toBe('NOT_REALIZED');
        const bundle = await buildSupportBundle(world.w.db.db, vpc.id, { now: Date.now() });
        expect(JSON.stringify(bundle?.nics)).toContain('NotCompiled');
        expect(bundle?.vpc).toMatchObject({ realized_status: 'False' });
        expect(JSON.stringify(bundle?.diagnoses)).toContain('NOT_REALIZED');
      });
      expect((await waitForJob(world.engine, (await world.engine.reconcile(vpc.id, 't')).jobId)).state).toBe(
        'succeeded',
      );
      expect(realized((await world.engine.getVpc(vpc.id))?.conditions ?? [])).toEqual({
        status: 'True',
        reason: 'Realized',
      });
      expect(await openNotRealized(vpc.id)).toEqual([]);
      expect(await notRealizedVpcs()).not.toContain(vpc.id);
    });

    it('marks every part the report does not name False when the controller as a whole is off (NorthdNotRunning)', async () => {
      const { vpc, tier } = await edgeTier(1);
      await whileUnrealized('NorthdNotRunning', async () => {
        const { jobId } = await world.engine.prepareNics(tier.id, [{ vmName: 'late' }], 't');
        expect((await waitForJob(world.engine, jobId)).state).toBe('succeeded');
        const off = { status: 'False', reason: 'NorthdNotRunning' };
        expect(realized((await world.engine.getTier(tier.id))?.conditions ?? [])).toEqual(off);
        for (const n of await world.engine.listNics(tier.id)) expect(realized(n.conditions)).toEqual(off);
        const [d] = await openNotRealized(vpc.id);
        expect(d?.remediation).toContain('ovn-northd');
      });
    });

    it('is Unknown/CheckFailed when the check itself fails, and the job still succeeds with Ready True', async () => {
      const { tier } = await edgeTier(1);
      // The realized check is the prepare job's only read: the one failing observe-phase call is the check.
      await world.w.hub.injectFault(controllerId(), vendorError('E9', 'check boom', 'observe'));
      const { jobId, nics } = await world.engine.prepareNics(tier.id, [{ vmName: 'x' }], 't');
      expect((await waitForJob(world.engine, jobId)).state).toBe('succeeded');
      const nic = await world.engine.getNic(nics[0]?.id ?? '');
      expect(conditionOf(nic?.conditions ?? [], 'Ready')?.status).toBe('True');
      const c = conditionOf(nic?.conditions ?? [], 'Realized');
      expect(c).toMatchObject({ status: 'Unknown', reason: 'CheckFailed' });
      expect(c?.message).toContain('check boom');
    });

    it('is Unknown/CheckUnsupported with an adapter that has no realized check', async () => {
      const providerId = await world.w.addProvider({ name: 'nocheck', adapterId: 'nocheck' });
      await world.w.addController(providerId);
      const vpcOfferingId = await world.w.addOffering({ kind: 'vpc', services: { Connectivity: 'nocheck' } });
      const networkOfferingId = await world.w.addOffering({
        kind: 'network',
        services: { Connectivity: 'nocheck' },
      });
      const vpc = await world.engine.createVpc(
        { name: 'vpc-nocheck', zoneId: world.w.zoneId, offeringId: vpcOfferingId, cidr: '10.90.0.0/16' },
        't',
      );
      const tier = await world.engine.createTier(
        { vpcId: vpc.id, name: 'web', offeringId: networkOfferingId, cidr: '10.90.1.0/24' },
        't',
      );
      expect(
        (await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 't')).jobId)).state,
      ).toBe('succeeded');
      const unsupported = { status: 'Unknown', reason: 'CheckUnsupported' };
      expect(realized((await world.engine.getTier(tier.id))?.conditions ?? [])).toEqual(unsupported);
      expect(realized((await world.engine.getVpc(vpc.id))?.conditions ?? [])).toEqual(unsupported);
      expect(await openNotRealized(vpc.id)).toEqual([]);
    });
  },
);
