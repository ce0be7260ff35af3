// Port forwarding through the engine onto a real OVN Northbound (ovsdb-server, checked with ovn-nbctl), on both
// dialects: the apply job makes one Load_Balancer with a VIP per port on the tier's switch and the VPC's router, a
// reconcile sees it as the forward it is (not as an extra LB rule), an LB rule on a forwarded port is refused before
// any call, and the delete job removes the row.
import { names } from '@netplane/adapter-ovn';
import { expect, it } from 'vitest';
import { lbRule, ovnEdgeTier, phasesOf } from './edge';
import { describeOvnWorld, edgeProvider, findNb } from './ovn-world';
import { waitForJob } from './world';

describeOvnWorld(
  'port forwarding',
  edgeProvider('ovn-pf', ['Connectivity', 'Dhcp', 'SourceNat', 'Lb', 'PortForwarding']),
  (ovn) => {
    const lbRowOf = async (ruleId: string) =>
      (await findNb(ovn, 'Load_Balancer', '_uuid,vips,protocol', `name=netplane-pf-${ruleId}`))
        .trim()
        .split('\n')
        .filter(Boolean);

    it('applies a forward as a one-backend Load_Balancer, reconciles in sync, refuses an LB on its port, deletes it', async () => {
      const { vpc, tier, nics, acquire } = await ovnEdgeTier(ovn, 91, 1);
      const nic = nics[0];
      if (!nic) throw new Error('nic');
      const ip = await acquire();
      const input = {
        publicIpId: ip.id,
        nicId: nic.id,
        protocol: 'tcp' as const,
        publicPortStart: 2222,
        publicPortEnd: 2223,
        privatePortStart: 22,
        privatePortEnd: 23,
      };
      const { rule, jobId } = await ovn.engine.portForwarding.create(input, 't');
      expect((await waitForJob(ovn.engine, jobId)).state).toBe('succeeded');
      expect(await phasesOf(ovn.engine, jobId)).toEqual(['apply:portForward:ok']);
      const [uuid, vips, protocol] = await lbRowOf(rule.id);
      expect(vips?.split(/\s+/).sort()).toEqual([
        `${ip.address}:2222=${nic.ip}:22`,
        `${ip.address}:2223=${nic.ip}:23`,
      ]);
      expect(protocol).toBe('tcp');
      const onSwitch = await findNb(ovn, 'Logical_Switch', 'load_balancer', `name=${names.switch(tier.id)}`);
      const onRouter = await findNb(ovn, 'Logical_Router', 'load_balancer', `name=${names.router(vpc.id)}`);
      expect(onSwitch).toContain(uuid);
      expect(onRouter).toContain(uuid);

      const reconciled = await waitForJob(ovn.engine, (await ovn.engine.reconcile(vpc.id, 't')).jobId);
      expect(reconciled.result).toMatchObject({ inSync: true, drift: [] });

      await expect(
        ovn.engine.createLbRule(
          lbRule(tier.id, 'ssh', ip.id, [nic.id], {
            publicPort: 2223,
            privatePort: 22,
            algorithm: 'source',
          }),
          't',
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'PUBLIC_IP_IN_USE' } });

      const del = await ovn.engine.portForwarding.delete(rule.id, 't');
      expect((await waitForJob(ovn.engine, del.jobId)).state).toBe('succeeded');
      expect(await lbRowOf(rule.id)).toEqual([]);
      expect((await ovn.engine.portForwarding.list({ vpcId: vpc.id, limit: 10 })).items).toEqual([]);
    });
  },
);
