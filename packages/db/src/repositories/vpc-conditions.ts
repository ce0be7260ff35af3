// The condition columns of a VPC (migrations 014 and 017): the status of each condition type the VPC list filters on, kept
// next to the JSON `conditions` by every write of it, so the filter and its count seek an index instead of parsing
// every VPC's JSON (docs/benchmarks.md).

/** The condition types with a column of their own, and that column. */
export const VPC_CONDITION_COLUMNS = {
  Ready: 'ready_status',
  Synced: 'synced_status',
  Realized: 'realized_status',
} as const;
export type VpcConditionType = keyof typeof VPC_CONDITION_COLUMNS;
export const VPC_CONDITION_TYPES = Object.keys(VPC_CONDITION_COLUMNS) as [
  VpcConditionType,
  ...VpcConditionType[],
];

export type VpcConditionColumns = {
  ready_status: string | null;
  synced_status: string | null;
  realized_status: string | null;
};

/**
 * The columns for a stored conditions value: per type, the status of its first element of that type; NULL when there
 * is none, the status is not a short string, or the value is not a JSON array (a hand-edited value matches nothing
 * rather than failing the write, as the JSON match did).
 */
export function vpcConditionColumns(conditions: string): VpcConditionColumns {
  let parsed: unknown;
  try {
    parsed = JSON.parse(conditions);
  } catch {
    parsed = undefined;
  }
  const statusOf = (type: VpcConditionType): string | null => {
    if (!Array.isArray(parsed)) return null;
    const c = parsed.find((e) => typeof e === 'object' && e !== null && e.type === type) as
      | { status?: unknown }
      | undefined;
    return typeof c?.status === 'string' && c.status.length <= 32 ? c.status : null;
  };
  return {
    ready_status: statusOf('Ready'),
    synced_status: statusOf('Synced'),
    realized_status: statusOf('Realized'),
  };
}
