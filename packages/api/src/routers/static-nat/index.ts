// staticNat.*: an acquired public IP of the VPC (publicIpId, from publicIps.acquire) onto one Reserved NIC of the VPC (enable, disable, retry a rule in Error); list per VPC.
// Each mutation is one durable job; the rule row carries its state (Add → Active, Revoke → gone, Error).
import { staticNatViewSchema } from '@netplane/domain';
import { z } from 'zod';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { idInput, jobRefSchema } from '../vpcs/schemas';

export const staticNatRouter = router({
  list: viewerProcedure
    .input(z.object({ vpcId: z.uuid() }))
    .output(z.array(staticNatViewSchema))
    .query(({ ctx, input }) => ctx.deps.engine.listStaticNat(input.vpcId)),

  enable: operatorProcedure
    .input(z.object({ nicId: z.uuid(), publicIpId: z.uuid() }))
    .output(z.object({ rule: staticNatViewSchema, jobId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.enableStaticNat(input, actorOf(ctx));
      await recordAudit(ctx, 'staticNat.enable', { type: 'staticNat', id: r.rule.id }, null, r);
      return r;
    }),

  disable: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.disableStaticNat(input.id, actorOf(ctx));
      await recordAudit(ctx, 'staticNat.disable', { type: 'staticNat', id: input.id }, null, r);
      return r;
    }),

  /** Repeats the failed operation (apply, or revoke) of a rule in Error. */
  retry: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.retryStaticNat(input.id, actorOf(ctx));
      await recordAudit(ctx, 'staticNat.retry', { type: 'staticNat', id: input.id }, null, r);
      return r;
    }),
});
