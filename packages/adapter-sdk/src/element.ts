// The adapter contract: our NetworkElement. Every call is async, takes an AbortSignal and an idempotency key.
import type { IsolationMethod, Service } from '@netplane/domain';
import type { AdapterError } from './adapter-error';
import type { AdapterManifest } from './manifest';

export type CallContext = {
  signal: AbortSignal;
  /** Stable across retries and node take-overs of the same step, so a replay finds what the first try made. */
  idempotencyKey: string;
};

export type ControllerConnection = {
  controllerId: string;
  endpoint: string;
  credentials: Record<string, string>;
  config: Record<string, unknown>;
};

export type VpcSpec = { vpcId: string; name: string; cidr: string };

export type NetworkSpec = {
  vpcId: string;
  networkId: string;
  name: string;
  cidr: string;
  gateway: string;
  isolation: { method: IsolationMethod; segmentId: number };
  /** The services this element was chosen for on this network. */
  services: readonly Service[];
};

export type NicSpec = {
  nicId: string;
  networkId: string;
  vpcId: string;
  mac: string;
  ip: string;
  vmName: string;
};
export type NicRef = { nicId: string; networkId: string; vpcId: string };
export type NetworkRef = { networkId: string; vpcId: string };

export type ImplementResult = {
  /** e.g. vlan://120 or vxlan://5001 */
  broadcastUri: string;
  /** true when the resource already existed with our ids and was adopted rather than created. */
  adopted: boolean;
};
export type PrepareResult = { nicId: string; adopted: boolean };
export type BatchItemResult =
  | { nicId: string; ok: true; result: PrepareResult }
  | { nicId: string; ok: false; error: AdapterError };

export type CanHandleRequest = {
  network: NetworkSpec;
  service: Service;
};
export type CanHandleVerdict = { canHandle: true } | { canHandle: false; reason: string };

/** What the controller actually holds, named by our ids, for drift detection. */
export type ObservedResource = {
  kind: 'vpc' | 'network' | 'nic' | 'acl' | 'nat' | 'lb' | 'dhcp';
  /** Our id (vpcId, networkId or nicId) read back from the controller's external ids. */
  id: string;
  name: string;
  /** Comparable attributes (cidr, mac, ip, segment...) as strings. */
  attributes: Record<string, string>;
};
export type ObserveScope = { vpcId?: string; networkIds?: readonly string[] };
export type ObservedState = { resources: ObservedResource[] };

export type HealthResult = { ok: boolean; latencyMs: number; version?: string; detail?: string };

export type NetworkElement = {
  canHandle(req: CanHandleRequest, ctx: CallContext): Promise<CanHandleVerdict>;
  implementVpc(vpc: VpcSpec, ctx: CallContext): Promise<{ adopted: boolean }>;
  destroyVpc(vpc: { vpcId: string }, ctx: CallContext): Promise<void>;
  implementNetwork(network: NetworkSpec, ctx: CallContext): Promise<ImplementResult>;
  prepareNic(nic: NicSpec, ctx: CallContext): Promise<PrepareResult>;
  /** One call for many NICs where the controller supports it (manifest.supportsBatchPrepare); per-NIC outcomes. */
  prepareNics(nics: readonly NicSpec[], ctx: CallContext): Promise<BatchItemResult[]>;
  /** Releasing a NIC the controller does not know is a success (it is already released). */
  releaseNic(nic: NicRef, ctx: CallContext): Promise<void>;
  shutdownNetwork(network: NetworkRef, ctx: CallContext): Promise<void>;
  destroyNetwork(network: NetworkRef, ctx: CallContext): Promise<void>;
  observe(scope: ObserveScope, ctx: CallContext): Promise<ObservedState>;
  healthCheck(ctx: CallContext): Promise<HealthResult>;
  /** Frees connections; the engine calls it when a controller is edited or deleted, and at shutdown. */
  close(): Promise<void>;
};

export type AdapterLogger = {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type AdapterEnv = { logger: AdapterLogger };

/** What an adapter package exports as its default: a manifest and a factory of elements, one per controller. */
export type AdapterModule = {
  manifest: AdapterManifest;
  createElement(connection: ControllerConnection, env: AdapterEnv): NetworkElement;
};
