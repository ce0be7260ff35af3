// Reconciliation: compare desired state (implemented tiers, reserved NICs, Active static NAT and LB rules) with what
// each controller reports through observe(); drift (missing, extra, different, and every issue the adapter reports on
// a resource) sets Synced=False with the difference. Repair re-applies and re-checks.
import type { ObservedResource } from '@netplane/adapter-sdk';
import { lbRulesRepo, networksRepo, nicsRepo, staticNatRepo, vpcsRepo } from '@netplane/db';
import type { ConditionUpdate, EntityType } from '@netplane/domain';
import type { ElementHandle } from '../elements';
import { JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { lbSpecOf, staticNatSpecOf } from './rules';
import { groupElements, networkSpecOf, nicSpecOf, vpcSpecOf } from './specs';

export type Drift = {
  kind: 'missing' | 'extra' | 'different';
  /** vpc, network, nic; nat (a static NAT, id = rule id) and lb (id = rule id); acl/dhcp/nat rows of a tier. */
  resource: ObservedResource['kind'];
  id: string;
  controllerId: string;
  /** The tier the resource belongs to, when known: its Synced condition carries the drift too. */
  networkId?: string | null;
  /** For `different`: attribute → { want, have }. */
  differences?: Record<string, { want: string; have: string }>;
  /** An issue the adapter reported on the resource itself (ACL deleted, port out of its group...). */
  message?: string;
};

export type Desired = {
  resource: ObservedResource['kind'];
  id: string;
  networkId: string | null;
  attributes: Record<string, string>;
};

/** A static NAT as observe() reports it (kind nat, type dnat_and_snat); the tier's SNAT rows are kind nat too. */
const isStaticNat = (o: ObservedResource) => o.kind === 'nat' && o.attributes.type === 'dnat_and_snat';
const COMPARED = (o: ObservedResource) =>
  o.kind === 'vpc' || o.kind === 'network' || o.kind === 'nic' || o.kind === 'lb' || isStaticNat(o);

export const natAttributes = (r: staticNatRepo.StaticNatRow) => ({
  type: 'dnat_and_snat',
  externalIp: r.publicIp,
  logicalIp: r.privateIp,
});

export const lbAttributes = (r: lbRulesRepo.LbRuleWithMembers) => ({
  vip: `${r.publicIp}:${r.publicPort}`,
  protocol: r.protocol,
  members: r.members
    .map((m) => `${m.ip}:${r.privatePort}`)
    .sort()
    .join(','),
});

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
  const nats = await staticNatRepo.listStaticNatOfVpc(db, vpcId);
  const lbs = await lbRulesRepo.listLbRulesOfVpc(db, vpcId);
  // Rules in Add, Revoke or Error are in flight or failed: not compared, and never reported as extra.
  const ruleIds = new Set([...nats.map((r) => r.id), ...lbs.map((r) => r.id)]);
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
    const servedBy = (service: string) =>
      new Set(
        elements
          .filter((e) => e.controllerId === g.controllerId && e.service === service && mine.has(e.networkId))
          .map((e) => e.networkId),
      );
    const natTiers = servedBy('StaticNat');
    const lbTiers = servedBy('Lb');
    const liveIds = new Set(live.map((n) => n.id));
    for (const r of nats.filter(
      (x) => x.state === 'Active' && natTiers.has(x.networkId) && liveIds.has(x.networkId),
    ))
      desired.push({ resource: 'nat', id: r.id, networkId: r.networkId, attributes: natAttributes(r) });
    for (const r of lbs.filter(
      (x) => x.state === 'Active' && lbTiers.has(x.networkId) && liveIds.has(x.networkId),
    ))
      desired.push({ resource: 'lb', id: r.id, networkId: r.networkId, attributes: lbAttributes(r) });
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
  return { vpc, networks, nics, nats, lbs, ruleIds, perController };
}

/** The tier an observed resource belongs to: its own id for a tier, the prefix of a tier row's id, else unknown. */
function tierOfObserved(o: ObservedResource, desired: ReadonlyMap<string, Desired>): string | null {
  const want = desired.get(`${o.kind}:${o.id}`);
  if (want) return want.networkId;
  if (o.kind === 'network') return o.id;
  if (o.attributes.networkId) return o.attributes.networkId;
  // A tier's rows are named `<networkId>/<rule>` (DHCP by the tier id alone); a static NAT or LB by its rule id.
  if (o.kind === 'acl' || o.kind === 'dhcp' || (o.kind === 'nat' && !isStaticNat(o)))
    return o.id.split('/')[0] ?? null;
  return null;
}

