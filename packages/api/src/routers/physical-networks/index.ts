// physicalNetworks.*: reads for every role; create, update, state and delete for admins.
import { physicalNetworksRepo } from '@netplane/db';
import {
  idInput,
  idSchema,
  physicalNetworkCreateInput,
  physicalNetworkSchema,
  physicalNetworkStateInput,
  physicalNetworkUpdateInput,
  RANGE_KINDS,
} from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import * as pns from '../../services/inventory/physical-networks';
import { getZone } from '../../services/inventory/zones';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const ok = z.object({ ok: z.literal(true) });
const rangeUsage = z.array(
  z.object({
    kind: z.enum(RANGE_KINDS),
    start: z.number().int(),
    end: z.number().int(),
    size: z.number().int(),
    used: z.number().int(),
  }),
);

export const physicalNetworksRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/physical-networks', 'Physical networks', 'List physical networks'))
    .input(z.object({ zoneId: idSchema.optional() }).default({}))
    .output(z.array(physicalNetworkSchema))
    .query(async ({ ctx, input }) => {
      if (input.zoneId !== undefined) await getZone(ctx, input.zoneId);
      return physicalNetworksRepo.listPhysicalNetworks(ctx.db, input.zoneId);
    }),
  get: viewerProcedure
    .meta(rest('GET', '/physical-networks/{id}', 'Physical networks', 'Read a physical network'))
    .input(idInput)
    .output(physicalNetworkSchema)
    .query(({ ctx, input }) => pns.getPhysicalNetwork(ctx, input.id)),
  /** Size and use of each range; "used" comes from the engine's allocations (a seam until issue 4 fills it). */
  rangeUsage: viewerProcedure
    .input(idInput)
    .output(rangeUsage)
    .query(({ ctx, input }) => pns.rangeUsage(ctx, input.id)),
  create: adminProcedure
    .meta(rest('POST', '/physical-networks', 'Physical networks', 'Create a physical network'))
    .input(physicalNetworkCreateInput)
    .output(physicalNetworkSchema)
    .mutation(({ ctx, input }) => pns.createPhysicalNetwork(ctx, input)),
  update: adminProcedure
    .input(physicalNetworkUpdateInput)
    .output(physicalNetworkSchema)
    .mutation(({ ctx, input }) => pns.updatePhysicalNetwork(ctx, input)),
  setState: adminProcedure
    .meta(
      rest(
        'POST',
        '/physical-networks/{id}/state',
        'Physical networks',
        'Enable or disable a physical network',
      ),
    )
    .input(physicalNetworkStateInput)
    .output(physicalNetworkSchema)
    .mutation(({ ctx, input }) => pns.setPhysicalNetworkState(ctx, input.id, input.state)),
  delete: adminProcedure
    .input(idInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await pns.deletePhysicalNetwork(ctx, input.id);
      return { ok: true as const };
    }),
});
