// Network ACL lists through the engine onto a real OVN Northbound (ovsdb-server, checked with ovn-nbctl acl-list), on
// both dialects: a list assigned to a tier and then edited shows its rules as ACL rows on the tier's port group,
// and switching back to default_deny leaves the fixed rows plus its one drop; the reconcile after it finds no drift.
import { names } from '@netplane/adapter-ovn';
import { aclRuleInputSchema, DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { expect, it, vi } from 'vitest';
import { describeOvnWorld } from './ovn-world';
import { waitForJob } from './world';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

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

    it('applies a list and its edits to the tier port group, and default_deny again', async () => {
      const engine = ovn.engine;
      const vpc = await engine.createVpc(
        { name: 'acl-ovn', zoneId: ovn.w.zoneId, offeringId: ovn.vpcOfferingId, cidr: '10.77.0.0/16' },
        't',
      );
      const db = await engine.createTier(
        { vpcId: vpc.id, name: 'db', offeringId: ovn.offeringId, cidr: '10.77.2.0/24' },
        't',
      );
      const impl = await waitForJob(engine, (await engine.implementTier(db.id, 't')).jobId);
      expect(impl.state, JSON.stringify(impl.error)).toBe('succeeded');
      expect(await aclLines(db.id)).toHaveLength(3);
      const rule = aclRuleInputSchema.parse({
        number: 100,
        action: 'allow',
        protocol: 'tcp',
        trafficType: 'Ingress',
        portStart: 5432,
        portEnd: 5432,
        cidrs: ['10.77.1.0/24'],
      });
      const list = await engine.networkAcls.createList({
        vpcId: vpc.id,
        name: 'web-to-db',
        description: '',
        rules: [rule],
      });
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
      const tier = (await engine.getVpc(vpc.id))?.tiers.find((t) => t.id === db.id);
      expect(tier?.conditions.find((c) => c.type === 'Synced')?.status).toBe('True');
    });
  },
);
