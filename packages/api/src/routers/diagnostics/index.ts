// diagnostics: why things are in Error (grouped by root cause), what is stuck, and the actions support can take.

import { AppError } from '@netplane/domain';
import { getDiagnosisView, listDiagnosisViews, listStuckWork } from '@netplane/engine';
import { z } from 'zod';
import { router, viewerProcedure } from '../../trpc';
import { diagnosisActionProcedures } from './actions';
import { diagnosisViewSchema, stuckItemSchema } from './schemas';

export const diagnosticsRouter = router({
  /** Open (or all) diagnoses of one VPC, or of every VPC, root causes first with what they caused nested. */
  list: viewerProcedure
    .input(
      z
        .object({
          vpcId: z.uuid().optional(),
          openOnly: z.boolean().default(true),
          limit: z.number().int().min(1).max(1000).default(200),
        })
        .default({ openOnly: true, limit: 200 }),
    )
    .output(z.array(diagnosisViewSchema))
    .query(({ ctx, input }) =>
      listDiagnosisViews(ctx.db, {
        openOnly: input.openOnly,
        limit: input.limit,
        now: ctx.deps.now(),
        ...(input.vpcId ? { vpcId: input.vpcId } : {}),
      }),
    ),

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
