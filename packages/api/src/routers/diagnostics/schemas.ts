// Output schemas of the diagnostics router: only declared fields leave the server.
import { DIAGNOSIS_ACTIONS, evidenceSchema } from '@netplane/domain';
import { z } from 'zod';

export const diagnosisRecordSchema = z.object({
  id: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  /** The tier's or VPC's name, "vm (ip)" for a NIC; null for a job or a target deleted since. */
  targetName: z.string().nullable(),
  vpcId: z.string().nullable(),
  vpcName: z.string().nullable(),
  jobId: z.string().nullable(),
  category: z.string(),
  title: z.string(),
  sentence: z.string(),
  evidence: evidenceSchema,
  remediation: z.string(),
  actions: z.array(z.enum(DIAGNOSIS_ACTIONS)),
  rootCauseId: z.string().nullable(),
  createdAt: z.number(),
  resolvedAt: z.number().nullable(),
});

export const diagnosisViewSchema = diagnosisRecordSchema.extend({ caused: z.array(diagnosisRecordSchema) });

export const stuckItemSchema = z.object({
  kind: z.enum(['job', 'vpc', 'network', 'nic']),
  id: z.string(),
  vpcId: z.string().nullable(),
  state: z.string(),
  since: z.number(),
  deadline: z.number(),
  reason: z.string(),
});
