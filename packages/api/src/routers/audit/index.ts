// audit.list: every role may read the audit log. Rows hold no secret (redacted on write), and knowing who changed
// what is what support and operators need to explain a state; viewers are read-only auditors by definition.
import { auditRepo } from '@netplane/db';
import { z } from 'zod';
import { router, viewerProcedure } from '../../trpc';

const auditRow = z.object({
  id: z.number(),
  at: z.number(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

export const auditRouter = router({
  list: viewerProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(200).default(50),
          /** Paging: pass the nextCursor of the previous page. */
          cursor: z.number().int().positive().optional(),
          targetType: z.string().min(1).max(64).optional(),
          targetId: z.string().min(1).max(36).optional(),
          actorName: z.string().min(1).max(64).optional(),
        })
        .default({ limit: 50 }),
    )
    .output(z.object({ items: z.array(auditRow), nextCursor: z.number().nullable() }))
    .query(async ({ ctx, input }) => {
      const items = await auditRepo.listAudit(ctx.db, {
        limit: input.limit,
        ...(input.cursor !== undefined ? { beforeId: input.cursor } : {}),
        ...(input.targetType !== undefined ? { targetType: input.targetType } : {}),
        ...(input.targetId !== undefined ? { targetId: input.targetId } : {}),
        ...(input.actorName !== undefined ? { actorName: input.actorName } : {}),
      });
      const last = items.at(-1);
      return { items, nextCursor: items.length === input.limit && last ? last.id : null };
    }),
});
