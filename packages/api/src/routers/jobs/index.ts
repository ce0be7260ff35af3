// jobs.*: list, detail with progress and steps, cancel, retry, and a subscription (SSE) that pushes progress.

import { jobsRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, supportProcedure, viewerProcedure } from '../../trpc';
import { optionalPageInput, pageOutput } from '../pagination';
import { idInput, jobDetailSchema, jobRefSchema, jobSchema } from '../vpcs/schemas';

export const jobsRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/jobs', 'Jobs', 'List jobs (one page)'))
    .input(
      optionalPageInput(jobsRepo.JOB_SORTS, {
        state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
        vpcId: z.uuid().optional(),
        targetId: z.uuid().optional(),
        kind: z.string().max(32).optional(),
        stuck: z.boolean().optional(),
      }),
    )
    .output(pageOutput(jobSchema))
    .query(({ ctx, input }) => ctx.deps.engine.pageJobs(input)),

  get: viewerProcedure
    .meta(rest('GET', '/jobs/{id}', 'Jobs', 'Read a job with its steps'))
    .input(idInput)
    .output(jobDetailSchema)
    .query(async ({ ctx, input }) => {
      const job = await ctx.deps.engine.getJob(input.id);
      if (!job) throw new AppError('NOT_FOUND', `Job ${input.id} does not exist`);
      return job;
    }),

  cancel: operatorProcedure
    .input(idInput)
    .output(z.object({ outcome: z.enum(['cancelled', 'requested', 'final']) }))
    .mutation(async ({ ctx, input }) => {
      // An unknown id is a 404 with nothing audited, not a 'final' outcome on a job that never was.
      if (!(await ctx.deps.engine.getJob(input.id))) {
        throw new AppError('NOT_FOUND', `Job ${input.id} does not exist`);
      }
      const outcome = await ctx.deps.engine.cancel(input.id);
      await recordAudit(ctx, 'job.cancel', { type: 'job', id: input.id }, null, { outcome });
      return { outcome };
    }),

  /** Retry a failed job, or the last failed operation on a tier, VPC or NIC in Error (a diagnostics action). */
  retry: supportProcedure
    .input(z.union([z.object({ jobId: z.uuid() }), z.object({ targetId: z.uuid() })]))
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const ref = await ctx.deps.engine.retry(input, actorOf(ctx));
      const target =
        'jobId' in input ? { type: 'job', id: input.jobId } : { type: 'entity', id: input.targetId };
      await recordAudit(ctx, 'job.retry', target, null, ref);
      return ref;
    }),

  /** Pushes the job each time its state or progress changes, until it ends (tRPC subscription over SSE). */
  watch: viewerProcedure.input(idInput).subscription(async function* ({ ctx, input, signal }) {
    for await (const job of ctx.deps.engine.watch(input.id, signal)) yield jobSchema.parse(job);
  }),
});
