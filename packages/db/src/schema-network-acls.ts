// Network ACL tables (migration 009): lists, their rules, and which list each tier uses.

export type NetworkAclListsTable = {
  id: string;
  /** null for the built-in lists default_allow and default_deny. */
  vpc_id: string | null;
  name: string;
  description: string;
  builtin: number;
  /** 'Active' | 'Applying' | 'Error' */
  state: string;
  /** "<category>: <message>" of the last failed apply, or null. */
  last_error: string | null;
  job_id: string | null;
  created_at: number;
  updated_at: number;
  version: number;
};

export type NetworkAclRulesTable = {
  id: string;
  list_id: string;
  number: number;
  action: string;
  protocol: string;
  traffic_type: string;
  port_start: number | null;
  port_end: number | null;
  icmp_type: number | null;
  icmp_code: number | null;
  /** JSON: string[] */
  cidrs: string;
  description: string;
  created_at: number;
  updated_at: number;
};

/** A tier without a row uses default_deny. */
export type NetworkAclAssignmentsTable = { network_id: string; list_id: string; updated_at: number };

export type NetworkAclTables = {
  network_acl_lists: NetworkAclListsTable;
  network_acl_rules: NetworkAclRulesTable;
  network_acl_assignments: NetworkAclAssignmentsTable;
};
