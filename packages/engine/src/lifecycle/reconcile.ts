// Reconciliation: compare desired state (implemented tiers, reserved NICs) with what each controller reports through
// observe(); drift (missing, extra, different) sets Synced=False with the difference. Repair re-applies and re-checks.
import type { ObservedResource } from '@netplane/adapter-sdk';
import { networksRepo, nicsRepo, vpcsRepo } from '@netplane/db';
import type { ConditionUpdate, EntityType } from '@netplane/domain';
import type { ElementHandle } from '../elements';
import { JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { groupElements, networkSpecOf, nicSpecOf, vpcSpecOf } from './specs';

export type Drift = {
  kind: 'missing' | 'extra' | 'different';
  resource: 'vpc' | 'network' | 'nic';
  id: string;
  controllerId: string;
  /** For `different`: attribute → { want, have }. */
  differences?: Record<string, { want: string; have: string }>;
};

type Desired = {
  resource: 'vpc' | 'network' | 'nic';
  id: string;
  networkId: string | null;
  attributes: Record<string, string>;
};

async function observeAll(core: EngineCore, ctx: JobContext, vpcId: string) {
  const db = core.deps.db.db;
  const vpc = await vpcsRepo.getVpc(db, vpcId);
  if (!vpc) throw new JobFailure('NOT_FOUND', `VPC ${vpcId} does not exist`);
  const networks = await networksRepo.listNetworksOfVpc(db, vpcId);
  const elements = await networksRepo.listElements(
    db,
    networks.map((n) => n.id),
  );
  const nics = await nicsRepo.listNicsOfVpc(db, vpcId);
  const perController = new Map<
    string,
    { handle: ElementHandle; desired: Desired[]; observed: ObservedResource[] }
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
    const observed = await core.calls.call({
      handle,
      phase: 'observe',
      target: { type: 'vpc', id: vpcId },
      vpcId,
      networkId: null,
      request: { op: 'observe', vpcId },
      idempotencyKey: `${ctx.job.id}:observe:${g.controllerId}`,
      job: ctx.callJob(null),
      invoke: (e, c) => e.observe({ vpcId }, c),
      summarize: (o) => ({ resources: o.resources.length }),
    });
    perController.set(g.controllerId, { handle, desired, observed: observed.resources });
  }
  return { vpc, networks, nics, perController };
}

export function diff(
  controllerId: string,
  desired: readonly Desired[],
  observed: readonly ObservedResource[],
): Drift[] {
  const drift: Drift[] = [];
  const seen = new Map(
    observed.filter((o) => ['vpc', 'network', 'nic'].includes(o.kind)).map((o) => [`${o.kind}:${o.id}`, o]),
  );
  const wanted = new Set(desired.map((d) => `${d.resource}:${d.id}`));
  for (const d of desired) {
    const o = seen.get(`${d.resource}:${d.id}`);
    if (!o) {
      drift.push({ kind: 'missing', resource: d.resource, id: d.id, controllerId });
      continue;
    }
    const differences: Record<string, { want: string; have: string }> = {};
    for (const [k, want] of Object.entries(d.attributes)) {
      const have = o.attributes[k];
      if (have !== undefined && have !== want) differences[k] = { want, have };
    }
    if (Object.keys(differences).length > 0)
      drift.push({ kind: 'different', resource: d.resource, id: d.id, controllerId, differences });
  }
  for (const [key, o] of seen) {
    if (!wanted.has(key) && o.kind !== 'vpc')
      drift.push({ kind: 'extra', resource: o.kind as Drift['resource'], id: o.id, controllerId });
  }
  return drift;
}

const describe = (d: Drift) =>
  d.kind === 'different'
    ? `${d.resource} ${d.id} differs: ${Object.entries(d.differences ?? {})
        .map(([k, v]) => `${k} is ${v.have}, want ${v.want}`)
        .join(', ')}`
    : `${d.resource} ${d.id} is ${d.kind} on controller ${d.controllerId}`;

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

