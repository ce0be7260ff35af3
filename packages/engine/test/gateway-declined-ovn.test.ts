// An OVN controller with no gatewayChassis in its config cannot give a VPC a way out: negotiation records DECLINED
// with the adapter's reason for SourceNat, StaticNat and Lb, the implement fails with NO_ELEMENT_FOR_SERVICE, and no
// Northbound row of the VPC was written (never a tier implemented half-way). Tiers without those services still
// implement. Both dialects, real ovsdb-server.
import { EXT } from '@netplane/adapter-ovn';
import { expect, it } from 'vitest';
import { describeOvnWorld, findNb, type OvnWorld } from './ovn-world';
import { PUBLIC } from './trace-gateway';
import { waitForJob } from './world';

async function nbRowsOf(ovn: OvnWorld, vpcId: string): Promise<string> {
  let all = '';
  for (const table of ['Logical_Router', 'Logical_Switch', 'NAT']) {
    all += await findNb(ovn, table, '_uuid', `external_ids:"${EXT.vpcId}"="${vpcId}"`);
  }
  return all.trim();
}

describeOvnWorld(
  'a VPC gateway without a gateway chassis',
  {
    provider: 'ovn-no-gateway',
    services: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb'],
    config: { localnetNetworkName: 'physnet1' },
    publicNetwork: PUBLIC,
  },
  (ovn) => {
    let net = 190;
    async function tier(offeringId: string) {
      net += 1;
      const vpc = await ovn.engine.createVpc(
        { name: `vpc-${net}`, zoneId: ovn.w.zoneId, offeringId: ovn.vpcOfferingId, cidr: `10.${net}.0.0/16` },
        't',
      );
      const t = await ovn.engine.createTier(
        { vpcId: vpc.id, name: 'web', offeringId, cidr: `10.${net}.1.0/24` },
        't',
      );
      return { vpc, tier: t };
    }

    it('DECLINES SourceNat, StaticNat and Lb with the reason, and writes nothing of the VPC', async () => {
      const { vpc, tier: t } = await tier(ovn.offeringId);
      const job = await waitForJob(ovn.engine, (await ovn.engine.implementTier(t.id, 't')).jobId);
      expect(job.error).toMatchObject({
        code: 'NO_ELEMENT_FOR_SERVICE',
        missing: ['SourceNat', 'StaticNat', 'Lb'],
      });
      const [trace] = await ovn.engine.listTraces({ networkId: t.id });
      for (const service of ['SourceNat', 'StaticNat', 'Lb']) {
        expect(trace?.trace).toContainEqual(
          expect.objectContaining({
            service,
            verdict: 'DECLINED',
            reason: expect.stringContaining(`${service} needs a gateway chassis`),
          }),
        );
      }
      expect(await ovn.engine.listCalls({ jobId: job.id })).toEqual([]);
      expect(await nbRowsOf(ovn, vpc.id)).toBe('');
    });

    it('still implements a tier whose offering needs no gateway', async () => {
      const plain = await ovn.w.addOffering({
        kind: 'network',
        services: { Connectivity: 'ovn', Dhcp: 'ovn' },
      });
      const { vpc, tier: t } = await tier(plain);
      const job = await waitForJob(ovn.engine, (await ovn.engine.implementTier(t.id, 't')).jobId);
      expect(job.state).toBe('succeeded');
      expect(await nbRowsOf(ovn, vpc.id)).not.toBe('');
    });
  },
);
