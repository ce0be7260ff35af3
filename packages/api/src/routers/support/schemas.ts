// Output schemas of the support router.
import { z } from 'zod';

export const triageRecordSchema = z.object({
  vpcId: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
  assignedTo: z.string().nullable(),
  note: z.string(),
  updatedAt: z.number(),
});

export const triageQueueItemSchema = z.object({
  vpcId: z.string(),
  vpcName: z.string().nullable(),
  vpcState: z.string().nullable(),
  since: z.number(),
  openDiagnoses: z.number(),
  stuckItems: z.number(),
  rootCause: z
    .object({ id: z.string(), category: z.string(), title: z.string(), sentence: z.string() })
    .nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
  assignedTo: z.string().nullable(),
  note: z.string(),
});

/** Rows are already redacted by the engine; their columns are many and vary, so they pass as records. */
const rows = z.array(z.unknown());
export const bundleSchema = z.object({
  format: z.literal('netplane-support-bundle/1'),
  generatedAt: z.number(),
  vpcId: z.string(),
  vpc: z.unknown(),
  triage: z.unknown(),
  networks: rows,
  networkElements: rows,
  controllers: rows,
  nics: rows,
  staticNatRules: rows,
  lbRules: rows,
  lbMembers: rows,
  portForwardingRules: rows,
  aclLists: rows,
  aclRules: rows,
  aclAssignments: rows,
  transitions: rows,
  jobs: rows,
  jobSteps: rows,
  elementCalls: rows,
  negotiationTraces: rows,
  diagnoses: rows,
  audit: rows,
  connectivityTraces: rows,
  connectivityMatrices: rows,
});
