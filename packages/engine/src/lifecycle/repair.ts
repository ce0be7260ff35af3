// Repair: re-apply what a reconcile check found missing or different, remove what is extra, then check again.
import { networkAclsRepo, networksRepo, publicIpsRepo } from '@netplane/db';
import { type CallPhase, DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { JobFailure } from '../errors';
import type { CallSpec } from '../guards/call-runner';
import type { JobContext } from '../jobs/context';
import { isAclListDrift } from './acl-drift';
import { aclSpecOf, supportsAclLists } from './acl-job';
import type { EngineCore } from './core';
import type { Drift } from './drift';
import { check } from './reconcile';
import { lbSpecOf, portForwardingSpecOf, staticNatSpecOf } from './rules';
import { dhcpSpecOf, networkSpecOf, nicSpecOf, publicNetworkOf, vpcSpecOf } from './specs';
import { onWholeVpc } from './step-call';

/**
 * Re-applies what is missing or different and removes what is extra, then checks again. An issue the adapter
 * reported re-applies the resource it is on (a tier's ACL, DHCP or SNAT row re-implements the tier), once per resource.
 * The list a tier holds is applied again (applyNetworkAcl) when it drifted, and after the tier is re-implemented
 * unless its list is default_deny (what implement's fixed rows are), as the implement job does.
 */
export async function repairVpcJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const vpcId = ctx.job.targetId;
  const { seen, drift, deferred } = await check(core, ctx, vpcId);
  // Drift seen while another job of the VPC still runs may be that job's half-done work (a port whose NIC row is not
  // Reserved yet): "repairing" it would undo the job. Nothing is touched; the job fails with the jobs to wait for.
  if (deferred)
    throw new JobFailure(
      'INVALID_STATE',
      `Repair not started: ${deferred.map((j) => `${j.kind} ${j.jobId}`).join(', ')} of this VPC ${deferred.length === 1 ? 'is' : 'are'} still running; repair again when ${deferred.length === 1 ? 'it ends' : 'they end'}`,
      { waitFor: deferred },
    );
  const repaired = await applyRepairs(core, ctx, vpcId, seen, drift);
  const after = await check(core, ctx, vpcId);
  return {
    repaired,
    remaining: after.drift,
    inSync: after.drift.length === 0,
    ...(after.deferred && { deferred: after.deferred }),
  };
}

/** The op of each call a repair makes, and the phase the call log records it under (the op's verb). */
const PHASE_OF = {
  implementVpc: 'implement',
  implementNetwork: 'implement',
  destroyNetwork: 'destroy',
  releaseNic: 'release',
  prepareNic: 'prepare',
  applyStaticNat: 'apply',
  revokeStaticNat: 'revoke',
  applyLbRule: 'apply',
  revokeLbRule: 'revoke',
  applyPortForwarding: 'apply',
  revokePortForwarding: 'revoke',
  applyNetworkAcl: 'apply',
} as const satisfies Record<string, CallPhase>;
type RepairOp = keyof typeof PHASE_OF;
/** What a call acts on; `key` replaces the drift's idempotency key where one drift makes two calls. */
type CallOn = { target: CallSpec<unknown>['target']; networkId: string | null; key?: string };

/** One repair call: the recorded request names its op and says `repair: true` (not a job's own call). */
function repairCall<T>(
  core: EngineCore,
  common: Pick<CallSpec<T>, 'handle' | 'vpcId' | 'job' | 'idempotencyKey'>,
  op: RepairOp,
  on: CallOn,
  request: object,
  invoke: CallSpec<T>['invoke'],
): Promise<T> {
  return core.calls.call({
    ...common,
    ...(on.key !== undefined && { idempotencyKey: on.key }),
    phase: PHASE_OF[op],
    target: on.target,
    networkId: on.networkId,
    request: { op, repair: true, ...request },
    invoke,
  });
}

