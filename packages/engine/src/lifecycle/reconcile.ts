// Reconciliation: compare desired state (implemented tiers, reserved NICs, Active static NAT and LB rules, the ACL
// list each tier should hold) with what each controller reports through observe(); drift (missing, extra, different,
// and every issue the adapter reports on a resource; drift.ts, acl-drift.ts) sets Synced=False with the difference.
// Repair (repair.ts) re-applies and re-checks. Drift found while another job of the VPC was writing is not trusted
// (reconcile-overlap.ts).
import type { ObservedResource } from '@netplane/adapter-sdk';
import type { ConditionUpdate, EntityType } from '@netplane/domain';
import { type ElementHandle, unreadableCredentialsOf } from '../elements';
import { JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import { aclDrift, heldListNames, type WantedAcl, wantedAcls } from './acl-drift';
import type { EngineCore } from './core';
import { type Desired, type Drift, describe, diff, lbAttributes, natAttributes, pfAttributes } from './drift';
import { type Overlap, overlappingJobs, RECONCILE_ROUNDS, stillActive } from './reconcile-overlap';
import { groupElements } from './specs';
import { onWholeVpc } from './step-call';
import { vpcContents } from './vpc-contents';

async function observeAll(core: EngineCore, ctx: JobContext, vpcId: string, round: number) {
  const db = core.deps.db.db;
  const contents = await vpcContents(db, vpcId);
  if (!contents) throw new JobFailure('NOT_FOUND', `VPC ${vpcId} does not exist`);
  const { networks, elements, nics, nats, lbs, pfs } = contents;
  // Rules in Add, Revoke or Error are in flight or failed: not compared, and never reported as extra.
  const ruleIds = new Set([...nats, ...lbs, ...pfs].map((r) => r.id));
  const perController = new Map<
    string,
    { handle: ElementHandle; desired: Desired[]; observed: ObservedResource[]; acls: WantedAcl[] }
  >();
  for (const g of groupElements(elements)) {
    const handle = await core.elements.get(g.controllerId);
    const mine = new Set(elements.filter((e) => e.controllerId === g.controllerId).map((e) => e.networkId));
    const live = networks.filter((n) => mine.has(n.id) && n.state === 'Implemented');
    const desired: Desired[] = [];
    if (live.length > 0) desired.push({ resource: 'vpc', id: vpcId, networkId: null, attributes: {} });
    for (const n of live)
      desired.push({ resource: 'network', id: n.id, networkId: n.id, attributes: { cidr: n.cidr } });
    for (const nic of nics.filter((x) => x.state === 'Reserved' && live.some((n) => n.id === x.networkId))) {
      desired.push({
        resource: 'nic',
        id: nic.id,
        networkId: nic.networkId,
        attributes: { mac: nic.mac, ip: nic.ip },
      });
    }
    const servedBy = (service: string) =>
      new Set(
        elements
          .filter((e) => e.controllerId === g.controllerId && e.service === service && mine.has(e.networkId))
          .map((e) => e.networkId),
      );
    const natTiers = servedBy('StaticNat');
    const lbTiers = servedBy('Lb');
    const pfTiers = servedBy('PortForwarding');
    const liveIds = new Set(live.map((n) => n.id));
    for (const r of nats.filter(
      (x) => x.state === 'Active' && natTiers.has(x.networkId) && liveIds.has(x.networkId),
    ))
      desired.push({ resource: 'nat', id: r.id, networkId: r.networkId, attributes: natAttributes(r) });
    for (const r of lbs.filter(
      (x) => x.state === 'Active' && lbTiers.has(x.networkId) && liveIds.has(x.networkId),
    ))
      desired.push({ resource: 'lb', id: r.id, networkId: r.networkId, attributes: lbAttributes(r) });
    for (const r of pfs.filter(
      (x) => x.state === 'Active' && pfTiers.has(x.networkId) && liveIds.has(x.networkId),
    ))
      desired.push({ resource: 'pf', id: r.id, networkId: r.networkId, attributes: pfAttributes(r) });
    const observed = await core.calls.call({
      handle,
      phase: 'observe',
      ...onWholeVpc(vpcId),
      request: { op: 'observe', vpcId },
      idempotencyKey: `${ctx.job.id}:observe:${g.controllerId}${round > 1 ? `:${round}` : ''}`,
      job: ctx.callJob(null),
      invoke: (e, c) => e.observe({ vpcId }, c),
      summarize: (o) => ({ resources: o.resources.length }),
    });
    const aclTiers = servedBy('NetworkACL');
    const acls = await wantedAcls(
      core,
      handle,
      live.filter((n) => aclTiers.has(n.id)),
    );
    perController.set(g.controllerId, { handle, desired, observed: observed.resources, acls });
  }
  return { ...contents, ruleIds, perController };
}

async function applySynced(core: EngineCore, entity: EntityType, id: string, drift: readonly Drift[]) {
  const update: ConditionUpdate =
    drift.length === 0
      ? {
          type: 'Synced',
          status: 'True',
          reason: 'InSync',
          message: 'The controller matches the desired state',
        }
      : {
          type: 'Synced',
          status: 'False',
          reason: 'DriftDetected',
          message: drift.slice(0, 10).map(describe).join('; '),
        };
  await core.state.setConditions(entity, id, [update]);
}

/** Observes the VPC once; a controller that cannot be used because its credentials are unreadable says so. */
async function observeOnce(core: EngineCore, ctx: JobContext, vpcId: string, round: number) {
  try {
    return await observeAll(core, ctx, vpcId, round);
  } catch (e) {
    const secret = unreadableCredentialsOf(e);
    // Nothing can be compared: say why on the VPC rather than leave its last Synced standing.
    if (secret)
      await core.state.setConditions('vpc', vpcId, [
        {
          type: 'Synced',
          status: 'Unknown',
          reason: 'CredentialsUnreadable',
          message: `Controller ${secret.controllerName}'s stored credentials cannot be decrypted: ${secret.reason}`,
        },
      ]);
    throw e;
  }
}

type Seen = Awaited<ReturnType<typeof observeAll>>;
/** `deferred`: the jobs that overlapped (nothing written); `rounds`: observed more than once, after such jobs. */
export type CheckResult = { seen: Seen; drift: Drift[]; deferred?: Overlap[]; rounds?: number };

async function driftOf(core: EngineCore, seen: Seen): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const [controllerId, c] of seen.perController) {
    drift.push(...diff(controllerId, c.desired, c.observed, seen.ruleIds));
    drift.push(...aclDrift(controllerId, c.acls, c.observed, await heldListNames(core, c.observed)));
  }
  return drift;
}

