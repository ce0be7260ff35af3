// diagnostics: why things are in Error (grouped by root cause), what is stuck, and the actions support can take.

import { AppError } from '@netplane/domain';
import { getDiagnosisView, listStuckWork, pageDiagnosisViews } from '@netplane/engine';
import { z } from 'zod';
import { router, viewerProcedure } from '../../trpc';
import { optionalPageInput, pageOutput } from '../pagination';
import { diagnosisActionProcedures } from './actions';
import { diagnosisViewSchema, stuckItemSchema } from './schemas';

export const diagnosticsRouter = router({
  /** One page of open (or all) diagnoses of one VPC or of every VPC, oldest first, what they caused nested. */
  list: viewerProcedure
    .input(
      optionalPageInput(['createdAt'], {
        vpcId: z.uuid().optional(),
        category: z.string().min(1).max(32).optional(),
        openOnly: z.boolean().default(true),
      }),
    )
    .output(pageOutput(diagnosisViewSchema))
    .query(({ ctx, input }) => {
      const { sort: _sort, dir: _dir, ...q } = input;
      return pageDiagnosisViews(ctx.db, { ...q, now: ctx.deps.now() });
    }),

  get: viewerProcedure
    .input(z.object({ id: z.uuid() }))
    .output(diagnosisViewSchema)
    .query(async ({ ctx, input }) => {
      const view = await getDiagnosisView(ctx.db, input.id);
      if (!view) throw new AppError('NOT_FOUND', `Diagnosis ${input.id} does not exist`);
      return view;
    }),

  /** Jobs past their deadline and entities stuck in a transitional state, oldest first. */
  stuck: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).default(200) }).default({ limit: 200 }))
    .output(z.array(stuckItemSchema))
    .query(({ ctx, input }) => listStuckWork(ctx.db, { now: ctx.deps.now(), limit: input.limit })),

  ...diagnosisActionProcedures,
});
