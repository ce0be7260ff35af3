// zones.*: list and read for every role; create, update, delete for admins.

import { zonesRepo } from '@netplane/db';
import { idInput, zoneCreateInput, zoneSchema, zoneUpdateInput } from '@netplane/domain';
import { z } from 'zod';
import * as zones from '../../services/inventory/zones';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const ok = z.object({ ok: z.literal(true) });

export const zonesRouter = router({
  list: viewerProcedure.output(z.array(zoneSchema)).query(({ ctx }) => zonesRepo.listZones(ctx.db)),
  get: viewerProcedure
    .input(idInput)
    .output(zoneSchema)
    .query(({ ctx, input }) => zones.getZone(ctx, input.id)),
  create: adminProcedure
    .input(zoneCreateInput)
    .output(zoneSchema)
    .mutation(({ ctx, input }) => zones.createZone(ctx, input)),
  update: adminProcedure
    .input(zoneUpdateInput)
    .output(zoneSchema)
    .mutation(({ ctx, input }) => zones.updateZone(ctx, input)),
  delete: adminProcedure
    .input(idInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await zones.deleteZone(ctx, input.id);
      return { ok: true as const };
    }),
});