async function writeSynced(core: EngineCore, vpcId: string, seen: Seen, drift: readonly Drift[]) {
  await applySynced(core, 'vpc', vpcId, drift);
  for (const n of seen.networks.filter((x) => x.state === 'Implemented')) {
    const nicIds = new Set(seen.nics.filter((x) => x.networkId === n.id).map((x) => x.id));
    await applySynced(
      core,
      'network',
      n.id,
      drift.filter((d) => d.id === n.id || nicIds.has(d.id) || d.networkId === n.id),
    );
  }
  for (const nic of seen.nics.filter((x) => x.state === 'Reserved')) {
    await applySynced(
      core,
      'nic',
      nic.id,
      drift.filter((d) => d.id === nic.id),
    );
  }
}

/**
 * Compares and writes Synced. Drift seen while another job of the VPC was writing is not trusted
 * (reconcile-overlap.ts): the VPC is observed again once those jobs ended, or, while they still run, nothing is
 * written (`deferred` names them) and the drift watch checks the VPC again after them.
 */
export async function check(core: EngineCore, ctx: JobContext, vpcId: string): Promise<CheckResult> {
  for (let round = 1; ; round++) {
    const since = core.deps.now();
    const seen = await observeOnce(core, ctx, vpcId, round);
    const drift = await driftOf(core, seen);
    const overlap = drift.length > 0 ? await overlappingJobs(core, vpcId, ctx.job.id, since) : [];
    if (overlap.length > 0) {
      if (!stillActive(overlap) && round < RECONCILE_ROUNDS) continue;
      core.events.recheck(vpcId);
      return { seen, drift, deferred: overlap };
    }
    await writeSynced(core, vpcId, seen, drift);
    return round > 1 ? { seen, drift, rounds: round } : { seen, drift };
  }
}

export async function reconcileVpcJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const { drift, deferred, rounds } = await check(core, ctx, ctx.job.targetId);
  // Deferred: the drift may be another job's writes in flight; Synced was left as it was.
  if (deferred) return { drift, inSync: false, deferred };
  return { drift, inSync: drift.length === 0, ...(rounds && { rounds }) };
}
