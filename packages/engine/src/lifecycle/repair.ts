// Repair: re-apply what a reconcile check found missing or different, remove what is extra, then check again.
import { networksRepo } from '@netplane/db';
import { JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import type { Drift } from './drift';
import { check } from './reconcile';
import { lbSpecOf, staticNatSpecOf } from './rules';
import { networkSpecOf, nicSpecOf, vpcSpecOf } from './specs';
import { onWholeVpc } from './step-call';

/**
 * Re-applies what is missing or different and removes what is extra, then checks again. An issue the adapter
 * reported re-applies the resource it is on (a tier's ACL, DHCP or SNAT row re-implements the tier), once per resource.
 */
export async function repairVpcJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const vpcId = ctx.job.targetId;
  const { seen, drift } = await check(core, ctx, vpcId);
  const repaired = await applyRepairs(core, ctx, vpcId, seen, drift);
  const after = await check(core, ctx, vpcId);
  return { repaired, remaining: after.drift, inSync: after.drift.length === 0 };
}

export type Seen = Awaited<ReturnType<typeof check>>['seen'];

/** Re-applies (or removes) each drifted resource once, in the order given; returns the drift it acted on. */
export async function applyRepairs(
  core: EngineCore,
  ctx: JobContext,
  vpcId: string,
  seen: Seen,
  drift: readonly Drift[],
): Promise<Drift[]> {
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
        ...onWholeVpc(vpcId),
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
  return repaired;
}
