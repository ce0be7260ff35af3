// tokens.*: personal API tokens. Every signed-in user manages their own (a role at most their own); admins may list
// and revoke everyone's. The token itself is in the create answer only; no output schema has a field for it elsewhere.
import { createApiTokenInput, roleSchema } from '@netplane/domain';
import { z } from 'zod';
import * as tokens from '../../services/api-tokens';
import { authedProcedure, router } from '../../trpc';
import { pageInput, pageOutput } from '../pagination';

const tokenItem = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string(),
  name: z.string(),
  role: roleSchema,
  /** `npt_` and the public id: enough to recognise a token, useless to authenticate. */
  prefix: z.string(),
  status: z.enum(['active', 'expired', 'revoked']),
  createdAt: z.number(),
  expiresAt: z.number(),
  lastUsedAt: z.number().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: z.number().nullable(),
});

export const apiTokensRouter = router({
  /** Answers the token once; store it now, it cannot be shown again. */
  create: authedProcedure
    .input(createApiTokenInput)
    .output(z.object({ token: z.string(), item: tokenItem }))
    .mutation(({ ctx, input }) => tokens.createApiToken(ctx, input)),

  list: authedProcedure
    .input(
      pageInput(['createdAt'] as const, {
        /** Admins only: every user's tokens. */
        all: z.boolean().optional(),
      }).prefault({}),
    )
    .output(pageOutput(tokenItem))
    .query(({ ctx, input }) => tokens.listApiTokens(ctx, input)),

  revoke: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .output(tokenItem)
    .mutation(({ ctx, input }) => tokens.revokeApiToken(ctx, input.id)),
});