/** The element's optional rule call (bound), or SERVICE_NOT_OFFERED: the repair cannot make it. */
function offered<F>(call: F | undefined, message: string): F {
  if (call === undefined) throw new JobFailure('SERVICE_NOT_OFFERED', message);
  return call;
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
    const call = <T>(op: RepairOp, on: CallOn, request: object, invoke: CallSpec<T>['invoke']) =>
      repairCall(core, common, op, on, request, invoke);
    // Several issues on one resource need one re-apply.
    const once = `${d.controllerId}:${d.resource}:${d.id}:${d.kind === 'extra' ? 'extra' : 'apply'}`;
    const aclList = isAclListDrift(d);
    const tierRow =
      (d.resource === 'acl' && !aclList) ||
      d.resource === 'dhcp' ||
      (d.resource === 'nat' && !seen.ruleIds.has(d.id) && d.kind !== 'extra' && d.message !== undefined);
    const networkId = d.resource === 'network' ? d.id : tierRow || aclList ? (d.networkId ?? null) : null;
    const network = seen.networks.find((n) => n.id === networkId);
    const nic = seen.nics.find((n) => n.id === d.id);
    const nat = seen.nats.find((r) => r.id === d.id);
    const lb = seen.lbs.find((r) => r.id === d.id);
    const pf = seen.pfs.find((r) => r.id === d.id);
    /** The tier's list applied again through this controller (once per tier), when `always` or not default_deny. */
    const applyAcl = async (tier: NonNullable<typeof network>, always: boolean) => {
      const db = core.deps.db.db;
      if (done.has(`acl:${tier.id}`) || !supportsAclLists(core, c.handle)) return;
      const list = await networkAclsRepo.getAclList(db, await networkAclsRepo.aclListIdOfTier(db, tier.id));
      if (!list || (!always && list.id === DEFAULT_DENY_ACL_ID)) return;
      done.add(`acl:${tier.id}`);
      const spec = await aclSpecOf(db, tier, list);
      const on = { target: { type: 'network', id: tier.id }, networkId: tier.id } as const;
      await call(
        'applyNetworkAcl',
        { ...on, key: `${ctx.job.id}:repair:acl:${tier.id}` },
        { acl: spec },
        (e, x) => offered(e.applyNetworkAcl?.bind(e), 'The element has no ACL lists')(spec, x),
      );
    };
    if (aclList) {
      if (network) await applyAcl(network, true);
      repaired.push(d);
      continue;
    }
    if ((d.resource === 'network' || tierRow) && network && d.kind !== 'extra') {
      if (done.has(`network:${network.id}`)) {
        repaired.push(d);
        continue;
      }
      done.add(`network:${network.id}`);
      const services = (await networksRepo.listElements(core.deps.db.db, [network.id]))
        .filter((e) => e.controllerId === d.controllerId)
        .map((e) => e.service);
      // Re-applied with the VPC's own source-NAT address, as implement wrote it, and today's DHCP settings.
      const snat = await publicIpsRepo.sourceNatOf(core.deps.db.db, network.vpcId);
      const spec = networkSpecOf(network, services as never, {
        sourceNatIp: snat?.address,
        publicNetwork: await publicNetworkOf(core.deps.db.db, network.vpcId),
        dhcp: await dhcpSpecOf(core.deps.db.db, network),
      });
      const onTier = { target: { type: 'network', id: network.id }, networkId: network.id } as const;
      await call(
        'implementNetwork',
        { ...onTier, key: `${ctx.job.id}:repair:network:${network.id}` },
        { network: spec },
        (e, x) => e.implementNetwork(spec, x),
      );
      if (services.includes('NetworkACL')) await applyAcl(network, false);
      repaired.push(d);
      continue;
    }
    if (done.has(once)) {
      repaired.push(d);
      continue;
    }
    done.add(once);
    if (d.resource === 'vpc' && d.kind !== 'extra') {
      await call('implementVpc', onWholeVpc(vpcId), {}, (e, x) => e.implementVpc(vpcSpecOf(seen.vpc), x));
    } else if (d.resource === 'network' && d.kind === 'extra') {
      const onTier = { target: { type: 'network', id: d.id }, networkId: d.id } as const;
      await call('destroyNetwork', onTier, {}, (e, x) => e.destroyNetwork({ networkId: d.id, vpcId }, x));
    } else if (d.resource === 'nic' && d.kind === 'extra') {
      const networkId = nic?.networkId ?? d.networkId ?? '';
      const onNic = { target: { type: 'nic', id: d.id }, networkId } as const;
      await call('releaseNic', onNic, {}, (e, x) => e.releaseNic({ nicId: d.id, networkId, vpcId }, x));
    } else if (d.resource === 'nic' && nic) {
      const spec = nicSpecOf(nic);
      const onNic = { target: { type: 'nic', id: d.id }, networkId: nic.networkId } as const;
      // Different attributes (mac, ip) need the port made again; an issue (port out of its group) re-prepares.
      if (d.kind === 'different' && d.message === undefined) {
        const release = { nicId: d.id, networkId: nic.networkId, vpcId };
        await call('releaseNic', { ...onNic, key: `${common.idempotencyKey}:release` }, {}, (e, x) =>
          e.releaseNic(release, x),
        );
      }
      await call('prepareNic', onNic, { nic: spec }, (e, x) => e.prepareNic(spec, x));
    } else if (d.resource === 'pf') {
      // A forward converges in place; one no longer wanted (ours, no Active row) is revoked.
      const onPf = {
        target: { type: 'portForward', id: d.id },
        networkId: pf?.networkId ?? d.networkId ?? null,
      } as const;
      const noPf = 'The element has no port forwarding';
      if (d.kind === 'extra' || !pf) {
        const ref = { ruleId: d.id, vpcId, networkId: d.networkId ?? '' };
        await call('revokePortForwarding', onPf, { rule: ref }, async (e, x) => {
          await offered(e.revokePortForwarding?.bind(e), noPf)(ref, x);
        });
      } else {
        const spec = portForwardingSpecOf(pf);
        await call('applyPortForwarding', onPf, { rule: spec }, (e, x) =>
          offered(e.applyPortForwarding?.bind(e), noPf)(spec, x),
        );
      }
    } else if ((d.resource === 'nat' || d.resource === 'lb') && d.kind === 'extra') {
      // Ours (our rule id) but no longer wanted: revoke it.
      const ref = { ruleId: d.id, vpcId, networkId: d.networkId ?? '' };
      const isNat = d.resource === 'nat';
      const onRule: CallOn = {
        target: { type: isNat ? 'staticNat' : 'lbRule', id: d.id },
        networkId: ref.networkId || null,
      };
      await call(isNat ? 'revokeStaticNat' : 'revokeLbRule', onRule, { rule: ref }, async (e, x) => {
        const revoke = offered(
          isNat ? e.revokeStaticNat?.bind(e) : e.revokeLbRule?.bind(e),
          `The element cannot revoke ${d.resource} rules`,
        );
        await revoke(ref, x);
      });
    } else if (d.resource === 'nat' && nat) {
      const spec = staticNatSpecOf(nat);
      const onNat = { target: { type: 'staticNat', id: nat.id }, networkId: nat.networkId } as const;
      const noNat = 'The element has no static NAT';
      // A static NAT onto another address is replaced: revoke, then apply.
      if (d.kind === 'different' && d.message === undefined) {
        const target = { ruleId: nat.id, vpcId, networkId: nat.networkId };
        const key = `${common.idempotencyKey}:revoke`;
        await call('revokeStaticNat', { ...onNat, key }, { rule: { ruleId: nat.id } }, async (e, x) => {
          await offered(e.revokeStaticNat?.bind(e), noNat)(target, x);
        });
      }
      await call('applyStaticNat', onNat, { rule: spec }, (e, x) =>
        offered(e.applyStaticNat?.bind(e), noNat)(spec, x),
      );
    } else if (d.resource === 'lb' && lb) {
      // An LB apply converges in place (members, ports, algorithm).
      const spec = lbSpecOf(lb);
      const onLb = { target: { type: 'lbRule', id: lb.id }, networkId: lb.networkId } as const;
      await call('applyLbRule', onLb, { rule: spec }, (e, x) =>
        offered(e.applyLbRule?.bind(e), 'The element has no load balancer')(spec, x),
      );
    } else continue;
    repaired.push(d);
  }
  return repaired;
}
