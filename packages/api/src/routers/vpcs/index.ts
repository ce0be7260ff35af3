// vpcs.*: list (filters state/zone/condition), detail, create, destroy, reconcile and repair. Thin: one engine call each.
import { AppError, CONDITION_STATUSES, CONDITION_TYPES, nameSchema } from '@netplane/domain';
import { z } from 'zod';
import { recordAudit } from '../../services/audit';
import { actorOf, engineOf } from '../../services/engine';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { idInput, jobRefSchema, vpcDetailSchema, vpcSchema } from './schemas';

const listInput = z
  .object({
    state: z.string().max(32).optional(),
    zoneId: z.uuid().optional(),
    condition: z.object({ type: z.enum(CONDITION_TYPES), status: z.enum(CONDITION_STATUSES) }).optional(),
    includeDestroyed: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .default({ includeDestroyed: false, limit: 200 });

export const vpcsRouter = router({
  list: viewerProcedure
    .input(listInput)
    .output(z.array(vpcSchema))
    .query(async ({ ctx, input }) => {
      const vpcs = await engineOf(ctx.deps).listVpcs({
        ...(input.state !== undefined && { state: input.state }),
        ...(input.zoneId !== undefined && { zoneId: input.zoneId }),
        includeDestroyed: input.includeDestroyed,
        limit: input.limit,
      });
      const c = input.condition;
      return c
        ? vpcs.filter((v) => v.conditions.some((x) => x.type === c.type && x.status === c.status))
        : vpcs;
    }),

  get: viewerProcedure
    .input(idInput)
    .output(vpcDetailSchema)
    .query(async ({ ctx, input }) => {
      const vpc = await engineOf(ctx.deps).getVpc(input.id);
      if (!vpc) throw new AppError('NOT_FOUND', `VPC ${input.id} does not exist`);
      return vpc;
    }),

  create: operatorProcedure
    .input(
      z.object({
        name: nameSchema,
        zoneId: z.uuid(),
        offeringId: z.uuid(),
        cidr: z.string().trim().min(9).max(18),
      }),
    )
    .output(vpcSchema)
    .mutation(async ({ ctx, input }) => {
      const vpc = await engineOf(ctx.deps).createVpc(input, actorOf(ctx));
      await recordAudit(ctx, 'vpc.create', { type: 'vpc', id: vpc.id }, null, vpc);
      return vpc;
    }),

  destroy: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const ref = await engineOf(ctx.deps).destroyVpc(input.id, actorOf(ctx));
      await recordAudit(ctx, 'vpc.destroy', { type: 'vpc', id: input.id }, null, ref);
      return ref;
    }),

  reconcile: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const ref = await engineOf(ctx.deps).reconcile(input.id, actorOf(ctx));
      await recordAudit(ctx, 'vpc.reconcile', { type: 'vpc', id: input.id }, null, ref);
      return ref;
    }),

  repair: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const ref = await engineOf(ctx.deps).repair(input.id, actorOf(ctx));
      await recordAudit(ctx, 'vpc.repair', { type: 'vpc', id: input.id }, null, ref);
      return ref;
    }),
});
