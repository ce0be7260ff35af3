// zones.*: list and read for every role; create, update, delete for admins.

import { zonesRepo } from '@netplane/db';
import { idInput, zoneCreateInput, zoneSchema, zoneUpdateInput } from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import * as zones from '../../services/inventory/zones';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const ok = z.object({ ok: z.literal(true) });

export const zonesRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/zones', 'Zones', 'List zones'))
    .output(z.array(zoneSchema))
    .query(({ ctx }) => zonesRepo.listZones(ctx.db)),
  get: viewerProcedure
    .meta(rest('GET', '/zones/{id}', 'Zones', 'Read a zone'))
    .input(idInput)
    .output(zoneSchema)
    .query(({ ctx, input }) => zones.getZone(ctx, input.id)),
  create: adminProcedure
    .meta(rest('POST', '/zones', 'Zones', 'Create a zone'))
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
