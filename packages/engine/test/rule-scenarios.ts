// The scenarios the static NAT and LB suites run on every backend (public-services.test.ts on the simulator,
// public-services-ovn.test.ts on OVN), written once: each takes what only its backend can check as a callback.
import { expect } from 'vitest';
import type { Engine } from '../src/index';
import { type edgeTier, lbRule, phasesOf, reconcileDrift } from './edge';
import { waitForJob } from './world';

type Nic = { id: string; ip: string };
type ThreeNics = readonly [Nic, Nic, Nic];
type Check = () => Promise<void>;
type EdgeTier = Awaited<ReturnType<typeof edgeTier>>;
type Algorithm = Parameters<Engine['createLbRule']>[0]['algorithm'];

/**
 * Enables a static NAT on the tier's first NIC to an acquired address (Add, then Active after one apply call) and disables
 * it (Revoke, then gone after one revoke call); `applied` and `revoked` check the backend after each step.
 */
export async function expectStaticNatRoundTrip(
  engine: Engine,
  t: EdgeTier,
  o: { applied?: (nic: Nic, publicIp: string) => Promise<void>; revoked?: Check } = {},
): Promise<void> {
  const nic = t.nics[0];
  if (!nic) throw new Error('the scenario wants a tier with a NIC');
  const vpcId = t.vpc.id;
  const ip = await t.acquire();
  const publicIp = ip.address;
  const { rule, jobId } = await engine.enableStaticNat({ nicId: nic.id, publicIpId: ip.id }, 't');
  expect(rule).toMatchObject({ state: 'Add', publicIp, publicIpId: ip.id });
  expect((await waitForJob(engine, jobId)).state).toBe('succeeded');
  const [active] = await engine.listStaticNat(vpcId);
  expect(active).toMatchObject({ id: rule.id, state: 'Active', lastError: null, privateIp: nic.ip, jobId });
  expect(await phasesOf(engine, jobId)).toEqual(['apply:staticNat:ok']);
  const [call] = await engine.listCalls({ jobId });
  expect(call?.targetId).toBe(rule.id);
  // The element is called with the acquired address's string (the adapter spec is unchanged by publicIpId).
  expect(call?.request).toMatchObject({ rule: { publicIp, privateIp: nic.ip } });
  await o.applied?.(nic, publicIp);

  const off = await engine.disableStaticNat(rule.id, 't');
  expect((await engine.listStaticNat(vpcId))[0]?.state).toBe('Revoke');
  expect((await waitForJob(engine, off.jobId)).state).toBe('succeeded');
  expect(await engine.listStaticNat(vpcId)).toEqual([]);
  expect(await phasesOf(engine, off.jobId)).toEqual(['revoke:staticNat:ok']);
  await o.revoked?.();
}

/**
 * On a tier made by edgeTier(3): creates LB rule web-80 (an acquired address, private port 8080) with members a and b,
 * changes its members to c and deletes it, each step one call; `created`, `changed` and `deleted` check the backend
 * after each step.
 */
