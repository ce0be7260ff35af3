// The connectivity check and the matrix through the engine on a real OVN (ovsdb-server, ovn-northd, the adapter's
// trace() running ovn-trace against the Southbound), both dialects: the same verdicts and refs as the simulator gives
// for the same VPC (within a tier delivered, between tiers default_deny's implicit deny, a user list's rule allowing it).
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { beforeAll, expect, it } from 'vitest';
import { aclRule, newList } from './acl-support';
import { tcp } from './connectivity-support';
import { implementWithNics } from './edge';
import { describeOvnWorld } from './ovn-world';
import { TRACE_PROVIDER } from './trace-support';
import { waitForJob } from './world';

describeOvnWorld('connectivity checks', { ...TRACE_PROVIDER, provider: 'ovn-c', southbound: true }, (ovn) => {
  let vpcId = '';
  let web: { id: string }[] = [];
  let db: { id: string }[] = [];
  let dbTierId = '';
  beforeAll(async () => {
    const { engine, w } = ovn;
    const vpc = await engine.createVpc(
      { name: 'c-ovn', zoneId: w.zoneId, offeringId: ovn.vpcOfferingId, cidr: '10.61.0.0/16' },
      't',
    );
    vpcId = vpc.id;
    const tier = (name: string, octet: number) =>
      engine.createTier({ vpcId, name, offeringId: ovn.offeringId, cidr: `10.61.${octet}.0/24` }, 't');
    const [t1, t2] = [await tier('web', 1), await tier('db', 2)];
    web = await implementWithNics(engine, t1.id, 2);
    db = await implementWithNics(engine, t2.id, 1);
    dbTierId = t2.id;
    await ovn.northd?.sync();
  });

  const trace = (src: string, dst: string, port: number) =>
    ovn.engine.connectivity.trace(
      {
        vpcId,
        source: { kind: 'nic', nicId: src },
        destination: { kind: 'nic', nicId: dst },
        flow: tcp(port),
      },
      't',
    );

  it('delivers within a tier and names default_deny between tiers', async () => {
    const same = await trace(web[0]?.id ?? '', web[1]?.id ?? '', 22);
    expect(same.result).toMatchObject({ outcome: 'delivered', tool: { name: 'ovn-trace' } });
    expect(same.result.deliveredTo?.nicId).toBe(web[1]?.id);
    const across = await trace(web[0]?.id ?? '', db[0]?.id ?? '', 5432);
    expect(across.result).toMatchObject({ outcome: 'dropped', reason: 'AclDenied' });
    expect(across.result.hops.at(-1)?.ref).toMatchObject({
      listId: DEFAULT_DENY_ACL_ID,
      ruleId: null,
      action: 'deny',
    });
    expect((await ovn.engine.connectivity.traces(vpcId, { limit: 5 })).total).toBe(2);
  });

  it('shows a list letting web into db before and after, in the matrix around the change', async () => {
    const { engine } = ovn;
    const m = await engine.connectivity.matrix({ vpcId, protocols: [tcp(5432)] }, 't');
    const cell = (x: typeof m) =>
      x.cells.find((c) => c.source !== null && c.source !== c.destination && c.destination === dbTierId);
    expect(cell(m)).toMatchObject({ allowed: false, reason: 'AclDenied' });
    const list = await newList(engine, vpcId, 'db-in', [aclRule(10, { cidrs: ['10.61.1.0/24'] })]);
    const assigned = await engine.networkAcls.assign(dbTierId, list.id, 't');
    if (!assigned.jobId) throw new Error('an implemented tier gets a job');
    // northd compiles the new rows while the job runs; the "after" matrix is traced at the job's end.
    expect((await waitForJob(engine, assigned.jobId)).state).toBe('succeeded');
    const [after, before] = (await engine.connectivity.matrixHistory(vpcId, { limit: 5 })).items;
    expect([after?.kind, before?.kind]).toEqual(['after', 'before']);
    if (!after || !before) throw new Error('two matrices');
    expect(cell(before)?.allowed).toBe(false);
    await ovn.northd?.sync();
    const again = await trace(web[0]?.id ?? '', db[0]?.id ?? '', 5432);
    expect(again.result.outcome).toBe('delivered');
    expect(
      again.result.hops.find((h) => h.ref?.type === 'aclRule' && h.ref.listId === list.id)?.ref,
    ).toMatchObject({
      number: 10,
      action: 'allow',
    });
  });
});
