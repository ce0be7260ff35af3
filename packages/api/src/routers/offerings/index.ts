// offerings.*: network and VPC offerings; validate is a dry run for the console's live builder.
import {
  idInput,
  offeringDraftSchema,
  offeringListInput,
  offeringProblemSchema,
  offeringSchema,
} from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import * as offerings from '../../services/inventory/offerings';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const ok = z.object({ ok: z.literal(true) });

export const offeringsRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/offerings', 'Offerings', 'List offerings'))
    .input(offeringListInput)
    .output(z.array(offeringSchema))
    .query(({ ctx, input }) => offerings.listOfferings(ctx, input.kind)),
  get: viewerProcedure
    .meta(rest('GET', '/offerings/{id}', 'Offerings', 'Read an offering'))
    .input(idInput)
    .output(offeringSchema)
    .query(({ ctx, input }) => offerings.getOffering(ctx, input.id)),
  create: adminProcedure
    .meta(rest('POST', '/offerings', 'Offerings', 'Create an offering'))
    .input(offeringDraftSchema)
    .output(offeringSchema)
    .mutation(({ ctx, input }) => offerings.createOffering(ctx, input)),
  /** Stores nothing: returns the problems the offering would be rejected with. */
  validate: viewerProcedure
    .input(offeringDraftSchema)
    .output(z.object({ valid: z.boolean(), problems: z.array(offeringProblemSchema) }))
    .query(async ({ ctx, input }) => {
      const problems = await offerings.checkOffering(ctx, input);
      return { valid: problems.length === 0, problems };
    }),
  delete: adminProcedure
    .input(idInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await offerings.deleteOffering(ctx, input.id);
      return { ok: true as const };
    }),
});
