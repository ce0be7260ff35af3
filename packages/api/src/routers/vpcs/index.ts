// vpcs.*: list (one keyset page; filters state/zone/conditions/name in SQL), detail, create, destroy, reconcile and repair. Thin: one engine call each.

import { vpcsRepo } from '@netplane/db';
import { AppError, CONDITION_STATUSES, nameSchema } from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { optionalPageInput, pageOutput } from '../pagination';
import { idInput, jobRefSchema, vpcDetailSchema, vpcSchema } from './schemas';

const conditionFilter = z.object({
  type: z.enum(vpcsRepo.VPC_CONDITION_TYPES),
  status: z.enum(CONDITION_STATUSES),
});

const listInput = optionalPageInput(vpcsRepo.VPC_SORTS, {
  state: z.string().max(32).optional(),
  zoneId: z.uuid().optional(),
  /** The condition types with an indexed column (vpc-conditions.ts). */
  condition: conditionFilter.optional(),
  /**
   * More conditions that must hold too (each type at most once), e.g. Ready=True, Synced=True, Realized=False: the
   * dashboard's "Implemented and Synced but not Realized".
   */
  conditions: z
    .array(conditionFilter)
    .max(vpcsRepo.VPC_CONDITION_TYPES.length)
    .refine((cs) => new Set(cs.map((c) => c.type)).size === cs.length, 'each condition type at most once')
    .optional(),
  /** Case-insensitive part of the name. */
  name: z.string().trim().min(1).max(255).optional(),
  includeDestroyed: z.boolean().default(false),
});

/** The same filters flat, as a query string carries them (GET /api/v1/vpcs): `condition` becomes two fields. */
const findInput = optionalPageInput(vpcsRepo.VPC_SORTS, {
  state: z.string().max(32).optional(),
  zoneId: z.uuid().optional(),
  conditionType: z.enum(vpcsRepo.VPC_CONDITION_TYPES).optional(),
  conditionStatus: z.enum(CONDITION_STATUSES).optional(),
  name: z.string().trim().min(1).max(255).optional(),
});

export const vpcsRouter = router({
  list: viewerProcedure
    .input(listInput)
    .output(pageOutput(vpcSchema))
    .query(({ ctx, input }) => {
      const { name, ...rest } = input;
      return ctx.deps.engine.listVpcs({ ...rest, ...(name !== undefined ? { nameContains: name } : {}) });
    }),

  /** vpcs.list for REST; destroyed VPCs are left out, as the console's default. */
  find: viewerProcedure
    .meta(rest('GET', '/vpcs', 'VPCs', 'List VPCs (one page)'))
    .input(findInput)
    .output(pageOutput(vpcSchema))
    .query(({ ctx, input }) => {
      const { name, conditionType, conditionStatus, ...filters } = input;
      if ((conditionType === undefined) !== (conditionStatus === undefined)) {
        throw new AppError('BAD_INPUT', 'conditionType and conditionStatus go together');
      }
      return ctx.deps.engine.listVpcs({
        ...filters,
        includeDestroyed: false,
        ...(name !== undefined ? { nameContains: name } : {}),
        ...(conditionType && conditionStatus
          ? { condition: { type: conditionType, status: conditionStatus } }
          : {}),
      });
    }),

  get: viewerProcedure
    .meta(rest('GET', '/vpcs/{id}', 'VPCs', 'Read a VPC with its tiers and conditions'))
    .input(idInput)
    .output(vpcDetailSchema)
    .query(async ({ ctx, input }) => {
      const vpc = await ctx.deps.engine.getVpc(input.id);
      if (!vpc) throw new AppError('NOT_FOUND', `VPC ${input.id} does not exist`);
      return vpc;
    }),

  create: operatorProcedure
    .meta(rest('POST', '/vpcs', 'VPCs', 'Create a VPC'))
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
      const vpc = await ctx.deps.engine.createVpc(input, actorOf(ctx));
      await recordAudit(ctx, 'vpc.create', { type: 'vpc', id: vpc.id }, null, vpc);
      return vpc;
    }),

  destroy: operatorProcedure
    .meta(rest('DELETE', '/vpcs/{id}', 'VPCs', 'Destroy a VPC (a job)'))
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const ref = await ctx.deps.engine.destroyVpc(input.id, actorOf(ctx));
      await recordAudit(ctx, 'vpc.destroy', { type: 'vpc', id: input.id }, null, ref);
      return ref;
    }),

  reconcile: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const ref = await ctx.deps.engine.reconcile(input.id, actorOf(ctx));
      await recordAudit(ctx, 'vpc.reconcile', { type: 'vpc', id: input.id }, null, ref);
      return ref;
    }),

  repair: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const ref = await ctx.deps.engine.repair(input.id, actorOf(ctx));
      await recordAudit(ctx, 'vpc.repair', { type: 'vpc', id: input.id }, null, ref);
      return ref;
    }),
});
