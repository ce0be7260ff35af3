// audit.list: every role may read the audit log. Rows hold no secret (redacted on write), and knowing who changed
// what is what support and operators need to explain a state; viewers are read-only auditors by definition.
import { auditRepo } from '@netplane/db';
import { z } from 'zod';
import { router, viewerProcedure } from '../../trpc';
import { optionalPageInput, pageOutput } from '../pagination';

const auditRow = z.object({
  id: z.number(),
  at: z.number(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  /** The API token the change was made with; null for a console session or the system. */
  actorTokenId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

export const auditRouter = router({
  list: viewerProcedure
    .input(
      optionalPageInput(auditRepo.AUDIT_SORTS, {
        targetType: z.string().min(1).max(64).optional(),
        targetId: z.string().min(1).max(36).optional(),
        actorName: z.string().min(1).max(64).optional(),
        /** An action ("vpc.create"), or every action of a prefix ending in a dot ("vpc."). */
        action: z.string().min(1).max(64).optional(),
      }),
    )
    .output(pageOutput(auditRow))
    .query(({ ctx, input }) => auditRepo.listAudit(ctx.db, input)),
});
