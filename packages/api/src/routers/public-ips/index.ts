// publicIps.*: addresses a VPC holds from its zone's public IP ranges (CloudStack's associateIpAddress). Acquire and
// release are provisioning (admin, operator); list pages in the house shape and every role may read it.

import { publicIpsRepo } from '@netplane/db';
import { idSchema, publicIpPage, publicIpSchemaView } from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import * as publicIps from '../../services/public-ips';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { optionalPageInput } from '../pagination';

export const publicIpsRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/public-ips', 'Public IPs', 'List public IPs (one page)'))
    .input(
      optionalPageInput(publicIpsRepo.PUBLIC_IP_SORTS, {
        vpcId: idSchema.optional(),
        zoneId: idSchema.optional(),
        rangeId: idSchema.optional(),
      }),
    )
    .output(publicIpPage)
    .query(async ({ ctx, input }) => {
      const page = await publicIpsRepo.listPublicIps(ctx.db, input);
      return { ...page, items: page.items.map(publicIps.toPublicIpView) };
    }),
  acquire: operatorProcedure
    .meta(rest('POST', '/public-ips', 'Public IPs', 'Acquire a public IP for a VPC'))
    .input(z.object({ vpcId: idSchema, rangeId: idSchema.optional() }))
    .output(publicIpSchemaView)
    .mutation(({ ctx, input }) => publicIps.acquirePublicIp(ctx, input)),
  /** Refused for the VPC's source-NAT address and for an address a rule still uses. */
  release: operatorProcedure
    .meta(rest('DELETE', '/public-ips/{id}', 'Public IPs', 'Release a public IP'))
    .input(z.object({ id: idSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await publicIps.releasePublicIp(ctx, input.id);
      return { ok: true as const };
    }),
});
