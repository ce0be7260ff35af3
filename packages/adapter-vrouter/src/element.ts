// createElement: one SSH connection per controller, every call guarded (abort, typed errors), work on one tier
// serialized and NIC changes coalesced into batches.
import {
  type AdapterEnv,
  type AdapterError,
  type BatchItemResult,
  type CallContext,
  type ControllerConnection,
  type NetworkElement,
  type NetworkRef,
  type NicSpec,
  throwIfAborted,
  toAdapterError,
} from '@netplane/adapter-sdk';
import { applyNetworkAcl, removeTierAcl, removeVpcAcl } from './acl/apply';
import { observeAcl } from './acl/observe';
import { Coalescer, KeyedMutex } from './batcher';
import { parseConnection } from './config';
import { type Ctx, locked, makeCtx } from './context';
import { healthCheck } from './health';
import { applyLbRule, destroyLb, revokeLbRule } from './lb/apply';
import { observeLb } from './lb/observe';
import { vrouterManifest } from './manifest';
import { MAX_BATCH } from './names';
import { applySourceNat, applyStaticNat, revokeStaticNat } from './nat/apply';
import { observeNat } from './nat/observe';
import { applyPortForwarding, revokePortForwarding } from './nat/port-forwarding';
import { noPublicSide } from './nat/public-vlan';
import { implementNetwork, segmentOf, teardownNetwork } from './network';
import { type NicOp, type NicOutcome, runNicBatch } from './nics';
import { observe } from './observe';
import { checkRealized } from './realized/check';
import { SshHost } from './ssh';
import { traceVrouter } from './trace';
import { checkId, checkNetwork, checkNic, checkNicRef, checkVpc } from './validate';
import { destroyVpc, implementVpc } from './vpc';

/** Services that need the VPC's public side (config publicBridge, or publicUplink for a public VLAN). */
const NAT_SERVICES = new Set(['SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Firewall']);

/** The element plus what the tests and the bench read: SSH round trips so far. */
export type VrouterElement = NetworkElement & { roundTrips(): number };

