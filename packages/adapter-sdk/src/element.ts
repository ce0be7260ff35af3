// The adapter contract: our NetworkElement. Every call is async, takes an AbortSignal and an idempotency key.

import type { IsolationMethod, Service } from '@netplane/domain';
import type { AdapterError } from './adapter-error';
import type { AdapterAdmin } from './admin';
import type { RealizedReport, RealizeScope, TraceResult, TraceSpec } from './connectivity';
import type { AdapterManifest } from './manifest';
import type {
  LbRuleRef,
  LbRuleSpec,
  NetworkAclSpec,
  PortForwardingRef,
  PortForwardingSpec,
  StaticNatRef,
  StaticNatSpec,
} from './rule-specs';

// The rule specs live in their own file; importers of './element' keep finding them here.
export * from './rule-specs';

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
  /**
   * The VPC's own source-NAT address, acquired by Netplane from the zone's public IP ranges when the tier's offering
   * has SourceNat (also in canHandle's spec). Absent when the offering has no SourceNat; an adapter may keep a
   * controller-wide fallback for a spec without it. Also passed when the offering has StaticNat or Lb: it is the
   * address of the VPC's gateway on the public network (see publicNetwork).
   */
  sourceNatIp?: string;
  /**
   * The public side of the VPC, passed with sourceNatIp: the public IP range that address was acquired from and the
   * physical network's Public traffic label. An element that gives SourceNat, StaticNat or Lb through a gateway of its
   * own (OVN: a gateway router port on an external switch) attaches it here. Absent for older callers or a zone with
   * no public IP range.
   */
  publicNetwork?: PublicNetworkSpec;
  /**
   * What a Dhcp element hands to guests beyond addressing: the zone's DNS servers and search domain, and the MTU of
   * the physical network's links. It is the underlay's MTU: the element takes its own encapsulation overhead off it.
   * Left out (older callers), an element assumes 1500 and no DNS.
   */
  dhcp?: NetworkDhcpSpec;
};

/** The public network a VPC's gateway attaches to: the range of its source-NAT address, on the Public traffic. */
export type PublicNetworkSpec = {
  /** The range's CIDR: the gateway's address is sourceNatIp on this prefix. */
  cidr: string;
  /** The upstream router of the range: the next hop of the VPC's default route. */
  gateway: string;
  /** The range's VLAN on the physical network, or null when the public traffic is untagged. */
  vlan: number | null;
  /**
   * The physical network's Public traffic label (the KVM one, else the first given): the name the hypervisors'
   * bridge mappings give the public network (OVN: ovn-bridge-mappings). Absent when the physical network has none.
   */
  trafficLabel?: string;
};

export type NetworkDhcpSpec = {
  dnsServers: readonly string[];
  dnsDomain: string | null;
  physicalMtu: number;
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
  kind: 'vpc' | 'network' | 'nic' | 'acl' | 'nat' | 'lb' | 'pf' | 'dhcp';
  /** Our id (vpcId, networkId or nicId) read back from the controller's external ids. */
  id: string;
  name: string;
  /** Comparable attributes (cidr, mac, ip, segment...) as strings. */
  attributes: Record<string, string>;
  /**
   * What the adapter itself sees missing or changed against what it would have made for this resource (an ACL of
   * the tier deleted, a port taken out of its port group, DHCP options gone), one short sentence each. The engine
   * reports each as drift (Synced=False) and repair re-applies the resource, which must converge.
   */
  issues?: readonly string[];
};
export type ObserveScope = { vpcId?: string; networkIds?: readonly string[] };
export type ObservedState = { resources: ObservedResource[] };