export async function expectLbRuleLifecycle(
  engine: Engine,
  t: EdgeTier,
  o: {
    algorithm?: Algorithm;
    created?: (ruleId: string, nics: ThreeNics, publicIp: string) => Promise<void>;
    changed?: (ruleId: string, jobId: string, nics: ThreeNics) => Promise<void>;
    deleted?: (ruleId: string) => Promise<void>;
  } = {},
): Promise<void> {
  const [a, b, c] = t.nics;
  if (!a || !b || !c) throw new Error('the scenario wants a tier with three NICs');
  const nics: ThreeNics = [a, b, c];
  const vpcId = t.vpc.id;
  const ip = await t.acquire();
  const publicIp = ip.address;
  const created = await engine.createLbRule(
    lbRule(t.tier.id, 'web-80', ip.id, [a.id, b.id], {
      privatePort: 8080,
      ...(o.algorithm && { algorithm: o.algorithm }),
    }),
    't',
  );
  expect((await waitForJob(engine, created.jobId)).state).toBe('succeeded');
  const [rule] = await engine.listLbRules(vpcId);
  expect(rule).toMatchObject({ state: 'Active', networkName: 'web', publicPort: 80, privatePort: 8080 });
  expect(rule?.members.map((m) => m.nicId).sort()).toEqual([a.id, b.id].sort());
  expect(await phasesOf(engine, created.jobId)).toEqual(['apply:lbRule:ok']);
  const [applied] = await engine.listCalls({ jobId: created.jobId });
  expect(applied?.request).toMatchObject({ rule: { publicIp, publicPort: 80 } });
  await o.created?.(created.rule.id, nics, publicIp);

  const changed = await engine.setLbMembers(created.rule.id, [c.id], 't');
  expect((await engine.listLbRules(vpcId))[0]?.state).toBe('Add');
  expect((await waitForJob(engine, changed.jobId)).state).toBe('succeeded');
  expect((await engine.listLbRules(vpcId))[0]).toMatchObject({
    state: 'Active',
    members: [{ nicId: c.id }],
  });
  await o.changed?.(created.rule.id, changed.jobId, nics);

  const gone = await engine.deleteLbRule(created.rule.id, 't');
  expect((await waitForJob(engine, gone.jobId)).state).toBe('succeeded');
  expect(await engine.listLbRules(vpcId)).toEqual([]);
  expect(await phasesOf(engine, gone.jobId)).toEqual(['revoke:lbRule:ok']);
  await o.deleted?.(created.rule.id);
}

/** A tier made by edgeTier(2): the two NICs, a and b. */
function twoNics(t: EdgeTier): [Nic, Nic] {
  const [a, b] = t.nics;
  if (!a || !b) throw new Error('the scenario wants a tier with two NICs');
  return [a, b];
}

/**
 * NIC a holds a static NAT and shares LB rule web-443 with b: releasing a revokes the NAT, re-applies the LB rule
 * without it, then releases the port, in that order, in one job; `released` checks the backend after it.
 */
export async function expectReleaseDetaches(
  engine: Engine,
  t: EdgeTier,
  o: { algorithm?: Algorithm; released?: (a: Nic, lbRuleId: string) => Promise<void> } = {},
): Promise<void> {
  const [a, b] = twoNics(t);
  const vpcId = t.vpc.id;
  const nat = await engine.enableStaticNat({ nicId: a.id, publicIpId: (await t.acquire()).id }, 't');
  const lb = await engine.createLbRule(
    lbRule(t.tier.id, 'web-443', (await t.acquire()).id, [a.id, b.id], {
      publicPort: 443,
      privatePort: 8443,
      ...(o.algorithm && { algorithm: o.algorithm }),
    }),
    't',
  );
  for (const jobId of [nat.jobId, lb.jobId]) await waitForJob(engine, jobId);
  const release = await engine.releaseNics([a.id], 't');
  expect((await waitForJob(engine, release.jobId)).state).toBe('succeeded');
  expect(await phasesOf(engine, release.jobId)).toEqual([
    'revoke:staticNat:ok',
    'apply:lbRule:ok',
    'release:nic:ok',
  ]);
  expect(await engine.listStaticNat(vpcId)).toEqual([]);
  expect((await engine.listLbRules(vpcId))[0]).toMatchObject({ state: 'Active', members: [{ nicId: b.id }] });
  expect((await engine.getNic(a.id))?.state).toBe('Allocated');
  await o.released?.(a, lb.rule.id);
}

/**
 * A static NAT on a and LB rule web-80 on a and b (each on an acquired address of its own), applied and found in sync, are
 * deleted on the controller behind our back (`deleteBehindOurBack`): reconcile reports both missing and sets
 * Synced=False on the VPC and the tier, and repair re-applies both and brings Synced back to True; `repaired` checks
 * the backend after it.
 */
