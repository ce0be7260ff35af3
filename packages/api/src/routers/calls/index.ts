// calls.*: the element call log by VPC, by job, or by target (tier or NIC), newest first, one keyset page; summaries are redacted.
import { elementCallsRepo } from '@netplane/db';
import { CALL_OUTCOMES } from '@netplane/domain';
import { z } from 'zod';
import { router, viewerProcedure } from '../../trpc';
import { optionalPageInput, pageInput, pageOutput } from '../pagination';
import { callSchema } from '../vpcs/schemas';

const common = {
  outcome: z.enum(CALL_OUTCOMES).optional(),
  controllerId: z.uuid().optional(),
};
const output = pageOutput(callSchema);

export const callsRouter = router({
  /** The newest calls of every VPC (the dashboard's calls per minute and error rate). */
  recent: viewerProcedure
    .input(optionalPageInput(elementCallsRepo.CALL_SORTS, common))
    .output(output)
    .query(({ ctx, input }) => ctx.deps.engine.pageCalls(input)),
  byVpc: viewerProcedure
    .input(pageInput(elementCallsRepo.CALL_SORTS, { vpcId: z.uuid(), ...common }))
    .output(output)
    .query(({ ctx, input }) => ctx.deps.engine.pageCalls(input)),
  byJob: viewerProcedure
    .input(pageInput(elementCallsRepo.CALL_SORTS, { jobId: z.uuid(), ...common }))
    .output(output)
    .query(({ ctx, input }) => ctx.deps.engine.pageCalls(input)),
  byTarget: viewerProcedure
    .input(pageInput(elementCallsRepo.CALL_SORTS, { targetId: z.uuid(), ...common }))
    .output(output)
    .query(({ ctx, input }) => ctx.deps.engine.pageCalls(input)),
});
