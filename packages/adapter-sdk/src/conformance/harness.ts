// What an adapter package hands the conformance kit: a fresh element per test, and hooks for what differs per vendor.
import type { IsolationMethod } from '@netplane/domain';
import type { NetworkElement, NetworkSpec } from '../element';
import type { AdapterManifest } from '../manifest';

export type ConformanceHarness = {
  /** An element connected to a controller the test may freely change. */
  element: NetworkElement;
  /** Frees the element and whatever the harness started; called after each test. */
  cleanup(): Promise<void>;
  /**
   * The adapter's manifest. The StaticNat and Lb cases run when it offers those services, and one case checks that
   * the element has their calls exactly then. Without it those cases run when the element has the calls, and the
   * check is skipped.
   */
  manifest?: AdapterManifest;
  /** The isolation method to implement networks with (default VLAN). */
  isolationMethod?: IsolationMethod;
  /**
   * Creates, behind the adapter's back, a resource owned by someone else where implementNetwork(network) needs its
   * own (a switch with our name, or the network's VLAN on a foreign switch). Without it the conflict case is skipped.
   */
  plantForeignNetwork?(network: NetworkSpec): Promise<void>;
  /** True while the resource planted by plantForeignNetwork is still there, unchanged. */
  isForeignNetworkIntact?(network: NetworkSpec): Promise<boolean>;
  /**
   * Makes, behind the adapter's back, something not ours use publicIp where the network's VPC keeps its static NATs
   * (e.g. a NAT row without our ids on the VPC's router). Without it the foreign static NAT conflict case is skipped.
   */
  plantForeignNat?(network: NetworkSpec, publicIp: string): Promise<void>;
  /** True while the NAT planted by plantForeignNat is still there, unchanged. */
  isForeignNatIntact?(network: NetworkSpec, publicIp: string): Promise<boolean>;
  /**
   * Makes the following calls take at least a second (or hang), so the abort case can abort mid-call.
   * Without it, the abort case aborts a large batch shortly after it starts.
   */
  slowDownCalls?(): Promise<void>;
  /**
   * Another element of the adapter whose controller has no gateway to the public network configured (OVN: no
   * gatewayChassis). With it, the kit checks that canHandle DECLINES SourceNat, StaticNat and Lb with a reason.
   */
  elementWithoutGateway?(): Promise<NetworkElement>;
};

export type ConformanceOptions = {
  /** Concurrent prepareNic calls on one network (default 50). */
  concurrentPrepares?: number;
  /** NICs in the batch-prepare case (default 20, capped by the adapter's maxBatchSize). */
  batchSize?: number;
  /**
   * Asserts the contract's budget too: how long after abort the call must have settled (the contract says 100 ms).
   * Unset (the default), the kit proves the abort without timing it: a call whose controller hangs (slowDownCalls)
   * must reject with TIMEOUT once aborted. Set it on a quiet CI machine to hold an adapter to the figure.
   */
  abortBudgetMs?: number;
  /** Per-test timeout in ms (default 20 000). */
  timeoutMs?: number;
};
