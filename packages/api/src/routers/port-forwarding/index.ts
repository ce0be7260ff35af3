// portForwarding.*: a port range of an acquired public IP onto one Reserved NIC of the VPC (CloudStack's
// createPortForwardingRule): create, delete, retry a rule in Error; a paged list per VPC. Each mutation is one
// durable job; the rule row carries its state (Add → Active, Revoke → gone, Error). Conflicts (an overlapping range
// on the address and protocol, a static NAT on the address, an LB rule on an overlapping port) are a CONFLICT whose
// details.reason says which.
import { createPortForwardingSchema, pageRequestFields, portForwardingViewSchema } from '@netplane/domain';
import { z } from 'zod';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { pageOutput } from '../pagination';
import { idInput, jobRefSchema } from '../vpcs/schemas';

export const portForwardingRouter = router({
  list: viewerProcedure
    .input(z.object({ vpcId: z.uuid(), ...pageRequestFields }))
    .output(pageOutput(portForwardingViewSchema))
    .query(({ ctx, input }) =>
      ctx.deps.engine.portForwarding.list({
        vpcId: input.vpcId,
        limit: input.limit,
        ...(input.cursor !== undefined && { cursor: input.cursor }),
      }),
    ),

  create: operatorProcedure
    .input(createPortForwardingSchema)
    .output(z.object({ rule: portForwardingViewSchema, jobId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.portForwarding.create(input, actorOf(ctx));
      await recordAudit(ctx, 'portForwarding.create', { type: 'portForward', id: r.rule.id }, null, r);
      return r;
    }),

  delete: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.portForwarding.delete(input.id, actorOf(ctx));
      await recordAudit(ctx, 'portForwarding.delete', { type: 'portForward', id: input.id }, null, r);
      return r;
    }),

  /** Repeats the failed operation (apply, or revoke) of a rule in Error. */
  retry: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.portForwarding.retry(input.id, actorOf(ctx));
      await recordAudit(ctx, 'portForwarding.retry', { type: 'portForward', id: input.id }, null, r);
      return r;
    }),
});
