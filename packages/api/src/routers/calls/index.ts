// calls.*: the element call log by VPC, by job, or by target (tier or NIC), newest first, one keyset page; summaries are
// redacted. calls.rates: the calls started per interval of a recent window, by outcome, counted in SQL (the dashboard).
import { callRatesRepo, elementCallsRepo } from '@netplane/db';
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

const count = z.number().int().nonnegative();
const ratesOutput = z.object({
  buckets: z.array(
    z.object({ start: z.number(), ok: count, failed: count, inFlight: count, abandoned: count }),
  ),
  bucketMs: z.number(),
  until: z.number(),
});

export const callsRouter = router({
  /** Calls started in each of the last `buckets` intervals (oldest first): the dashboard's calls per minute and error rate. */
  rates: viewerProcedure
    .input(
      z
        .object({
          buckets: z.number().int().min(1).max(60).default(5),
          bucketSeconds: z.number().int().min(10).max(3600).default(60),
        })
        .default({ buckets: 5, bucketSeconds: 60 }),
    )
    .output(ratesOutput)
    .query(({ ctx, input }) =>
      callRatesRepo.callRates(ctx.db, {
        until: ctx.deps.now(),
        buckets: input.buckets,
        bucketMs: input.bucketSeconds * 1000,
      }),
    ),
  /** The newest calls of every VPC. */
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
