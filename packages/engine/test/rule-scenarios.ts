// The scenarios the static NAT and LB suites run on every backend (public-services.test.ts on the simulator,
// public-services-ovn.test.ts on OVN), written once: each takes what only its backend can check as a callback.
import { expect } from 'vitest';
import type { Engine } from '../src/index';
import { lbRule, phasesOf } from './edge';
import { waitForJob } from './world';

type Nic = { id: string; ip: string };
type Check = () => Promise<void>;
type Algorithm = Parameters<Engine['createLbRule']>[0]['algorithm'];

/**
 * Enables a static NAT on `nic` (Add, then Active after one apply call) and disables it (Revoke, then gone after one
 * revoke call); `applied` and `revoked` check the backend after each step.
 */
export async function expectStaticNatRoundTrip(
  engine: Engine,
  o: { vpcId: string; nic: Nic; publicIp: string; applied?: Check; revoked?: Check },
): Promise<void> {
  const { rule, jobId } = await engine.enableStaticNat({ nicId: o.nic.id, publicIp: o.publicIp }, 't');
  expect(rule.state).toBe('Add');
  expect((await waitForJob(engine, jobId)).state).toBe('succeeded');
  const [active] = await engine.listStaticNat(o.vpcId);
  expect(active).toMatchObject({ id: rule.id, state: 'Active', lastError: null, privateIp: o.nic.ip, jobId });
  expect(await phasesOf(engine, jobId)).toEqual(['apply:staticNat:ok']);
  const [call] = await engine.listCalls({ jobId });
  expect(call?.targetId).toBe(rule.id);
  await o.applied?.();

  const off = await engine.disableStaticNat(rule.id, 't');
  expect((await engine.listStaticNat(o.vpcId))[0]?.state).toBe('Revoke');
  expect((await waitForJob(engine, off.jobId)).state).toBe('succeeded');
  expect(await engine.listStaticNat(o.vpcId)).toEqual([]);
  expect(await phasesOf(engine, off.jobId)).toEqual(['revoke:staticNat:ok']);
  await o.revoked?.();
}

/**
 * Creates LB rule web-80 (public IP `publicIp`, private port 8080) with members a and b, changes its members to c and
 * deletes it, each step one call; `created`, `changed` and `deleted` check the backend after each step.
 */
export async function expectLbRuleLifecycle(
  engine: Engine,
  o: {
    vpcId: string;
    tierId: string;
    nics: readonly [Nic, Nic, Nic];
    publicIp: string;
    algorithm?: Algorithm;
    created?: (ruleId: string) => Promise<void>;
    changed?: (ruleId: string, jobId: string) => Promise<void>;
    deleted?: (ruleId: string) => Promise<void>;
  },
): Promise<void> {
  const [a, b, c] = o.nics;
  const created = await engine.createLbRule(
    lbRule(o.tierId, 'web-80', o.publicIp, [a.id, b.id], {
      privatePort: 8080,
      ...(o.algorithm && { algorithm: o.algorithm }),
    }),
    't',
  );
  expect((await waitForJob(engine, created.jobId)).state).toBe('succeeded');
  const [rule] = await engine.listLbRules(o.vpcId);
  expect(rule).toMatchObject({ state: 'Active', networkName: 'web', publicPort: 80, privatePort: 8080 });
  expect(rule?.members.map((m) => m.nicId).sort()).toEqual([a.id, b.id].sort());
  expect(await phasesOf(engine, created.jobId)).toEqual(['apply:lbRule:ok']);
  await o.created?.(created.rule.id);

  const changed = await engine.setLbMembers(created.rule.id, [c.id], 't');
  expect((await engine.listLbRules(o.vpcId))[0]?.state).toBe('Add');
  expect((await waitForJob(engine, changed.jobId)).state).toBe('succeeded');
  expect((await engine.listLbRules(o.vpcId))[0]).toMatchObject({
    state: 'Active',
    members: [{ nicId: c.id }],
  });
  await o.changed?.(created.rule.id, changed.jobId);

  const gone = await engine.deleteLbRule(created.rule.id, 't');
  expect((await waitForJob(engine, gone.jobId)).state).toBe('succeeded');
  expect(await engine.listLbRules(o.vpcId)).toEqual([]);
  expect(await phasesOf(engine, gone.jobId)).toEqual(['revoke:lbRule:ok']);
  await o.deleted?.(created.rule.id);
}

/**
 * A static NAT on `a` (public IP `natIp`) and LB rule web-80 on a and b (`lbIp`), both applied, and a reconcile
 * that finds the VPC in sync: the starting point of the drift tests.
 */
export async function rulesInSync(
  engine: Engine,
  o: { vpcId: string; tierId: string; a: Nic; b: Nic; natIp: string; lbIp: string; algorithm: Algorithm },
) {
  const nat = await engine.enableStaticNat({ nicId: o.a.id, publicIp: o.natIp }, 't');
  const lb = await engine.createLbRule(
    lbRule(o.tierId, 'web-80', o.lbIp, [o.a.id, o.b.id], { algorithm: o.algorithm }),
    't',
  );
  await waitForJob(engine, nat.jobId);
  await waitForJob(engine, lb.jobId);
  const clean = await waitForJob(engine, (await engine.reconcile(o.vpcId, 't')).jobId);
  expect(clean.result).toMatchObject({ inSync: true, drift: [] });
  return { nat, lb };
}
