// Kysely table types. Conventions on both dialects: ids are UUID strings, times are epoch milliseconds (BIGINT),
// JSON is stored as TEXT and parsed in repositories, booleans are 0/1, `version` is the compare-and-set counter.
import type { Generated } from 'kysely';
import type { ApiTokenTables } from './schema-api-tokens';
import type { ConnectivityTables } from './schema-connectivity';
import type { DiagnosticsTables } from './schema-diagnostics';
import type { EngineTables } from './schema-engine';
import type { NetworkAclTables } from './schema-network-acls';
import type { PortForwardingTables } from './schema-port-forwarding';
import type { PublicIpTables } from './schema-public-ips';
import type { PublicServicesTables } from './schema-public-services';

export type ZonesTable = {
  id: string;
  name: string;
  description: string;
  state: string;
  /** JSON: string[] (IPv4 resolvers DHCP hands out); Generated: an insert may leave it to the column default. */
  dns_servers: Generated<string>;
  dns_domain: Generated<string | null>;
  created_at: number;
  updated_at: number;
  version: number;
};

export type PhysicalNetworksTable = {
  id: string;
  zone_id: string;
  name: string;
  /** JSON: IsolationMethod[] */
  isolation_methods: string;
  /** JSON: string[] (labels, lower-cased for matching, as entered for display) */
  tags: string;
  /** JSON: { kind: 'vlan' | 'vni', start, end }[] */
  broadcast_ranges: string;
  /** JSON: { type: TrafficType, labels: Partial<Record<Hypervisor, string>> }[] */
  traffic_types: string;
  /** The links' MTU (the underlay's, before any overlay overhead); default 1500 */
  mtu: Generated<number>;
  state: string;
  created_at: number;
  updated_at: number;
  version: number;
};

export type ProvidersTable = {
  id: string;
  physical_network_id: string;
  name: string;
  adapter_id: string;
  state: string;
  /** JSON: Service[] the admin enabled (a subset of the adapter's) */
  enabled_services: string;
  /** JSON: ServiceCapabilities narrowing the manifest's (admin settings) */
  capability_overrides: string;
  created_at: number;
  updated_at: number;
  version: number;
};

export type ControllersTable = {
  id: string;
  provider_id: string;
  name: string;
  endpoint: string;
  protocol: string;
  /** JSON: adapter config (non-secret) */
  config: string;
  /** Envelope ciphertext of the JSON credentials, bound to this row's id; see @netplane/secrets. */
  credentials_ciphertext: string;
  credentials_key_id: string;
  max_concurrent: number;
  calls_per_second: number;
  timeout_ms: number;
  resource_state: string;
  health_ok: number | null;
  health_checked_at: number | null;
  health_latency_ms: number | null;
  health_version: string | null;
  health_error: string | null;
  /** JSON: Condition[] */
  conditions: string;
  created_at: number;
  updated_at: number;
  version: number;
};

export type ControllerHealthTable = {
  id: Generated<number>;
  controller_id: string;
  checked_at: number;
  ok: number;
  latency_ms: number;
  error: string | null;
};

export type OfferingsTable = {
  id: string;
  name: string;
  description: string;
  /** 'network' | 'vpc' */
  kind: string;
  guest_type: string;
  /** JSON: Partial<Record<Service, string>> service -> provider name (adapter id) */
  service_providers: string;
  /** JSON: string[] required physical-network tags */
  tags: string;
  isolation_method: string;
  /** JSON: ServiceCapabilities the chosen providers must offer (e.g. Lb.SupportedLbAlgorithms includes leastconn) */
  required_capabilities: string;
  state: string;
  created_at: number;
  updated_at: number;
  version: number;
};

export type UsersTable = {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  disabled: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
};

export type SessionsTable = {
  /** SHA-256 of the session token: a database leak gives no usable cookie. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
};

export type AuditLogTable = {
  id: Generated<number>;
  at: number;
  actor_id: string | null;
  actor_name: string;
  /** The API token the actor used (migration 016); null for a session or the system. */
  actor_token_id: Generated<string | null>;
  action: string;
  target_type: string;
  target_id: string | null;
  /** JSON, secrets already removed */
  before: string | null;
  after: string | null;
};

export type SettingsTable = { key: string; value: string; updated_at: number };

/** Inventory, users and audit tables (migration 001). */
export type InventoryTables = {
  zones: ZonesTable;
  physical_networks: PhysicalNetworksTable;
  providers: ProvidersTable;
  controllers: ControllersTable;
  controller_health: ControllerHealthTable;
  offerings: OfferingsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
};

export type Database = InventoryTables &
  ApiTokenTables &
  EngineTables &
  DiagnosticsTables &
  PublicServicesTables &
  PublicIpTables &
  NetworkAclTables &
  PortForwardingTables &
  ConnectivityTables;
