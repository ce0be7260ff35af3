// The port forwarding table (migration 015).

export type PortForwardingRulesTable = {
  id: string;
  vpc_id: string;
  network_id: string;
  nic_id: string;
  zone_id: string;
  public_ip_id: string;
  public_ip: string;
  private_ip: string;
  protocol: string;
  public_port_start: number;
  public_port_end: number;
  private_port_start: number;
  private_port_end: number;
  /** 'Add' | 'Active' | 'Revoke' | 'Error' (CloudStack's FirewallRule states). */
  state: string;
  /** 'apply' | 'revoke': the operation the last job ran, repeated by a retry. */
  last_op: string;
  last_error: string | null;
  job_id: string | null;
  /** JSON: Condition[], the rule's Realized condition (migration 017; '[]' until the first check). */
  conditions: string;
  created_at: number;
  updated_at: number;
  version: number;
};

export type PortForwardingTables = { port_forwarding_rules: PortForwardingRulesTable };