export function createVrouterElement(connection: ControllerConnection, env: AdapterEnv): VrouterElement {
  let ctx: Ctx | null = null;
  let invalid: AdapterError | null = null;
  try {
    const parsed = parseConnection(connection.endpoint, connection.config, connection.credentials);
    ctx = makeCtx(new SshHost(parsed, env.logger), parsed.config, env.logger);
  } catch (e) {
    invalid = toAdapterError(e);
  }
  const mutex = new KeyedMutex();
  const nicBatches = new Coalescer<NicOp, NicOutcome>(
    mutex,
    (key, ops, signal) => locked(ctx as Ctx, signal, (c) => runNicBatch(c, key.slice(4), ops, signal)),
    MAX_BATCH,
  );

  async function call<T>(cc: CallContext, fn: (c: Ctx, signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      throwIfAborted(cc.signal);
      if (invalid || !ctx) throw invalid;
      return await fn(ctx, cc.signal);
    } catch (e) {
      throw toAdapterError(e);
    }
  }
  // Each write runs its read, plan and write under the host lock (`locked`), inside the in-process mutex.
  const under = <T>(key: string, c: Ctx, s: AbortSignal, fn: (c: Ctx, s: AbortSignal) => Promise<T>) =>
    mutex.run(key, () => locked(c, s, (lc) => fn(lc, s)), s);
  const onVpc = <T>(vpcId: string, cc: CallContext, fn: (c: Ctx, s: AbortSignal) => Promise<T>) =>
    call(cc, (c, s) => under(`vpc:${vpcId}`, c, s, fn));
  const nicOps = (networkId: string, ops: NicOp[], cc: CallContext) =>
    call(cc, (_c, s) => nicBatches.submit(`net:${networkId}`, ops, s));

  function teardown(c: Ctx, n: NetworkRef, mode: 'shutdown' | 'destroy', s: AbortSignal) {
    checkId('networkId', n.networkId);
    checkId('vpcId', n.vpcId);
    return locked(c, s, (lc) => teardownNetwork(lc, n, mode, s)).then(() =>
      // The tier's ACL chains go with it, under the VPC's ACL lock (the table is shared by its tiers).
      mode === 'destroy'
        ? under(`acl:${n.vpcId}`, c, s, (lc) => removeTierAcl(lc, n.vpcId, n.networkId, s))
        : undefined,
    );
  }

  async function prepareNics(nics: readonly NicSpec[], cc: CallContext): Promise<BatchItemResult[]> {
    if (nics.length === 0) return [];
    // A malformed NIC fails alone, like a conflicting one.
    const invalid = new Map<string, AdapterError>();
    for (const nic of nics) {
      try {
        checkNic(nic);
      } catch (e) {
        invalid.set(nic.nicId, toAdapterError(e));
      }
    }
    const byNet = new Map<string, NicSpec[]>();
    for (const nic of nics) {
      if (!invalid.has(nic.nicId)) byNet.set(nic.networkId, [...(byNet.get(nic.networkId) ?? []), nic]);
    }
    const outcomes = new Map<string, NicOutcome>();
    await Promise.all(
      [...byNet].map(async ([networkId, list]) => {
        const out = await nicOps(
          networkId,
          list.map((nic) => ({ type: 'prepare', nic })),
          cc,
        );
        for (const [i, nic] of list.entries()) outcomes.set(nic.nicId, out[i] as NicOutcome);
      }),
    );
    return nics.map((nic): BatchItemResult => {
      const bad = invalid.get(nic.nicId);
      if (bad) return { nicId: nic.nicId, ok: false, error: bad };
      const o = outcomes.get(nic.nicId) as NicOutcome;
      return o.ok
        ? { nicId: nic.nicId, ok: true, result: { nicId: nic.nicId, adopted: o.adopted } }
        : { nicId: nic.nicId, ok: false, error: o.error };
    });
  }

  return {
    canHandle: async (req, cc) =>
      call(cc, async (c) => {
        try {
          segmentOf(req.network);
        } catch (e) {
          return { canHandle: false, reason: toAdapterError(e).message };
        }
        const why = NAT_SERVICES.has(req.service) ? noPublicSide(c, req.network.publicNetwork?.vlan) : null;
        if (why) return { canHandle: false, reason: why };
        if (!(req.service in vrouterManifest.services)) {
          return { canHandle: false, reason: `The virtual router adapter does not offer ${req.service} yet` };
        }
        return { canHandle: true };
      }),
    implementVpc: (vpc, cc) =>
      onVpc(vpc.vpcId, cc, (c, s) => {
        checkVpc(vpc);
        return implementVpc(c, vpc, s);
      }),
    destroyVpc: (vpc, cc) =>
      onVpc(vpc.vpcId, cc, (c, s) => {
        checkId('vpcId', vpc.vpcId);
        return destroyVpc(c, vpc.vpcId, s)
          .then(() => removeVpcAcl(c, vpc.vpcId, s))
          .then(() => destroyLb(c, vpc.vpcId, s));
      }),
    applyNetworkAcl: (acl, cc) =>
      call(cc, (c, s) => {
        checkId('vpcId', acl.vpcId);
        return under(`acl:${acl.vpcId}`, c, s, (lc) => applyNetworkAcl(lc, acl, s));
      }),
    implementNetwork: (n, cc) =>
      call(cc, (c, s) =>
        mutex.run(
          `net:${n.networkId}`,
          async () => {
            checkNetwork(n);
            const done = await locked(c, s, (lc) => implementNetwork(lc, n, s));
            // The VPC's way out: its NAT is per VPC, so it is written under the VPC's lock.
            if (n.services.includes('SourceNat') && n.sourceNatIp) {
              await under(`vpc:${n.vpcId}`, c, s, (lc) => applySourceNat(lc, n, s));
            }
            return done;
          },
          s,
        ),
      ),
    // teardown takes the host lock itself, twice (the tier, then its ACL under the ACL mutex).
    shutdownNetwork: (n, cc) =>
      call(cc, (c, s) => mutex.run(`net:${n.networkId}`, () => teardown(c, n, 'shutdown', s), s)),
    destroyNetwork: (n, cc) =>
      call(cc, (c, s) => mutex.run(`net:${n.networkId}`, () => teardown(c, n, 'destroy', s), s)),
    prepareNic: async (nic, cc) => {
      const [r] = await prepareNics([nic], cc);
      if (!r?.ok) throw (r as { error: AdapterError }).error;
      return r.result;
    },
    prepareNics,
    releaseNic: async (nic, cc) => {
      await call(cc, async () => checkNicRef(nic));
      const [o] = await nicOps(nic.networkId, [{ type: 'release', nic }], cc);
      if (o && !o.ok) throw o.error;
    },
    observe: (scope, cc) =>
      call(cc, async (c, s) => {
        if (scope.vpcId !== undefined) checkId('vpcId', scope.vpcId);
        for (const id of scope.networkIds ?? []) checkId('networkId', id);
        const resources = [...(await observe(c, scope, s)), ...(await observeAcl(c, scope, s))];
        if (scope.networkIds !== undefined) return { resources };
        const vpcs = resources.filter((r) => r.kind === 'vpc').map((r) => r.id);
        const pub = [...(await observeNat(c, vpcs, s)), ...(await observeLb(c, vpcs, s))];
        return { resources: [...resources, ...pub] };
      }),
    applyStaticNat: (rule, cc) => onVpc(rule.vpcId, cc, (c, s) => applyStaticNat(c, rule, s)),
    revokeStaticNat: (ref, cc) => onVpc(ref.vpcId, cc, (c, s) => revokeStaticNat(c, ref, s)),
    applyPortForwarding: (rule, cc) => onVpc(rule.vpcId, cc, (c, s) => applyPortForwarding(c, rule, s)),
    revokePortForwarding: (ref, cc) => onVpc(ref.vpcId, cc, (c, s) => revokePortForwarding(c, ref, s)),
    applyLbRule: (rule, cc) => onVpc(rule.vpcId, cc, (c, s) => applyLbRule(c, rule, s)),
    revokeLbRule: (ref, cc) => onVpc(ref.vpcId, cc, (c, s) => revokeLbRule(c, ref, s)),
    healthCheck: (cc) => call(cc, (c, s) => healthCheck(c, s)),
    // Read-only, one round trip each: what the host really holds (src/realized), one packet's path (src/trace).
    checkRealized: (scope, cc) =>
      call(cc, (c, s) => {
        checkId('vpcId', scope.vpcId);
        for (const id of scope.networkIds ?? []) checkId('networkId', id);
        return checkRealized(c, scope, s);
      }),
    trace: (spec, cc) =>
      call(cc, (c, s) => {
        checkId('vpcId', spec.vpcId);
        return traceVrouter(c, spec, s);
      }),
    close: async () => {
      ctx?.host.close();
    },
    roundTrips: () => ctx?.host.roundTrips ?? 0,
  };
}
