// The connectivity check tables (migration 018): recorded traces and reachability matrices.

export type ConnectivityTracesTable = {
  id: string;
  vpc_id: string;
  matrix_id: string | null;
  actor: string;
  outcome: string;
  reason: string;
  /** JSON: the API input (ConnectivityTraceInput). */
  input: string;
  /** JSON: the TraceResult. */
  result: string;
  controller_id: string | null;
  duration_ms: number;
  created_at: number;
};

export type ConnectivityMatricesTable = {
  id: string;
  vpc_id: string;
  kind: string;
  change_id: string | null;
  change_label: string | null;
  actor: string;
  /** JSON: the flows asked for. */
  protocols: string;
  /** JSON: tiers and cells. */
  matrix: string;
  duration_ms: number;
  created_at: number;
};

export type ConnectivityTables = {
  connectivity_traces: ConnectivityTracesTable;
  connectivity_matrices: ConnectivityMatricesTable;
};
