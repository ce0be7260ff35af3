// Public-service tables (migration 005; public_ip_id from 013): static NAT rules, load-balancing rules and their members.

/** 'Add' | 'Active' | 'Revoke' | 'Error' (CloudStack's FirewallRule states). */
export type StaticNatRulesTable = {
  id: string;
  vpc_id: string;
  network_id: string;
  nic_id: string;
  zone_id: string;
  public_ip: string;
  /** The acquired address (public_ips.id) the rule uses; null only on a rule older than migration 013. */
  public_ip_id: string | null;
  private_ip: string;
  state: string;
  /** 'apply' | 'revoke': the operation the last job ran, repeated by a retry. */
  last_op: string;
  /** "<category>: <message>" of the failed call, or null. */
  last_error: string | null;
  job_id: string | null;
  /** JSON: Condition[], the rule's Realized condition (migration 017; '[]' until the first check). */
  conditions: string;
  created_at: number;
  updated_at: number;
  version: number;
};

export type LbRulesTable = {
  id: string;
  vpc_id: string;
  network_id: string;
  zone_id: string;
  name: string;
  public_ip: string;
  public_ip_id: string | null;
  public_port: number;
  private_port: number;
  protocol: string;
  algorithm: string;
  state: string;
  last_op: string;
  last_error: string | null;
  job_id: string | null;
  /** JSON: Condition[], the rule's Realized condition (migration 017; '[]' until the first check). */
  conditions: string;
  created_at: number;
  updated_at: number;
  version: number;
};

export type LbMembersTable = { rule_id: string; nic_id: string; created_at: number };

export type PublicServicesTables = {
  static_nat_rules: StaticNatRulesTable;
  lb_rules: LbRulesTable;
  lb_members: LbMembersTable;
};
