// ACL list drift on a real OVN Northbound, both dialects: list rows of a tier deleted or changed with ovn-nbctl behind
// Netplane's back make reconcile report the tier Synced=False naming the list and each row, and repair applies the
// list again (one apply call, no re-implement needed) so the rows are back and the tier is Synced.
import { names } from '@netplane/adapter-ovn';
import { aclRuleInputSchema } from '@netplane/domain';
import { expect, it, vi } from 'vitest';
import { phasesOf } from './edge';
import { describeOvnWorld } from './ovn-world';
import { waitForJob } from './world';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describeOvnWorld(
  'ACL list drift',
  {
    provider: 'ovn-acl-drift',
    services: ['Connectivity', 'Dhcp', 'NetworkACL'],
    config: { localnetNetworkName: 'physnet1' },
  },
  (ovn) => {
    const aclLines = async (tierId: string) =>
      (await ovn.server.nbctl(['acl-list', names.portGroup(tierId)]))
        .trim()
        .split('\n')
        .map((l) => l.trim().replace(/\s+/g, ' '))
        .filter(Boolean)
        .sort();
    const rowOf = async (tierId: string, rule: string) =>
      (
        await ovn.server.nbctl([
          '--bare',
          '--columns=_uuid',
          'find',
          'ACL',
          `external_ids:"netplane:network_id"="${tierId}"`,
          `external_ids:"netplane:rule"="${rule}"`,
        ])
      ).trim();
    const run = async (job: Promise<{ jobId: string }>) => {
      const { jobId } = await job;
      const done = await waitForJob(ovn.engine, jobId);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      return jobId;
    };
    const synced = async (vpcId: string, tierId: string) =>
      (await ovn.engine.getVpc(vpcId))?.tiers
        .find((t) => t.id === tierId)
        ?.conditions.find((c) => c.type === 'Synced');

    it('names the list rows changed by hand, and repair applies the list again', async () => {
      const engine = ovn.engine;
      const vpc = await engine.createVpc(
        { name: 'acl-drift', zoneId: ovn.w.zoneId, offeringId: ovn.vpcOfferingId, cidr: '10.78.0.0/16' },
        't',
      );
      const db = await engine.createTier(
        { vpcId: vpc.id, name: 'db', offeringId: ovn.offeringId, cidr: '10.78.2.0/24' },
        't',
      );
      const rule = (number: number, port: number) =>
        aclRuleInputSchema.parse({
          number,
          action: 'allow',
          protocol: 'tcp',
          trafficType: 'Ingress',
          portStart: port,
          portEnd: port,
          cidrs: ['10.78.1.0/24'],
        });
      const list = await engine.networkAcls.createList({
        vpcId: vpc.id,
        name: 'web-to-db',
        description: '',
        rules: [rule(100, 5432), rule(110, 6379)],
      });
      await engine.networkAcls.assign(db.id, list.id, 't');
      await run(engine.implementTier(db.id, 't'));
      const before = await aclLines(db.id);
      expect(before).toHaveLength(5);
      await run(engine.reconcile(vpc.id, 't'));
      expect((await synced(vpc.id, db.id))?.status).toBe('True');

      // Rule 110's row taken out of the group (so deleted) and rule 100's turned into a drop.
      const group = names.portGroup(db.id);
      await ovn.server.nbctl(['remove', 'Port_Group', group, 'acls', await rowOf(db.id, 'acl:110')]);
      await ovn.server.nbctl(['set', 'ACL', await rowOf(db.id, 'acl:100'), 'action=drop']);
      await run(engine.reconcile(vpc.id, 't'));
      const drift = await synced(vpc.id, db.id);
      expect(drift).toMatchObject({ status: 'False', reason: 'DriftDetected' });
      const pg = `@${group}`;
      const match = (port: number) =>
        `outport == ${pg} && ip4 && ip4.src == 10.78.1.0/24 && ip4.src != 10.78.2.0/24 && tcp.dst == ${port}`;
      expect(drift?.message).toBe(
        [
          `acl ${db.id}/list: ACL acl:100 of ACL list web-to-db on tier db is to-lport 19900 '${match(5432)}' drop, expected to-lport 19900 '${match(5432)}' allow-related`,
          `acl ${db.id}/list: ACL acl:110 (to-lport 19890 '${match(6379)}' allow-related) of ACL list web-to-db on tier db is missing`,
        ].join('; '),
      );

      const repair = await run(engine.repair(vpc.id, 't'));
      // One re-apply of the list for both rows; the tier itself had nothing to re-implement.
      expect(await phasesOf(engine, repair)).toEqual([
        'observe:vpc:ok',
        'apply:network:ok',
        'observe:vpc:ok',
      ]);
      expect(await aclLines(db.id)).toEqual(before);
      expect((await synced(vpc.id, db.id))?.status).toBe('True');
    });
  },
);
