// nics.*: prepare and release, single and bulk (up to 1000 per request), list by tier (one keyset page). Each touch is one job.

import { nicsRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { pageInput, pageOutput } from '../pagination';
import { idInput, jobRefSchema, nicSchema, transitionSchema } from '../vpcs/schemas';

const MAX_BULK = 1000;
const nicRequest = z.object({
  vmName: z.string().trim().min(1).max(255),
  ip: z.ipv4().optional(),
  mac: z
    .string()
    .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i)
    .transform((m) => m.toLowerCase())
    .optional(),
});
const prepared = jobRefSchema.extend({ nics: z.array(nicSchema) });

export const nicsRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/tiers/{tierId}/nics', 'NICs', 'List the NICs of a tier (one page)'))
    .input(
      pageInput(nicsRepo.NIC_SORTS, {
        tierId: z.uuid(),
        state: z.string().max(32).optional(),
        /** Case-insensitive part of the VM name or of the IP. */
        search: z.string().trim().min(1).max(255).optional(),
      }),
    )
    .output(pageOutput(nicSchema))
    .query(({ ctx, input }) => {
      const { tierId, ...rest } = input;
      return ctx.deps.engine.pageNics({ ...rest, networkId: tierId });
    }),

  get: viewerProcedure
    .meta(rest('GET', '/nics/{id}', 'NICs', 'Read a NIC'))
    .input(idInput)
    .output(nicSchema.extend({ transitions: z.array(transitionSchema) }))
    .query(async ({ ctx, input }) => {
      const engine = ctx.deps.engine;
      const nic = await engine.getNic(input.id);
      if (!nic) throw new AppError('NOT_FOUND', `NIC ${input.id} does not exist`);
      return { ...nic, transitions: await engine.listTransitions([nic.id]) };
    }),

  prepare: operatorProcedure
    .input(nicRequest.extend({ tierId: z.uuid() }))
    .output(prepared)
    .mutation(async ({ ctx, input }) => {
      const { tierId, ...nic } = input;
      const r = await ctx.deps.engine.prepareNics(tierId, [nic], actorOf(ctx));
      await recordAudit(ctx, 'nic.prepare', { type: 'network', id: tierId }, null, {
        jobId: r.jobId,
        nics: r.nics.map((n) => n.id),
      });
      return r;
    }),

  prepareBulk: operatorProcedure
    .meta(rest('POST', '/tiers/{tierId}/nics', 'NICs', 'Prepare NICs on a tier (a job)'))
    .input(z.object({ tierId: z.uuid(), nics: z.array(nicRequest).min(1).max(MAX_BULK) }))
    .output(prepared)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.prepareNics(input.tierId, input.nics, actorOf(ctx));
      await recordAudit(ctx, 'nic.prepareBulk', { type: 'network', id: input.tierId }, null, {
        jobId: r.jobId,
        count: r.nics.length,
      });
      return r;
    }),

  /** Prepares NICs that exist already (released or in Error); Reserved ones are a no-op. */
  reprepare: operatorProcedure
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(MAX_BULK) }))
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.prepareExistingNics(input.ids, actorOf(ctx));
      await recordAudit(ctx, 'nic.reprepare', { type: 'nic', id: input.ids[0] ?? null }, null, {
        ...r,
        count: input.ids.length,
      });
      return r;
    }),

  release: operatorProcedure
    .meta(rest('DELETE', '/nics/{id}', 'NICs', 'Release a NIC (a job)'))
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.releaseNics([input.id], actorOf(ctx));
      await recordAudit(ctx, 'nic.release', { type: 'nic', id: input.id }, null, r);
      return r;
    }),

  releaseBulk: operatorProcedure
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(MAX_BULK) }))
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.releaseNics(input.ids, actorOf(ctx));
      await recordAudit(ctx, 'nic.releaseBulk', { type: 'nic', id: input.ids[0] ?? null }, null, {
        ...r,
        count: input.ids.length,
      });
      return r;
    }),
});