export function diff(
  controllerId: string,
  desired: readonly Desired[],
  observed: readonly ObservedResource[],
  knownRuleIds: ReadonlySet<string> = new Set(),
): Drift[] {
  const drift: Drift[] = [];
  const seen = new Map(observed.filter(COMPARED).map((o) => [`${o.kind}:${o.id}`, o]));
  const wanted = new Map(desired.map((d) => [`${d.resource}:${d.id}`, d]));
  for (const d of desired) {
    const o = seen.get(`${d.resource}:${d.id}`);
    if (!o) {
      drift.push({ kind: 'missing', resource: d.resource, id: d.id, controllerId, networkId: d.networkId });
      continue;
    }
    const differences: Record<string, { want: string; have: string }> = {};
    for (const [k, want] of Object.entries(d.attributes)) {
      const have = o.attributes[k];
      if (have !== undefined && have !== want) differences[k] = { want, have };
    }
    if (Object.keys(differences).length > 0)
      drift.push({
        kind: 'different',
        resource: d.resource,
        id: d.id,
        controllerId,
        networkId: d.networkId,
        differences,
      });
  }
  for (const [key, o] of seen) {
    if (wanted.has(key) || o.kind === 'vpc') continue;
    // A rule that is ours but not Active (being applied or revoked, or in Error) is not drift.
    if ((o.kind === 'nat' || o.kind === 'lb') && knownRuleIds.has(o.id)) continue;
    drift.push({
      kind: 'extra',
      resource: o.kind,
      id: o.id,
      controllerId,
      networkId: tierOfObserved(o, wanted),
    });
  }
  for (const o of observed) {
    for (const issue of o.issues ?? []) {
      drift.push({
        kind: 'different',
        resource: o.kind,
        id: o.id,
        controllerId,
        networkId: tierOfObserved(o, wanted),
        message: issue,
      });
    }
  }
  return drift;
}

const describe = (d: Drift) =>
  d.message !== undefined
    ? `${d.resource} ${d.id}: ${d.message}`
    : d.kind === 'different'
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
    drift.push(...diff(controllerId, c.desired, c.observed, seen.ruleIds));
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
  return { seen, drift };
}

export async function reconcileVpcJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const { drift } = await check(core, ctx, ctx.job.targetId);
  return { drift, inSync: drift.length === 0 };
}

/**
 * Re-applies what is missing or different and removes what is extra, then checks again. An issue the adapter
 * reported re-applies the resource it is on (a tier's ACL, DHCP or SNAT row re-implements the tier), once per resource.
 */
