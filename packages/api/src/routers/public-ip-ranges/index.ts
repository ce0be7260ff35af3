// publicIpRanges.*: the zone's Public traffic address ranges (CloudStack's createVlanIpRange / listVlanIpRanges /
// deleteVlanIpRange). Reads for every role, with usage counts; create and delete for admins (inventory).
import { idInput, idSchema, publicIpRangeCreateInput, publicIpRangeSchema } from '@netplane/domain';
import { z } from 'zod';
import * as ranges from '../../services/inventory/public-ip-ranges';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

export const publicIpRangesRouter = router({
  list: viewerProcedure
    .input(z.object({ zoneId: idSchema }))
    .output(z.array(publicIpRangeSchema))
    .query(({ ctx, input }) => ranges.listRanges(ctx, input.zoneId)),
  create: adminProcedure
    .input(publicIpRangeCreateInput)
    .output(publicIpRangeSchema)
    .mutation(({ ctx, input }) => ranges.createRange(ctx, input)),
  /** Refused (IN_USE) while an address of the range is acquired. */
  delete: adminProcedure
    .input(idInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ranges.deleteRange(ctx, input.id);
      return { ok: true as const };
    }),
});
