// Network ACL lists through the engine onto a real OVN Northbound (ovsdb-server, checked with ovn-nbctl acl-list), on
// both dialects: a list assigned to a tier and then edited shows its rules as ACL rows on the tier's port group,
// and switching back to default_deny leaves the fixed rows plus its one drop; the reconcile after it finds no drift.
// ACL list drift: list rows deleted or changed with ovn-nbctl behind Netplane's back make reconcile report the tier
// Synced=False naming the list and each row, and repair applies the list again (one apply call, no re-implement) so
// the rows are back and the tier is Synced.
import { names } from '@netplane/adapter-ovn';
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { expect, it } from 'vitest';
import { aclRule, newList, tierSynced } from './acl-support';
import { phasesOf } from './edge';
import { describeOvnWorld, findNb } from './ovn-world';
import { waitForJob } from './world';

describeOvnWorld(
  'network ACL lists',
  {
    provider: 'ovn-acl',
    services: ['Connectivity', 'Dhcp', 'NetworkACL'],
    config: { localnetNetworkName: 'physnet1' },
  },
  (ovn) => {
    const aclLines = async (tierId: string) =>
      (await ovn.server.nbctl(['acl-list', names.portGroup(tierId)]))
        .trim()
        .split('\n')
        .map((l) => l.trim().replace(/\s+/g, ' '))
        .filter(Boolean);
    const rowOf = async (tierId: string, rule: string) =>
      (
        await findNb(
          ovn,
          'ACL',
          '_uuid',
          `external_ids:"netplane:network_id"="${tierId}"`,
          `external_ids:"netplane:rule"="${rule}"`,
        )
      ).trim();
    const run = async (job: Promise<{ jobId: string }>) => {
      const { jobId } = await job;
      const done = await waitForJob(ovn.engine, jobId);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      return jobId;
    };

    /** A VPC 10.<n>.0.0/16 with tier db 10.<n>.2.0/24 (created, not implemented). */
    const vpcWithDb = async (n: number) => {
      const vpc = await ovn.engine.createVpc(
        { name: `acl-${n}`, zoneId: ovn.w.zoneId, offeringId: ovn.vpcOfferingId, cidr: `10.${n}.0.0/16` },
        't',
      );
      const db = await ovn.engine.createTier(
        { vpcId: vpc.id, name: 'db', offeringId: ovn.offeringId, cidr: `10.${n}.2.0/24` },
        't',
      );
      return { vpc, db };
    };

    it('applies a list and its edits to the tier port group, and default_deny again', async () => {
      const engine = ovn.engine;
      const { vpc, db } = await vpcWithDb(77);
      const impl = await waitForJob(engine, (await engine.implementTier(db.id, 't')).jobId);
      expect(impl.state, JSON.stringify(impl.error)).toBe('succeeded');
      expect(await aclLines(db.id)).toHaveLength(3);
      const rule = aclRule(100, { cidrs: ['10.77.1.0/24'] });
      const list = await newList(engine, vpc.id, 'web-to-db', [rule]);
      const assigned = await engine.networkAcls.assign(db.id, list.id, 't');
      expect((await waitForJob(engine, assigned.jobId ?? '')).state).toBe('succeeded');
      const pg = `@${names.portGroup(db.id)}`;
      const allow5432 = `to-lport 19900 (outport == ${pg} && ip4 && ip4.src == 10.77.1.0/24 && ip4.src != 10.77.2.0/24 && tcp.dst == 5432) allow-related`;
      expect(await aclLines(db.id)).toContain(allow5432);

      const deny22 = await engine.networkAcls.createRule(
        list.id,
        { ...rule, number: 50, action: 'deny', portStart: 22, portEnd: 22, cidrs: ['0.0.0.0/0'] },
        't',
      );
      expect((await waitForJob(engine, deny22.jobId)).state).toBe('succeeded');
      const lines = await aclLines(db.id);
      expect(lines).toHaveLength(5);
      expect(lines).toEqual(
        expect.arrayContaining([
          allow5432,
          `to-lport 19950 (outport == ${pg} && ip4 && ip4.src != 10.77.2.0/24 && tcp.dst == 22) drop`,
        ]),
      );

      const back = await engine.networkAcls.assign(db.id, DEFAULT_DENY_ACL_ID, 't');
      expect((await waitForJob(engine, back.jobId ?? '')).state).toBe('succeeded');
      expect(await aclLines(db.id)).toEqual(
        expect.arrayContaining([`to-lport 19999 (outport == ${pg} && ip4 && ip4.src != 10.77.2.0/24) drop`]),
      );
      expect(await aclLines(db.id)).toHaveLength(4);
      const check = await engine.reconcile(vpc.id, 't');
      expect((await waitForJob(engine, check.jobId)).state).toBe('succeeded');
      expect((await tierSynced(engine, vpc.id, db.id))?.status).toBe('True');
    });

    it('names the list rows changed by hand, and repair applies the list again', async () => {
      const engine = ovn.engine;
      const { vpc, db } = await vpcWithDb(78);
      const rule = (number: number, port: number) =>
        aclRule(number, { portStart: port, portEnd: port, cidrs: ['10.78.1.0/24'] });
      const list = await newList(engine, vpc.id, 'web-to-db', [rule(100, 5432), rule(110, 6379)]);
      await engine.networkAcls.assign(db.id, list.id, 't');
      await run(engine.implementTier(db.id, 't'));
      const before = (await aclLines(db.id)).sort();
      expect(before).toHaveLength(5);
      await run(engine.reconcile(vpc.id, 't'));
      expect((await tierSynced(engine, vpc.id, db.id))?.status).toBe('True');

      // Rule 110's row taken out of the group (so deleted) and rule 100's turned into a drop.
      const group = names.portGroup(db.id);
      await ovn.server.nbctl(['remove', 'Port_Group', group, 'acls', await rowOf(db.id, 'acl:110')]);
      await ovn.server.nbctl(['set', 'ACL', await rowOf(db.id, 'acl:100'), 'action=drop']);
      await run(engine.reconcile(vpc.id, 't'));
      const drift = await tierSynced(engine, vpc.id, db.id);
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
      expect((await aclLines(db.id)).sort()).toEqual(before);
      expect((await tierSynced(engine, vpc.id, db.id))?.status).toBe('True');
    });
  },
);
