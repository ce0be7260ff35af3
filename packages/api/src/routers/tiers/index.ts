// tiers.*: create a tier from a network offering; implement, shut down, destroy (jobs); detail and negotiation traces.
import { AppError, nameSchema } from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { idInput, jobRefSchema, tierSchema, traceSchema, transitionSchema } from '../vpcs/schemas';

const lifecycle = (action: 'implement' | 'shutdown' | 'destroy') =>
  operatorProcedure
    .meta(
      action === 'destroy'
        ? rest('DELETE', '/tiers/{id}', 'Tiers', 'Destroy a tier (a job)')
        : rest(
            'POST',
            `/tiers/{id}/${action}`,
            'Tiers',
            `${action === 'implement' ? 'Implement' : 'Shut down'} a tier (a job)`,
          ),
    )
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const engine = ctx.deps.engine;
      const actor = actorOf(ctx);
      const ref =
        action === 'implement'
          ? await engine.implementTier(input.id, actor)
          : action === 'shutdown'
            ? await engine.shutdownTier(input.id, actor)
            : await engine.destroyTier(input.id, actor);
      await recordAudit(ctx, `tier.${action}`, { type: 'network', id: input.id }, null, ref);
      return ref;
    });

export const tiersRouter = router({
  create: operatorProcedure
    .meta(rest('POST', '/tiers', 'Tiers', 'Create a tier in a VPC'))
    .input(
      z.object({
        vpcId: z.uuid(),
        name: nameSchema,
        offeringId: z.uuid(),
        cidr: z.string().trim().min(9).max(18),
        physicalNetworkId: z.uuid().optional(),
      }),
    )
    .output(tierSchema)
    .mutation(async ({ ctx, input }) => {
      const tier = await ctx.deps.engine.createTier(input, actorOf(ctx));
      await recordAudit(ctx, 'tier.create', { type: 'network', id: tier.id }, null, tier);
      return tier;
    }),

  get: viewerProcedure
    .meta(rest('GET', '/tiers/{id}', 'Tiers', 'Read a tier'))
    .input(idInput)
    .output(tierSchema)
    .query(async ({ ctx, input }) => {
      const tier = await ctx.deps.engine.getTier(input.id);
      if (!tier) throw new AppError('NOT_FOUND', `Tier ${input.id} does not exist`);
      return tier;
    }),

  implement: lifecycle('implement'),
  shutdown: lifecycle('shutdown'),
  destroy: lifecycle('destroy'),

  /** Negotiation traces of the tier, newest first: every provider's verdict for every service. */
  traces: viewerProcedure
    .input(z.object({ id: z.uuid(), limit: z.number().int().min(1).max(100).default(10) }))
    .output(z.array(traceSchema))
    .query(({ ctx, input }) => ctx.deps.engine.listTraces({ networkId: input.id, limit: input.limit })),

  transitions: viewerProcedure
    .input(idInput)
    .output(z.array(transitionSchema))
    .query(({ ctx, input }) => ctx.deps.engine.listTransitions([input.id])),
});