export async function repairVpcJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const vpcId = ctx.job.targetId;
  const { seen, drift } = await check(core, ctx, vpcId);
  const repaired: Drift[] = [];
  const done = new Set<string>();
  for (const d of drift) {
    const c = seen.perController.get(d.controllerId);
    if (!c) continue;
    const common = {
      handle: c.handle,
      vpcId,
      job: ctx.callJob(null),
      idempotencyKey: `${ctx.job.id}:repair:${d.kind}:${d.resource}:${d.id}`,
    };
    // Several issues on one resource need one re-apply.
    const once = `${d.controllerId}:${d.resource}:${d.id}:${d.kind === 'extra' ? 'extra' : 'apply'}`;
    const tierRow =
      d.resource === 'acl' ||
      d.resource === 'dhcp' ||
      (d.resource === 'nat' && !seen.ruleIds.has(d.id) && d.kind !== 'extra' && d.message !== undefined);
    const networkId = d.resource === 'network' ? d.id : tierRow ? (d.networkId ?? null) : null;
    const network = seen.networks.find((n) => n.id === networkId);
    const nic = seen.nics.find((n) => n.id === d.id);
    const nat = seen.nats.find((r) => r.id === d.id);
    const lb = seen.lbs.find((r) => r.id === d.id);
    if ((d.resource === 'network' || tierRow) && network && d.kind !== 'extra') {
      if (done.has(`network:${network.id}`)) {
        repaired.push(d);
        continue;
      }
      done.add(`network:${network.id}`);
      const services = (await networksRepo.listElements(core.deps.db.db, [network.id]))
        .filter((e) => e.controllerId === d.controllerId)
        .map((e) => e.service);
      const spec = networkSpecOf(network, services as never);
      await core.calls.call({
        ...common,
        idempotencyKey: `${ctx.job.id}:repair:network:${network.id}`,
        phase: 'implement',
        target: { type: 'network', id: network.id },
        networkId: network.id,
        request: { op: 'implementNetwork', repair: true, network: spec },
        invoke: (e, x) => e.implementNetwork(spec, x),
      });
      repaired.push(d);
      continue;
    }
    if (done.has(once)) {
      repaired.push(d);
      continue;
    }
    done.add(once);
    if (d.resource === 'vpc' && d.kind !== 'extra') {
      await core.calls.call({
        ...common,
        phase: 'implement',
        target: { type: 'vpc', id: vpcId },
        networkId: null,
        request: { op: 'implementVpc', repair: true },
        invoke: (e, x) => e.implementVpc(vpcSpecOf(seen.vpc), x),
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
      const networkId = nic?.networkId ?? d.networkId ?? '';
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
      // Different attributes (mac, ip) need the port made again; an issue (port out of its group) re-prepares.
      if (d.kind === 'different' && d.message === undefined) {
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
    } else if ((d.resource === 'nat' || d.resource === 'lb') && d.kind === 'extra') {
      // Ours (our rule id) but no longer wanted: revoke it.
      const ref = { ruleId: d.id, vpcId, networkId: d.networkId ?? '' };
      await core.calls.call({
        ...common,
        phase: 'revoke',
        target: { type: d.resource === 'nat' ? 'staticNat' : 'lbRule', id: d.id },
        networkId: ref.networkId || null,
        request: { op: d.resource === 'nat' ? 'revokeStaticNat' : 'revokeLbRule', repair: true, rule: ref },
        invoke: async (e, x) => {
          const revoke = d.resource === 'nat' ? e.revokeStaticNat?.bind(e) : e.revokeLbRule?.bind(e);
          if (!revoke)
            throw new JobFailure('SERVICE_NOT_OFFERED', `The element cannot revoke ${d.resource} rules`);
          await revoke(ref, x);
        },
      });
    } else if (d.resource === 'nat' && nat) {
      const spec = staticNatSpecOf(nat);
      const target = { type: 'staticNat' as const, id: nat.id };
      // A static NAT onto another address is replaced: revoke, then apply.
      if (d.kind === 'different' && d.message === undefined) {
        await core.calls.call({
          ...common,
          idempotencyKey: `${common.idempotencyKey}:revoke`,
          phase: 'revoke',
          target,
          networkId: nat.networkId,
          request: { op: 'revokeStaticNat', repair: true, rule: { ruleId: nat.id } },
          invoke: async (e, x) => {
            if (!e.revokeStaticNat)
              throw new JobFailure('SERVICE_NOT_OFFERED', 'The element has no static NAT');
            await e.revokeStaticNat({ ruleId: nat.id, vpcId, networkId: nat.networkId }, x);
          },
        });
      }
      await core.calls.call({
        ...common,
        phase: 'apply',
        target,
        networkId: nat.networkId,
        request: { op: 'applyStaticNat', repair: true, rule: spec },
        invoke: (e, x) => {
          if (!e.applyStaticNat) throw new JobFailure('SERVICE_NOT_OFFERED', 'The element has no static NAT');
          return e.applyStaticNat(spec, x);
        },
      });
    } else if (d.resource === 'lb' && lb) {
      // An LB apply converges in place (members, ports, algorithm).
      const spec = lbSpecOf(lb);
      await core.calls.call({
        ...common,
        phase: 'apply',
        target: { type: 'lbRule', id: lb.id },
        networkId: lb.networkId,
        request: { op: 'applyLbRule', repair: true, rule: spec },
        invoke: (e, x) => {
          if (!e.applyLbRule) throw new JobFailure('SERVICE_NOT_OFFERED', 'The element has no load balancer');
          return e.applyLbRule(spec, x);
        },
      });
    } else continue;
    repaired.push(d);
  }
  const after = await check(core, ctx, vpcId);
  return { repaired, remaining: after.drift, inSync: after.drift.length === 0 };
}
