// Diagnostics tables (migration 004): diagnoses of resources in Error and the support triage of VPCs.
export type DiagnosesTable = {
  id: string;
  /** 'vpc' | 'network' | 'nic' | 'job' */
  target_type: string;
  target_id: string;
  vpc_id: string | null;
  job_id: string | null;
  category: string;
  title: string;
  sentence: string;
  /** JSON: DiagnosisEvidence, redacted */
  evidence: string;
  remediation: string;
  /** JSON: DiagnosisAction[] */
  actions: string;
  root_cause_id: string | null;
  created_at: number;
  resolved_at: number | null;
};

export type TriageTable = {
  vpc_id: string;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  assigned_to: string | null;
  note: string;
  updated_at: number;
  version: number;
};

export type DiagnosticsTables = { diagnoses: DiagnosesTable; triage: TriageTable };
