// The simulator's NetworkElement: each contract call becomes a command sent through a transport (hub or HTTP). The
// manifest offers StaticNat, Lb and PortForwarding, so the element has their calls.
import type { BatchItemResult, CallContext, NetworkElement } from '@netplane/adapter-sdk';
import type { SimCommand } from './core/commands';

export type SimTransport = {
  send(cmd: SimCommand, ctx: CallContext): Promise<unknown>;
  /** In-process only: changes made behind the engine's back (the HTTP mode has none; the periodic reconcile covers it). */
  watch?(listener: (vpcIds: readonly string[]) => void): () => void;
  close(): Promise<void>;
};

export function createSimulatorElement(transport: SimTransport): NetworkElement {
  // The transport answers with the shape the command's contract call promises; the casts name that shape.
  const send = <T>(cmd: SimCommand, ctx: CallContext) => transport.send(cmd, ctx) as Promise<T>;
  const unsubscribes = new Set<() => void>();
  const watch = transport.watch?.bind(transport);
  return {
    ...(watch && {
      watch: (listener: Parameters<NonNullable<NetworkElement['watch']>>[0]) => {
        const off = watch((vpcIds) => listener({ vpcIds }));
        unsubscribes.add(off);
        return () => {
          off();
          unsubscribes.delete(off);
        };
      },
    }),
    canHandle: (req, ctx) => send({ op: 'canHandle', req }, ctx),
    implementVpc: (vpc, ctx) => send({ op: 'implementVpc', vpc }, ctx),
    destroyVpc: async (vpc, ctx) => {
      await send({ op: 'destroyVpc', vpc: { vpcId: vpc.vpcId } }, ctx);
    },
    implementNetwork: (network, ctx) => send({ op: 'implementNetwork', network }, ctx),
    prepareNic: (nic, ctx) => send({ op: 'prepareNic', nic }, ctx),
    prepareNics: async (nics, ctx) =>
      nics.length === 0 ? [] : send<BatchItemResult[]>({ op: 'prepareNics', nics }, ctx),
    releaseNic: async (nic, ctx) => {
      await send({ op: 'releaseNic', nic }, ctx);
    },
    shutdownNetwork: async (network, ctx) => {
      await send({ op: 'shutdownNetwork', network }, ctx);
    },
    destroyNetwork: async (network, ctx) => {
      await send({ op: 'destroyNetwork', network }, ctx);
    },
    applyStaticNat: (rule, ctx) => send({ op: 'applyStaticNat', rule }, ctx),
    revokeStaticNat: async (rule, ctx) => {
      await send({ op: 'revokeStaticNat', rule }, ctx);
    },
    applyLbRule: (rule, ctx) => send({ op: 'applyLbRule', rule }, ctx),
    revokeLbRule: async (rule, ctx) => {
      await send({ op: 'revokeLbRule', rule }, ctx);
    },
    applyNetworkAcl: (acl, ctx) => send({ op: 'applyNetworkAcl', acl }, ctx),
    applyPortForwarding: (rule, ctx) => send({ op: 'applyPortForwarding', rule }, ctx),
    revokePortForwarding: async (rule, ctx) => {
      await send({ op: 'revokePortForwarding', rule }, ctx);
    },
    observe: (scope, ctx) => send({ op: 'observe', scope }, ctx),
    checkRealized: (scope, ctx) => send({ op: 'checkRealized', scope }, ctx),
    trace: (spec, ctx) => send({ op: 'trace', spec }, ctx),
    healthCheck: async (ctx) => {
      const started = performance.now();
      const result = await send<{ ok: boolean; version?: string }>({ op: 'healthCheck' }, ctx);
      return { ...result, latencyMs: Math.round(performance.now() - started) };
    },
    close: () => {
      for (const off of unsubscribes) off();
      unsubscribes.clear();
      return transport.close();
    },
  };
}
