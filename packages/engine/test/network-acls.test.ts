// Network ACL lists against the simulator on both dialects: a new tier uses default_deny; assigning a list and every
// edit of it (create, update, reorder, delete a rule) is a networkAcl.apply job that re-applies the list to every
// Implemented tier using it through the call log (phase apply, target the tier); a vendor error puts the list in
// Error with a diagnosis and a retry makes it Active; an edit whose job cannot be written leaves the list as it was;
// typed refusals for built-in lists, duplicate numbers, lists in use and tiers without ACL support.
import { diagnosesRepo, networkAclsRepo } from '@netplane/db';
import { failInsertsInto } from '@netplane/db/testing';
import {
  type AclRuleInput,
  type AppError,
  DEFAULT_ALLOW_ACL_ID,
  DEFAULT_DENY_ACL_ID,
  type Service,
} from '@netplane/domain';
import { beforeAll, expect, it } from 'vitest';
import type { Engine } from '../src/index';
import { newList as newListOf, aclRule as rule } from './acl-support';
import { describeWorldWithOfferings } from './describe-world';
import { phasesOf } from './edge';
import { vendorError } from './faults';
import { type World, waitForJob } from './world';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: AppError) => ({ code: e.code, reason: e.details?.reason }),
  );

const OFFERINGS: Record<'acl' | 'plain', Service[]> = {
  acl: ['Connectivity', 'Dhcp', 'NetworkACL'],
  plain: ['Connectivity', 'Dhcp'],
};

