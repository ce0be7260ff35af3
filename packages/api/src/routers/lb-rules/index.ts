// lbRules.*: load-balancing rules of a tier (an acquired address's publicPort/protocol over the members' privatePort). The
// algorithm and protocol are checked against the provider's narrowed Lb capabilities before any call.
import {
  lbAlgorithmSchema,
  lbProtocolSchema,
  lbRuleViewSchema,
  nicIdsSchema,
  portSchema,
  ruleNameSchema,
} from '@netplane/domain';
import { z } from 'zod';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { idInput, jobRefSchema } from '../vpcs/schemas';

export const lbRulesRouter = router({
  list: viewerProcedure
    .input(z.object({ vpcId: z.uuid() }))
    .output(z.array(lbRuleViewSchema))
    .query(({ ctx, input }) => ctx.deps.engine.listLbRules(input.vpcId)),

  create: operatorProcedure
    .input(
      z.object({
        /** The tier the members sit on (nics.* says tierId too). */
        tierId: z.uuid(),
        name: ruleNameSchema,
        /** An address the tier's VPC acquired (publicIps.acquire); LB rules share one on distinct ports. */
        publicIpId: z.uuid(),
        publicPort: portSchema,
        privatePort: portSchema,
        protocol: lbProtocolSchema,
        algorithm: lbAlgorithmSchema,
        nicIds: nicIdsSchema,
      }),
    )
    .output(z.object({ rule: lbRuleViewSchema, jobId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const { tierId, ...rule } = input;
      const r = await ctx.deps.engine.createLbRule({ ...rule, networkId: tierId }, actorOf(ctx));
      await recordAudit(ctx, 'lbRule.create', { type: 'lbRule', id: r.rule.id }, null, r);
      return r;
    }),

  /** Replaces the member set; the rule is applied again with it. */
  setMembers: operatorProcedure
    .input(z.object({ id: z.uuid(), nicIds: nicIdsSchema }))
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const engine = ctx.deps.engine;
      const before = (await engine.getLbRule(input.id))?.members.map((m) => m.nicId) ?? null;
      const r = await engine.setLbMembers(input.id, input.nicIds, actorOf(ctx));
      await recordAudit(
        ctx,
        'lbRule.setMembers',
        { type: 'lbRule', id: input.id },
        { nicIds: before },
        { nicIds: input.nicIds, ...r },
      );
      return r;
    }),

  delete: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.deleteLbRule(input.id, actorOf(ctx));
      await recordAudit(ctx, 'lbRule.delete', { type: 'lbRule', id: input.id }, null, r);
      return r;
    }),

  /** Repeats the failed operation (apply, or revoke) of a rule in Error. */
  retry: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.retryLbRule(input.id, actorOf(ctx));
      await recordAudit(ctx, 'lbRule.retry', { type: 'lbRule', id: input.id }, null, r);
      return r;
    }),
});