async function check(core: EngineCore, ctx: JobContext, vpcId: string) {
  const seen = await observeAll(core, ctx, vpcId);
  const drift: Drift[] = [];
  for (const [controllerId, c] of seen.perController)
    drift.push(...diff(controllerId, c.desired, c.observed));
  await applySynced(core, 'vpc', vpcId, drift);
  for (const n of seen.networks.filter((x) => x.state === 'Implemented')) {
    const nicIds = new Set(seen.nics.filter((x) => x.networkId === n.id).map((x) => x.id));
    await applySynced(
      core,
      'network',
      n.id,
      drift.filter((d) => d.id === n.id || nicIds.has(d.id)),
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
  return { seen, drift };
}

export async function reconcileVpcJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const { drift } = await check(core, ctx, ctx.job.targetId);
  return { drift, inSync: drift.length === 0 };
}

/** Re-applies what is missing or different and removes what is extra, then checks again. */
export async function repairVpcJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const vpcId = ctx.job.targetId;
  const { seen, drift } = await check(core, ctx, vpcId);
  const repaired: Drift[] = [];
  for (const d of drift) {
    const c = seen.perController.get(d.controllerId);
    if (!c) continue;
    const common = {
      handle: c.handle,
      vpcId,
      job: ctx.callJob(null),
      idempotencyKey: `${ctx.job.id}:repair:${d.kind}:${d.resource}:${d.id}`,
    };
    const network = seen.networks.find((n) => n.id === d.id);
    const nic = seen.nics.find((n) => n.id === d.id);
    if (d.resource === 'vpc' && d.kind === 'missing') {
      await core.calls.call({
        ...common,
        phase: 'implement',
        target: { type: 'vpc', id: vpcId },
        networkId: null,
        request: { op: 'implementVpc', repair: true },
        invoke: (e, x) => e.implementVpc(vpcSpecOf(seen.vpc), x),
      });
    } else if (d.resource === 'network' && d.kind !== 'extra' && network) {
      const services = (await networksRepo.listElements(core.deps.db.db, [network.id]))
        .filter((e) => e.controllerId === d.controllerId)
        .map((e) => e.service);
      const spec = networkSpecOf(network, services as never);
      await core.calls.call({
        ...common,
        phase: 'implement',
        target: { type: 'network', id: d.id },
        networkId: d.id,
        request: { op: 'implementNetwork', repair: true, network: spec },
        invoke: (e, x) => e.implementNetwork(spec, x),
      });
    } else if (d.resource === 'network' && d.kind === 'extra') {
      await core.calls.call({
        ...common,
        phase: 'destroy',
        target: { type: 'network', id: d.id },
        networkId: d.id,
        request: { op: 'destroyNetwork', repair: true },
        invoke: (e, x) => e.destroyNetwork({ networkId: d.id, vpcId }, x),
      });
    } else if (d.resource === 'nic' && d.kind === 'extra') {
      const networkId = nic?.networkId ?? '';
      await core.calls.call({
        ...common,
        phase: 'release',
        target: { type: 'nic', id: d.id },
        networkId,
        request: { op: 'releaseNic', repair: true },
        invoke: (e, x) => e.releaseNic({ nicId: d.id, networkId, vpcId }, x),
      });
    } else if (d.resource === 'nic' && nic) {
      const spec = nicSpecOf(nic);
      if (d.kind === 'different') {
        await core.calls.call({
          ...common,
          idempotencyKey: `${common.idempotencyKey}:release`,
          phase: 'release',
          target: { type: 'nic', id: d.id },
          networkId: nic.networkId,
          request: { op: 'releaseNic', repair: true },
          invoke: (e, x) => e.releaseNic({ nicId: d.id, networkId: nic.networkId, vpcId }, x),
        });
      }
      await core.calls.call({
        ...common,
        phase: 'prepare',
        target: { type: 'nic', id: d.id },
        networkId: nic.networkId,
        request: { op: 'prepareNic', repair: true, nic: spec },
        invoke: (e, x) => e.prepareNic(spec, x),
      });
    } else continue;
    repaired.push(d);
  }
  const after = await check(core, ctx, vpcId);
  return { repaired, remaining: after.drift, inSync: after.drift.length === 0 };
}