/** What watch() pushes: the VPCs (our ids) whose resources changed since the last push. */
export type WatchChange = { vpcIds: readonly string[] };

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
  /**
   * StaticNat and Lb calls: present exactly when the manifest offers the service (the conformance kit checks it).
   * Apply is idempotent and converges: applying a spec again adopts what exists, and an Lb apply with other members
   * or ports updates the rule in place. A public IP already used on the controller by something that is not ours is
   * RESOURCE_CONFLICT. Revoking a rule the controller does not hold is a success.
   */
  applyStaticNat?(rule: StaticNatSpec, ctx: CallContext): Promise<{ adopted: boolean }>;
  revokeStaticNat?(rule: StaticNatRef, ctx: CallContext): Promise<void>;
  applyLbRule?(rule: LbRuleSpec, ctx: CallContext): Promise<{ adopted: boolean }>;
  revokeLbRule?(rule: LbRuleRef, ctx: CallContext): Promise<void>;
  /**
   * Network ACL lists: present exactly when the manifest's NetworkACL capabilities say `SupportsAclLists: true`.
   * Replaces the tier's ACL with the spec (see NetworkAclSpec); called after implementNetwork and whenever the
   * tier's list or the list's rules change. A tier the controller does not hold is INVALID_REQUEST.
   */
  applyNetworkAcl?(acl: NetworkAclSpec, ctx: CallContext): Promise<{ adopted: boolean }>;
  /**
   * PortForwarding calls: present exactly when the manifest offers the service (the conformance kit checks it).
   * Apply is idempotent and converges like the Lb calls (same spec: adopted; other ports or NIC: updated in place);
   * a port of the address held on the controller by anything but this rule is RESOURCE_CONFLICT; a spec version the
   * adapter does not know is INVALID_REQUEST. Revoking a rule the controller does not hold is a success.
   */
  applyPortForwarding?(rule: PortForwardingSpec, ctx: CallContext): Promise<{ adopted: boolean }>;
  revokePortForwarding?(rule: PortForwardingRef, ctx: CallContext): Promise<void>;
  /**
   * Observed kinds: vpc, network, nic; where offered, static NAT as kind nat (id = ruleId; attributes
   * type=dnat_and_snat, externalIp, logicalIp) and Lb as kind lb (id = ruleId; attributes vip `publicIp:publicPort`,
   * protocol, members = sorted `ip:port` joined by ','), PortForwarding as kind pf (id = ruleId; attributes
   * publicIp, protocol, publicPorts `start-end`, privateIp, privatePorts `start-end`); plus the acl/dhcp/nat rows
   * the adapter makes for a tier.
   * Where applyNetworkAcl is offered, the list a tier holds is kind acl, id `<networkId>/list` (aclListResourceId):
   * attributes aclList (list id), aclListName and aclRules (aclRulesDigest of the rules it holds), with an issue for
   * every part of it missing or changed on the controller; absent while no list was ever applied to the tier (its
   * fixed rows are default_deny).
   */
  observe(scope: ObserveScope, ctx: CallContext): Promise<ObservedState>;
  healthCheck(ctx: CallContext): Promise<HealthResult>;
  /**
   * Optional: what the controller made of the VPC's resources beyond accepting them (see connectivity.ts). The engine
   * calls it after a job changed the VPC and in reconcile, and sets each resource's Realized condition from it; an
   * adapter without it leaves Realized Unknown (CheckUnsupported). Read-only, bounded by scope.waitMs.
   */
  checkRealized?(scope: RealizeScope, ctx: CallContext): Promise<RealizedReport>;
  /**
   * Optional: the path one packet takes through the VPC as the controller would forward it (see connectivity.ts).
   * Read-only. When the adapter cannot trace on this node (OVN: ovn-trace not installed) it answers outcome
   * `unavailable` with a reason saying so, rather than throwing.
   */
  trace?(spec: TraceSpec, ctx: CallContext): Promise<TraceResult>;
  /**
   * Optional push of "something of these VPCs changed on the controller" (ours or not: a port or ACL deleted by hand,
   * a row altered, our own writes too), so the engine reconciles those VPCs within seconds instead of waiting for a
   * human or the periodic reconcile. Only a hint: the engine still decides by observe(); an adapter that cannot
   * watch leaves it out and the periodic reconcile covers it. Deletions must be reported too (name the VPC the
   * deleted resource belonged to). A listener may be called often; the engine debounces per VPC and skips VPCs busy
   * with a job. Returns the unsubscribe function; close() ends every subscription.
   */
  watch?(listener: (change: WatchChange) => void): () => void;
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
  /** The adapter's own admin procedures (see admin.ts), mounted by the API under the adapter's id when it knows them. */
  admin?: AdapterAdmin;
};

/** What the server tells an adapter's factory about itself. */
export type AdapterHost = { sdkVersion: string };

/**
 * An adapter package's default export is its AdapterModule, or a factory the server calls once at load (a throw, or
 * what it returns not being a module, makes the adapter `Unable to load` with the reason; the server still starts).
 */
export type AdapterFactory = (host: AdapterHost) => AdapterModule | Promise<AdapterModule>;
