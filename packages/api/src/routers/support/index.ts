// support: the triage queue of failed or stuck VPCs (oldest first), acknowledge and assign, and the support bundle.

import { AppError } from '@netplane/domain';
import { acknowledgeVpc, assignVpc, buildSupportBundle, listTriageQueue } from '@netplane/engine';
import { z } from 'zod';
import { recordAudit } from '../../services/audit';
import { router, supportProcedure } from '../../trpc';
import { optionalPageInput, pageOutput } from '../pagination';
import { bundleSchema, triageQueueItemSchema, triageRecordSchema } from './schemas';

const note = z.string().trim().max(2000).optional();

export const supportRouter = router({
  queue: supportProcedure
    .input(optionalPageInput(['since'], {}))
    .output(pageOutput(triageQueueItemSchema))
    .query(({ ctx, input }) =>
      listTriageQueue(ctx.db, {
        now: ctx.deps.now(),
        limit: input.limit,
        ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
      }),
    ),

  acknowledge: supportProcedure
    .input(z.object({ vpcId: z.uuid(), note }))
    .output(triageRecordSchema)
    .mutation(async ({ ctx, input }) => {
      const row = await acknowledgeVpc(ctx.db, { ...input, by: ctx.user.username, at: ctx.deps.now() });
      await recordAudit(ctx, 'support.acknowledge', { type: 'vpc', id: input.vpcId }, null, row);
      return row;
    }),

  assign: supportProcedure
    .input(z.object({ vpcId: z.uuid(), assignee: z.string().trim().min(1).max(64).nullable(), note }))
    .output(triageRecordSchema)
    .mutation(async ({ ctx, input }) => {
      const row = await assignVpc(ctx.db, { ...input, at: ctx.deps.now() });
      await recordAudit(ctx, 'support.assign', { type: 'vpc', id: input.vpcId }, null, row);
      return row;
    }),

  /** The VPC's support bundle (JSON), secrets redacted; exporting it is audited. */
  bundle: supportProcedure
    .input(z.object({ vpcId: z.uuid() }))
    .output(bundleSchema)
    .query(async ({ ctx, input }) => {
      const bundle = await buildSupportBundle(ctx.db, input.vpcId, {
        now: ctx.deps.now(),
        decrypt: (c, id) => ctx.deps.secrets.decrypt(c, id),
      });
      if (!bundle) throw new AppError('NOT_FOUND', `VPC ${input.vpcId} does not exist`);
      await recordAudit(ctx, 'support.bundle.export', { type: 'vpc', id: input.vpcId }, null, null);
      return bundle;
    }),
});
