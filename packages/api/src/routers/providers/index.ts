// providers.*: network service providers of physical networks; reads for every role, changes for admins.
import { providersRepo } from '@netplane/db';
import {
  idInput,
  idSchema,
  providerCreateInput,
  providerSchema,
  providerStateInput,
  providerUpdateInput,
} from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import { getPhysicalNetwork } from '../../services/inventory/physical-networks';
import * as providers from '../../services/inventory/providers';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const ok = z.object({ ok: z.literal(true) });

export const providersRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/providers', 'Providers', 'List providers'))
    .input(z.object({ physicalNetworkId: idSchema.optional() }).default({}))
    .output(z.array(providerSchema))
    .query(async ({ ctx, input }) => {
      if (input.physicalNetworkId !== undefined) await getPhysicalNetwork(ctx, input.physicalNetworkId);
      return providersRepo.listProviders(ctx.db, input.physicalNetworkId);
    }),
  get: viewerProcedure
    .meta(rest('GET', '/providers/{id}', 'Providers', 'Read a provider'))
    .input(idInput)
    .output(providerSchema)
    .query(({ ctx, input }) => providers.getProvider(ctx, input.id)),
  create: adminProcedure
    .meta(rest('POST', '/providers', 'Providers', 'Add a provider (an adapter on a physical network)'))
    .input(providerCreateInput)
    .output(providerSchema)
    .mutation(({ ctx, input }) => providers.createProvider(ctx, input)),
  /** Enabled services and capability narrowing (and the name). */
  update: adminProcedure
    .input(providerUpdateInput)
    .output(providerSchema)
    .mutation(({ ctx, input }) => providers.updateProvider(ctx, input)),
  setState: adminProcedure
    .meta(rest('POST', '/providers/{id}/state', 'Providers', 'Enable or disable a provider'))
    .input(providerStateInput)
    .output(providerSchema)
    .mutation(({ ctx, input }) => providers.setProviderState(ctx, input.id, input.state)),
  delete: adminProcedure
    .input(idInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await providers.deleteProvider(ctx, input.id);
      return { ok: true as const };
    }),
});
