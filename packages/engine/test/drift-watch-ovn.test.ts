// The drift watch on a real OVN Northbound (ovsdb-server), both dialects: an ACL of a tier's port group deleted with
// `ovn-nbctl acl-del`, and a NIC's port deleted with `lsp-del`, show as Synced=False with the difference WITHOUT a
// reconcile call (the adapter's monitor pushes the change); repair puts them back. The monitor also sees our own
// writes: provisioning (a boot of 50 NICs included) leads to at most a couple of reconcile jobs, not a storm.
import { names } from '@netplane/adapter-ovn';
import { expect, it } from 'vitest';
import { edgeTier } from './edge';
import { describeOvnWorld, type OvnWorldOptions } from './ovn-world';
import { until, waitForJob } from './world';

const ACL_PROVIDER: OvnWorldOptions = {
  provider: 'ovn-acl',
  services: ['Connectivity', 'Dhcp', 'NetworkACL'],
  config: { localnetNetworkName: 'physnet1' },
  engine: { driftDebounceMs: 300 },
};

describeOvnWorld('drift watch', ACL_PROVIDER, (ovn) => {
  let net = 120;

  const reconciles = async (vpcId: string) =>
    (await ovn.engine.listJobs({ vpcId, kind: 'vpc.reconcile' })).filter((j) => j.createdBy === 'engine');
  const tierSynced = async (tierId: string) =>
    (await ovn.engine.getTier(tierId))?.conditions.find((c) => c.type === 'Synced');
  /** No job of the VPC queued or running and nothing waiting in the drift watch. */
  const quiet = (vpcId: string) =>
    until(
      async () => ({
        pending: ovn.engine.driftPending.includes(vpcId),
        active: (await ovn.engine.listJobs({ vpcId })).filter(
          (j) => j.state === 'queued' || j.state === 'running',
        ).length,
      }),
      (s) => !s.pending && s.active === 0,
    );

  const tierWithNics = (count: number) =>
    edgeTier(ovn.engine, {
      zoneId: ovn.w.zoneId,
      vpcOfferingId: ovn.vpcOfferingId,
      offeringId: ovn.offeringId,
      net: ++net,
      count,
      tierName: 'app',
    });

  it('shows an ACL deleted with acl-del as drift without a reconcile call, and repair restores it', async () => {
    const { vpc, tier } = await tierWithNics(2);
    // Our own writes were seen by the monitor: the engine checked the VPC after its jobs, and found it in sync.
    await until(
      async () => (await reconciles(vpc.id)).length,
      (k) => k >= 1,
    );
    await quiet(vpc.id);
    expect((await tierSynced(tier.id))?.status).toBe('True');

    const pg = names.portGroup(tier.id);
    const acls = async () => (await ovn.server.nbctl(['acl-list', pg])).trim().split('\n').filter(Boolean);
    expect(await acls()).toHaveLength(3);
    await ovn.server.nbctl([
      '--type=port-group',
      'acl-del',
      pg,
      'to-lport',
      '1000',
      `outport == @${pg} && ip4`,
    ]);
    const drifted = await until(
      () => tierSynced(tier.id),
      (c) => c?.status === 'False',
    );
    expect(drifted?.reason).toBe('DriftDetected');
    expect(drifted?.message).toContain("ACL to-lport 1000 'outport == @");
    expect(drifted?.message).toContain('is missing');

    expect((await waitForJob(ovn.engine, (await ovn.engine.repair(vpc.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    expect((await tierSynced(tier.id))?.status).toBe('True');
    expect(await acls()).toHaveLength(3);
    await quiet(vpc.id);
    expect((await tierSynced(tier.id))?.status).toBe('True');
  });

  it('shows a port deleted with lsp-del as drift without a reconcile call, and repair puts it back', async () => {
    const { vpc, tier, nics } = await tierWithNics(2);
    await quiet(vpc.id);
    const nic = nics[0];
    if (!nic) throw new Error('no NIC');
    await ovn.server.nbctl(['lsp-del', names.nicPort(nic.id)]);
    const drifted = await until(
      () => tierSynced(tier.id),
      (c) => c?.status === 'False',
    );
    expect(drifted?.message).toContain(`nic ${nic.id} is missing`);
    expect((await ovn.engine.getVpc(vpc.id))?.conditions.find((c) => c.type === 'Synced')?.status).toBe(
      'False',
    );

    expect((await waitForJob(ovn.engine, (await ovn.engine.repair(vpc.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    expect(await ovn.server.nbctl(['lsp-get-addresses', names.nicPort(nic.id)])).toContain(
      `${nic.mac} ${nic.ip}`,
    );
    await quiet(vpc.id);
    expect((await tierSynced(tier.id))?.status).toBe('True');
  });

  it('a boot of 50 NICs leads to a couple of reconcile jobs at most, not one per monitor update', async () => {
    const { vpc, tier } = await tierWithNics(1);
    await quiet(vpc.id);
    const before = (await reconciles(vpc.id)).length;
    const boot = await ovn.engine.prepareNics(
      tier.id,
      Array.from({ length: 50 }, (_, i) => ({ vmName: `boot${i}` })),
      't',
      { batchSize: 1 },
    );
    expect((await waitForJob(ovn.engine, boot.jobId)).state).toBe('succeeded');
    await until(
      async () => (await reconciles(vpc.id)).length,
      (k) => k > before,
    );
    await quiet(vpc.id);
    const after = (await reconciles(vpc.id)).length;
    expect(after - before).toBeLessThanOrEqual(2);
    expect((await tierSynced(tier.id))?.status).toBe('True');
  });
});
