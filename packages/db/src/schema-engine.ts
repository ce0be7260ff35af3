// Engine tables (VPCs, tiers, NICs, jobs, calls, traces, nodes, call guards): owned by the engine, added by migration 002.
import type { Generated } from 'kysely';

export type VpcsTable = {
  id: string;
  name: string;
  zone_id: string;
  offering_id: string;
  cidr: string;
  state: string;
  /** JSON: Condition[] */
  conditions: string;
  /**
   * The status of the Ready / Synced / Realized condition in `conditions` (migrations 014 and 017,
   * repositories/vpc-conditions.ts).
   */
  ready_status: string | null;
  synced_status: string | null;
  realized_status: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
};

/** A tier of a VPC: CloudStack's Network. */
export type NetworksTable = {
  id: string;
  vpc_id: string;
  zone_id: string;
  name: string;
  offering_id: string;
  physical_network_id: string;
  cidr: string;
  gateway: string;
  isolation_method: string;
  /** 'vlan' | 'vni'; with segment_id unique per zone (NULL once destroyed, so the id can be reused). */
  segment_kind: string;
  segment_id: number | null;
  broadcast_uri: string | null;
  state: string;
  conditions: string;
  created_at: number;
  updated_at: number;
  version: number;
};

export type NetworkElementsTable = {
  id: string;
  network_id: string;
  service: string;
  provider_id: string;
  controller_id: string;
  adapter_id: string;
  created_at: number;
};

export type NicsTable = {
  id: string;
  network_id: string;
  vpc_id: string;
  vm_name: string;
  mac: string;
  ip: string;
  /** Integer form of ip inside the tier cidr, unique per network: collisions are impossible even across nodes. */
  ip_index: number;
  state: string;
  conditions: string;
  /** 1 when the controller already held this NIC (adopted) rather than creating it. */
  adopted: number;
  created_at: number;
  updated_at: number;
  version: number;
};

export type StateTransitionsTable = {
  id: Generated<number>;
  entity_type: string;
  entity_id: string;
  from_state: string;
  to_state: string;
  at: number;
  actor: string;
  reason: string;
  job_id: string | null;
};

export type JobsTable = {
  id: string;
  kind: string;
  target_type: string;
  target_id: string;
  vpc_id: string | null;
  state: string;
  payload: string;
  result: string | null;
  progress_done: number;
  progress_total: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  fencing_token: number;
  attempts: number;
  deadline_at: number;
  stuck: number;
  cancel_requested: number;
  created_by: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
  /** JSON: { code, message, category?, entity? } */
  error: string | null;
};

export type JobStepsTable = {
  job_id: string;
  step_key: string;
  seq: number;
  state: string;
  result: string | null;
  at: number;
  node_id: string;
  fencing_token: number;
};

export type ElementCallsTable = {
  id: string;
  phase: string;
  adapter_id: string;
  provider_id: string;
  controller_id: string;
  job_id: string | null;
  step_key: string | null;
  vpc_id: string | null;
  network_id: string | null;
  target_type: string;
  target_id: string;
  attempt: number;
  /** 'forward' | 'rollback' */
  purpose: string;
  batch_size: number;
  started_at: number;
  duration_ms: number;
  outcome: string;
  error_category: string | null;
  error_message: string | null;
  vendor_code: string | null;
  vendor_message: string | null;
  retryable: number | null;
  /** JSON, redacted */
  request_summary: string;
  response_summary: string | null;
  node_id: string;
  fencing_token: number | null;
};

export type NegotiationTracesTable = {
  id: string;
  network_id: string;
  job_id: string | null;
  ok: number;
  /** JSON: { service, provider, verdict, reason?, ... }[] */
  trace: string;
  /** JSON: the services nobody could give */
  missing: string;
  created_at: number;
};

export type NodesTable = {
  id: string;
  hostname: string;
  pid: number;
  started_at: number;
  heartbeat_at: number;
  state: string;
};

/** Cluster-wide concurrency bulkhead: one row per slot of a controller; a holder with an expiry (dead nodes free up). */
export type CallSlotsTable = {
  controller_id: string;
  slot: number;
  holder: string | null;
  expires_at: number | null;
};

/** Cluster-wide rate limit (GCRA): the theoretical arrival time of the next call, in microseconds. */
export type CallRatesTable = {
  controller_id: string;
  tat_us: number;
  updated_at: number;
};

export type EngineTables = {
  vpcs: VpcsTable;
  networks: NetworksTable;
  network_elements: NetworkElementsTable;
  nics: NicsTable;
  state_transitions: StateTransitionsTable;
  jobs: JobsTable;
  job_steps: JobStepsTable;
  element_calls: ElementCallsTable;
  negotiation_traces: NegotiationTracesTable;
  nodes: NodesTable;
  call_slots: CallSlotsTable;
  call_rates: CallRatesTable;
};