describeWorldWithOfferings('network ACL lists', OFFERINGS, (world) => {
  // Read through these names by every test below; set once the world has started.
  let w: World;
  let engine: Engine;
  beforeAll(() => {
    ({ w, engine } = world);
  });
  let net = 60;

  const newList = (vpcId: string, name: string, rules: AclRuleInput[]) =>
    newListOf(engine, vpcId, name, rules);

  const simAcl = (tierId: string) => w.hub.controller(w.controllerIds[0] as string).store.acls.get(tierId);

  /** A VPC with tiers web and db on the NetworkACL offering, created (not implemented). */
  async function vpcWithNewTiers() {
    const n = ++net;
    const vpc = await engine.createVpc(
      { name: `acl-${n}`, zoneId: w.zoneId, offeringId: w.vpcOfferingId, cidr: `10.${n}.0.0/16` },
      't',
    );
    const tier = (name: string, octet: number) =>
      engine.createTier(
        { vpcId: vpc.id, name, offeringId: world.offerings.acl, cidr: `10.${n}.${octet}.0/24` },
        't',
      );
    return { vpc, web: await tier('web', 1), db: await tier('db', 2) };
  }

  /** A VPC with tiers web and db, both implemented with NetworkACL on the simulator. */
  async function vpcWithTiers() {
    const made = await vpcWithNewTiers();
    for (const t of [made.web, made.db]) {
      const job = await waitForJob(engine, (await engine.implementTier(t.id, 't')).jobId);
      expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    }
    return made;
  }

  it('lets a new tier use default_deny and lists the built-ins with every VPC', async () => {
    const { vpc, web, db } = await vpcWithTiers();
    const page = await engine.networkAcls.page(vpc.id, { limit: 50 });
    expect(page.items.map((l) => [l.name, l.builtin])).toEqual([
      ['default_allow', true],
      ['default_deny', true],
    ]);
    expect(page.items[1]?.tiers.map((t) => t.id).sort()).toEqual([web.id, db.id].sort());
    const deny = await engine.networkAcls.get(DEFAULT_DENY_ACL_ID, vpc.id);
    expect(deny?.rules).toMatchObject([
      { number: 1, action: 'deny', trafficType: 'Ingress', cidrs: ['0.0.0.0/0'] },
    ]);
  });

  it('assigns a list to a tier (one apply call on it) and re-applies every edit to each tier using it', async () => {
    const { vpc, web, db } = await vpcWithTiers();
    const list = await engine.networkAcls.createList({
      vpcId: vpc.id,
      name: 'to-db',
      description: 'web to db',
      rules: [rule(10)],
    });
    expect(list).toMatchObject({ state: 'Active', builtin: false, tiers: [] });
    const assigned = await engine.networkAcls.assign(db.id, list.id, 't');
    if (!assigned.jobId) throw new Error('no job for an implemented tier');
    expect((await waitForJob(engine, assigned.jobId)).state).toBe('succeeded');
    expect(await phasesOf(engine, assigned.jobId)).toEqual(['apply:network:ok']);
    expect(simAcl(db.id)).toMatchObject({
      version: 1,
      listId: list.id,
      cidr: db.cidr,
      rules: [{ number: 10 }],
    });
    // web still has nothing but what implement made: its default_deny was never re-sent.
    expect(simAcl(web.id)).toBeUndefined();

    const both = await engine.networkAcls.assign(web.id, list.id, 't');
    await waitForJob(engine, both.jobId ?? '');
    const added = await engine.networkAcls.createRule(
      list.id,
      rule(20, { action: 'deny', portStart: 22, portEnd: 22 }),
      't',
    );
    expect((await waitForJob(engine, added.jobId)).state).toBe('succeeded');
    expect((await phasesOf(engine, added.jobId)).sort()).toEqual(['apply:network:ok', 'apply:network:ok']);
    for (const t of [web, db]) expect(simAcl(t.id)?.rules.map((r) => r.number)).toEqual([10, 20]);

    // Reorder: swap 10 and 20 (the deny of ssh now comes first).
    const [r10, r20] = (await engine.networkAcls.get(list.id))?.rules ?? [];
    if (!r10 || !r20) throw new Error('rules');
    const moved = await engine.networkAcls.reorderRules(
      list.id,
      [
        { ruleId: r10.id, number: 20 },
        { ruleId: r20.id, number: 10 },
      ],
      't',
    );
    await waitForJob(engine, moved.jobId);
    expect(simAcl(db.id)?.rules.map((r) => [r.number, r.action])).toEqual([
      [10, 'deny'],
      [20, 'allow'],
    ]);
    const updated = await engine.networkAcls.updateRule(
      r10.id,
      rule(20, { portStart: 5432, portEnd: 5433 }),
      't',
    );
    await waitForJob(engine, updated.jobId);
    expect(simAcl(web.id)?.rules[1]).toMatchObject({ number: 20, portEnd: 5433 });
    const removed = await engine.networkAcls.deleteRule(r20.id, 't');
    await waitForJob(engine, removed.jobId);
    expect(simAcl(web.id)?.rules.map((r) => r.number)).toEqual([20]);
    const view = await engine.networkAcls.get(list.id);
    expect(view).toMatchObject({ state: 'Active', lastError: null, jobId: removed.jobId });
    expect(view?.tiers.map((t) => t.name)).toEqual(['db', 'web']);

    // Switching back to a built-in applies it.
    const back = await engine.networkAcls.assign(web.id, DEFAULT_ALLOW_ACL_ID, 't');
    await waitForJob(engine, back.jobId ?? '');
    expect(simAcl(web.id)).toMatchObject({
      listName: 'default_allow',
      rules: [{ number: 1 }, { number: 2 }],
    });
  });

  it('puts the list in Error with a diagnosis when an apply fails, and a retry makes it Active', async () => {
    const { vpc, db } = await vpcWithTiers();
    const list = await newList(vpc.id, 'x', []);
    await waitForJob(engine, (await engine.networkAcls.assign(db.id, list.id, 't')).jobId ?? '');
    const controllerId = w.controllerIds[0] as string;
    await w.hub.injectFault(controllerId, vendorError('ACL-FULL', 'ACL table is full', 'apply', 'acl'));
    const { jobId } = await engine.networkAcls.createRule(list.id, rule(5), 't');
    const failed = await waitForJob(engine, jobId);
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'CALL_FAILED' } });
    expect(await phasesOf(engine, jobId)).toEqual(['apply:network:failed']);
    const inError = await engine.networkAcls.get(list.id);
    expect(inError?.state).toBe('Error');
    expect(inError?.lastError).toMatch(/^VENDOR_ERROR: tier db: /);
    const diagnoses = await diagnosesRepo.listOpenForTarget(w.db.db, 'aclList', list.id);
    expect(diagnoses.length).toBeGreaterThan(0);
    // The rule was written (with its job): the retry applies it.
    expect((await networkAclsRepo.listAclRules(w.db.db, list.id)).map((r) => r.number)).toEqual([5]);
    const retry = await engine.networkAcls.retry(list.id, 't');
    expect((await waitForJob(engine, retry.jobId)).state).toBe('succeeded');
    expect((await engine.networkAcls.get(list.id))?.state).toBe('Active');
    expect(simAcl(db.id)?.rules.map((r) => r.number)).toEqual([5]);
  });

  it('writes no edit and no assignment when the apply job cannot be written', async () => {
    const { vpc, db } = await vpcWithTiers();
    const list = await newList(vpc.id, 'y', [rule(1)]);
    const restore = await failInsertsInto(w.db, 'jobs');
    try {
      await expect(engine.networkAcls.createRule(list.id, rule(2), 't')).rejects.toThrow(/injected/);
      await expect(engine.networkAcls.assign(db.id, list.id, 't')).rejects.toThrow(/injected/);
    } finally {
      await restore();
    }
    expect((await engine.networkAcls.get(list.id))?.rules.map((r) => r.number)).toEqual([1]);
    expect((await engine.networkAcls.get(list.id))?.state).toBe('Active');
    expect(await networkAclsRepo.aclListIdOfTier(w.db.db, db.id)).toBe(DEFAULT_DENY_ACL_ID);
  });

  it("applies a tier's list when the tier is implemented, unless it is default_deny", async () => {
    const { web, db } = await vpcWithNewTiers();
    expect(await engine.networkAcls.assign(web.id, DEFAULT_ALLOW_ACL_ID, 't')).toEqual({ jobId: null });
    const implemented = await waitForJob(engine, (await engine.implementTier(web.id, 't')).jobId);
    expect(implemented.state).toBe('succeeded');
    expect((await phasesOf(engine, implemented.id)).at(-1)).toBe('apply:network:ok');
    expect(simAcl(web.id)).toMatchObject({
      listId: DEFAULT_ALLOW_ACL_ID,
      rules: [{ number: 1 }, { number: 2 }],
    });
    const plain = await waitForJob(engine, (await engine.implementTier(db.id, 't')).jobId);
    expect(await phasesOf(engine, plain.id)).not.toContain('apply:network:ok');
    expect(simAcl(db.id)).toBeUndefined();
  });

  it('refuses with typed errors: built-ins, duplicate numbers, lists in use, another VPC, no ACL service', async () => {
    const { vpc, web } = await vpcWithTiers();
    const other = await vpcWithTiers();
    const list = await newList(vpc.id, 'z', [rule(1)]);
    expect(await refusal(engine.networkAcls.createRule(DEFAULT_DENY_ACL_ID, rule(2), 't'))).toEqual({
      code: 'PRECONDITION_FAILED',
      reason: 'BUILTIN_LIST',
    });
    expect(await refusal(engine.networkAcls.createRule(list.id, rule(1), 't'))).toEqual({
      code: 'CONFLICT',
      reason: 'NUMBER_TAKEN',
    });
    expect(await refusal(newList(vpc.id, 'z', []))).toEqual({ code: 'CONFLICT', reason: 'NAME_TAKEN' });
    expect(await refusal(newList(vpc.id, 'dup', [rule(3), rule(3)]))).toEqual({
      code: 'CONFLICT',
      reason: 'NUMBER_TAKEN',
    });
    expect(await refusal(engine.networkAcls.assign(other.web.id, list.id, 't'))).toEqual({
      code: 'BAD_INPUT',
      reason: 'OTHER_VPC',
    });
    await waitForJob(engine, (await engine.networkAcls.assign(web.id, list.id, 't')).jobId ?? '');
    expect(await refusal(engine.networkAcls.deleteList(list.id))).toEqual({
      code: 'IN_USE',
      reason: 'LIST_IN_USE',
    });
    await waitForJob(engine, (await engine.networkAcls.assign(web.id, DEFAULT_DENY_ACL_ID, 't')).jobId ?? '');
    await engine.networkAcls.deleteList(list.id);
    expect(await engine.networkAcls.get(list.id)).toBeUndefined();

    const plain = await engine.createTier(
      {
        vpcId: vpc.id,
        name: 'plain',
        offeringId: world.offerings.plain,
        cidr: vpc.cidr.replace('.0.0/16', '.9.0/24'),
      },
      't',
    );
    // Not implemented yet: only recorded.
    expect(await engine.networkAcls.assign(plain.id, DEFAULT_ALLOW_ACL_ID, 't')).toEqual({ jobId: null });
    expect((await waitForJob(engine, (await engine.implementTier(plain.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    expect(await refusal(engine.networkAcls.assign(plain.id, DEFAULT_DENY_ACL_ID, 't'))).toEqual({
      code: 'BAD_INPUT',
      reason: 'SERVICE_NOT_OFFERED',
    });
  });
});
