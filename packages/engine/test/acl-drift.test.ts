// ACL list drift against the simulator on both dialects: a controller that lost a tier's list, or holds it with other
// rules, makes reconcile report the tier Synced=False naming the list, and repair applies the list again (one apply
// call on the tier) so the check after it is in sync. A tier on default_deny that never had a list applied holds
// its fixed rows, which is no drift; a list in Error is left to its own diagnosis.
import { networkAclsRepo } from '@netplane/db';
import { DEFAULT_ALLOW_ACL_ID } from '@netplane/domain';
import { expect, it } from 'vitest';
import type { Engine } from '../src/index';
import { aclRule, newList, tierSynced as synced } from './acl-support';
import { describeWorld } from './describe-world';
import { phasesOf } from './edge';
import { waitForJob } from './world';

const rule = (number: number, port: number) => aclRule(number, { portStart: port, portEnd: port });

async function reconciled(engine: Engine, vpcId: string, kind: 'reconcile' | 'repair' = 'reconcile') {
  const { jobId } = await (kind === 'reconcile' ? engine.reconcile(vpcId, 't') : engine.repair(vpcId, 't'));
  const job = await waitForJob(engine, jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  return jobId;
}

describeWorld('ACL list drift', {}, (world) => {
  let net = 80;
  const store = () => world.w.hub.controller(world.w.controllerIds[0] as string).store;

  /** Tiers web (list web-in: tcp/80 and tcp/443) and db (default_deny), implemented with NetworkACL. */
  async function vpcWithList() {
    const { engine, w } = world;
    const n = ++net;
    const offeringId = await w.addOffering({
      kind: 'network',
      services: { Connectivity: 'simulator', Dhcp: 'simulator', NetworkACL: 'simulator' },
    });
    const vpc = await engine.createVpc(
      { name: `drift-${n}`, zoneId: w.zoneId, offeringId: w.vpcOfferingId, cidr: `10.${n}.0.0/16` },
      't',
    );
    const tier = (name: string, octet: number) =>
      engine.createTier({ vpcId: vpc.id, name, offeringId, cidr: `10.${n}.${octet}.0/24` }, 't');
    const [web, db] = [await tier('web', 1), await tier('db', 2)];
    const list = await newList(engine, vpc.id, 'web-in', [rule(10, 80), rule(20, 443)]);
    await engine.networkAcls.assign(web.id, list.id, 't');
    for (const t of [web, db])
      expect((await waitForJob(engine, (await engine.implementTier(t.id, 't')).jobId)).state).toBe(
        'succeeded',
      );
    await reconciled(engine, vpc.id);
    for (const t of [web, db]) expect((await synced(engine, vpc.id, t.id))?.status).toBe('True');
    return { vpc, web, db, list };
  }

  it('reports a list the controller lost on its tier, and repair applies it again', async () => {
    const { engine, w } = world;
    const { vpc, web, db, list } = await vpcWithList();
    w.hub.tamper(w.controllerIds[0] as string, { kind: 'acl', id: web.id, action: 'delete' });
    await reconciled(engine, vpc.id);
    expect(await synced(engine, vpc.id, web.id)).toMatchObject({
      status: 'False',
      reason: 'DriftDetected',
      message: `acl ${web.id}/list: tier web should hold ACL list web-in; the controller holds no list (only the tier's fixed default-deny rows)`,
    });
    expect((await synced(engine, vpc.id, db.id))?.status).toBe('True');

    const repair = await reconciled(engine, vpc.id, 'repair');
    expect(await phasesOf(engine, repair)).toEqual(expect.arrayContaining(['apply:network:ok']));
    expect(store().acls.get(web.id)).toMatchObject({
      listId: list.id,
      rules: [{ number: 10 }, { number: 20 }],
    });
    expect((await synced(engine, vpc.id, web.id))?.status).toBe('True');
  });

  it('reports a list held with other rules by their count, and repair puts the rules back', async () => {
    const { engine } = world;
    const { vpc, web } = await vpcWithList();
    const held = store().acls.get(web.id);
    if (!held) throw new Error('web holds its list');
    // As a controller restored from an older backup would: the same list with its first rule only.
    store().acls.set(web.id, { ...held, rules: held.rules.slice(0, 1) });
    await reconciled(engine, vpc.id);
    expect((await synced(engine, vpc.id, web.id))?.message).toBe(
      `acl ${web.id}/list: ACL list web-in on tier web has other rules on the controller (1 held, 2 wanted)`,
    );
    await reconciled(engine, vpc.id, 'repair');
    expect(store().acls.get(web.id)?.rules).toHaveLength(2);
    expect((await synced(engine, vpc.id, web.id))?.status).toBe('True');
  });

  it('names the other list a tier holds, and leaves a list in Error to its diagnosis', async () => {
    const { engine, w } = world;
    const { vpc, web, list } = await vpcWithList();
    const held = store().acls.get(web.id);
    if (!held) throw new Error('web holds its list');
    store().acls.set(web.id, { ...held, listId: DEFAULT_ALLOW_ACL_ID, listName: 'default_allow' });
    await reconciled(engine, vpc.id);
    expect((await synced(engine, vpc.id, web.id))?.message).toBe(
      `acl ${web.id}/list: tier web should hold ACL list web-in; the controller holds ACL list default_allow`,
    );
    // A list whose apply failed is in Error with its own diagnosis and retry: reconcile does not report it again.
    await networkAclsRepo.setAclListState(w.db.db, list.id, { state: 'Error', lastError: 'x' }, Date.now());
    await reconciled(engine, vpc.id);
    expect((await synced(engine, vpc.id, web.id))?.status).toBe('True');
  });
});