export async function expectRuleDriftRepaired(
  engine: Engine,
  t: EdgeTier,
  o: {
    algorithm: Algorithm;
    deleteBehindOurBack: (natId: string, lbId: string) => Promise<void>;
    repaired?: (a: Nic) => Promise<void>;
  },
): Promise<void> {
  const [a, b] = twoNics(t);
  const vpcId = t.vpc.id;
  const tierId = t.tier.id;
  const nat = await engine.enableStaticNat({ nicId: a.id, publicIpId: (await t.acquire()).id }, 't');
  const lb = await engine.createLbRule(
    lbRule(tierId, 'web-80', (await t.acquire()).id, [a.id, b.id], { algorithm: o.algorithm }),
    't',
  );
  await waitForJob(engine, nat.jobId);
  await waitForJob(engine, lb.jobId);
  const clean = await waitForJob(engine, (await engine.reconcile(vpcId, 't')).jobId);
  expect(clean.result).toMatchObject({ inSync: true, drift: [] });
  const natId = nat.rule.id;
  const lbId = lb.rule.id;
  await o.deleteBehindOurBack(natId, lbId);

  const drift = await reconcileDrift(engine, vpcId);
  expect(drift).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'missing', resource: 'nat', id: natId, networkId: tierId }),
      expect.objectContaining({ kind: 'missing', resource: 'lb', id: lbId, networkId: tierId }),
    ]),
  );
  const synced = async () => ({
    vpc: (await engine.getVpc(vpcId))?.conditions.find((c) => c.type === 'Synced'),
    tier: (await engine.getTier(tierId))?.conditions.find((c) => c.type === 'Synced'),
  });
  const before = await synced();
  expect(before.vpc).toMatchObject({ status: 'False', reason: 'DriftDetected' });
  expect(before.tier?.status).toBe('False');
  expect(before.tier?.message).toContain(`nat ${natId} is missing`);

  const repaired = await waitForJob(engine, (await engine.repair(vpcId, 't')).jobId);
  expect(repaired.result).toMatchObject({ inSync: true, remaining: [] });
  expect((await phasesOf(engine, repaired.id)).filter((p) => p.startsWith('apply:')).sort()).toEqual([
    'apply:lbRule:ok',
    'apply:staticNat:ok',
  ]);
  const after = await synced();
  expect(after.vpc?.status).toBe('True');
  expect(after.tier?.status).toBe('True');
  await o.repaired?.(a);
}

/**
 * On a tier made by edgeTier(2), with a static NAT on a and LB rule dns (udp 53) on a and b (each on an acquired
 * address): destroying the tier revokes both rules first (in either order), then releases the NICs, then destroys the
 * tier; `destroyed` checks the phases and the backend after it.
 */
export async function expectDestroyRevokesRules(
  engine: Engine,
  t: EdgeTier,
  o: { algorithm: Algorithm; destroyed?: (phases: readonly string[], lbRuleId: string) => Promise<void> },
): Promise<void> {
  const [a, b] = twoNics(t);
  const vpcId = t.vpc.id;
  await waitForJob(
    engine,
    (await engine.enableStaticNat({ nicId: a.id, publicIpId: (await t.acquire()).id }, 't')).jobId,
  );
  const lb = await engine.createLbRule(
    lbRule(t.tier.id, 'dns', (await t.acquire()).id, [a.id, b.id], {
      publicPort: 53,
      protocol: 'udp',
      algorithm: o.algorithm,
    }),
    't',
  );
  await waitForJob(engine, lb.jobId);
  const destroy = await engine.destroyTier(t.tier.id, 't');
  expect((await waitForJob(engine, destroy.jobId)).state).toBe('succeeded');
  const phases = await phasesOf(engine, destroy.jobId);
  expect(phases.slice(0, 2).sort()).toEqual(['revoke:lbRule:ok', 'revoke:staticNat:ok']);
  expect(phases.findIndex((p) => p.startsWith('release:'))).toBe(2);
  expect(phases.at(-1)).toBe('destroy:network:ok');
  expect(await engine.listStaticNat(vpcId)).toEqual([]);
  expect(await engine.listLbRules(vpcId)).toEqual([]);
  await o.destroyed?.(phases, lb.rule.id);
}
