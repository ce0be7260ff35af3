// Public IP tables (migration 009): ranges of a zone's Public traffic and the addresses acquired from them.

export type PublicIpRangesTable = {
  id: string;
  zone_id: string;
  physical_network_id: string;
  cidr: string;
  gateway: string;
  vlan: number | null;
  start_ip: string;
  end_ip: string;
  start_num: number;
  end_num: number;
  gateway_num: number;
  created_at: number;
  updated_at: number;
  version: number;
};

/** One row per acquired address; releasing deletes it. */
export type PublicIpsTable = {
  id: string;
  zone_id: string;
  range_id: string;
  vpc_id: string;
  address: string;
  address_num: number;
  /** 'SourceNat' | 'User' */
  purpose: string;
  /** The VPC id when purpose is SourceNat, else null (unique: one source-NAT address per VPC). */
  source_nat_of: string | null;
  acquired_by: string;
  acquired_at: number;
};

export type PublicIpTables = { public_ip_ranges: PublicIpRangesTable; public_ips: PublicIpsTable };
