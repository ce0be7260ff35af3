// calls.*: the element call log by VPC, by job, or by target (tier or NIC), newest first; summaries are redacted.
import { z } from 'zod';
import { engineOf } from '../../services/engine';
import { router, viewerProcedure } from '../../trpc';
import { callSchema } from '../vpcs/schemas';

const common = {
  outcome: z.enum(['ok', 'failed']).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
};

export const callsRouter = router({
  /** The newest calls of every VPC (the dashboard's calls per minute and error rate). */
  recent: viewerProcedure
    .input(z.object(common).default({ limit: 200 }))
    .output(z.array(callSchema))
    .query(({ ctx, input }) => engineOf(ctx.deps).listCalls(input)),
  byVpc: viewerProcedure
    .input(z.object({ vpcId: z.uuid(), ...common }))
    .output(z.array(callSchema))
    .query(({ ctx, input }) => engineOf(ctx.deps).listCalls(input)),
  byJob: viewerProcedure
    .input(z.object({ jobId: z.uuid(), ...common }))
    .output(z.array(callSchema))
    .query(({ ctx, input }) => engineOf(ctx.deps).listCalls(input)),
  byTarget: viewerProcedure
    .input(z.object({ targetId: z.uuid(), ...common }))
    .output(z.array(callSchema))
    .query(({ ctx, input }) => engineOf(ctx.deps).listCalls(input)),
});
