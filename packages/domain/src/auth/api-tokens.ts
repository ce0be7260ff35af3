// API tokens as the server and the console both see them: the format, the roles a user may hand a token, the expiry
// limits, and the create input (the console's form validates with the same schema).
import { z } from 'zod';
import { ROLES, type Role, roleSchema } from '../vocabulary';

/**
 * `npt_` + a 12-character public id (9 random bytes, base64url: finds the row, shown in the console) + `_` + a
 * 43-character secret (32 random bytes, base64url: only its HMAC is stored). Fixed lengths, so the `_` that base64url
 * may also contain never makes the split ambiguous.
 */
export const API_TOKEN_PATTERN = /^npt_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;
/** Anything that looks like one, inside a longer string (the redactors scrub it). */
export const API_TOKEN_IN_TEXT = /\bnpt_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}/g;

export const API_TOKEN_MAX_DAYS = 365;
export const API_TOKEN_DEFAULT_DAYS = 90;
/** Live (neither expired nor revoked) tokens one user may hold: a runaway script stops at a clear error. */
export const API_TOKEN_MAX_ACTIVE = 50;

/** Higher is more: every role can do what the roles below it can (trpc.ts role procedures). */
const RANK: Record<Role, number> = { viewer: 0, support: 1, operator: 2, admin: 3 };
export const roleAtMost = (role: Role, ceiling: Role): boolean => RANK[role] <= RANK[ceiling];
export const lowerRole = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);
/** The roles a user of `ceiling` may give a token, highest first. */
export const rolesUpTo = (ceiling: Role): Role[] => ROLES.filter((r) => roleAtMost(r, ceiling));

export const apiTokenNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the token a name')
  .max(64, 'At most 64 characters');

export const createApiTokenInput = z.object({
  name: apiTokenNameSchema,
  role: roleSchema,
  /** Days until it expires, 1..API_TOKEN_MAX_DAYS. */
  expiresInDays: z.number().int().min(1).max(API_TOKEN_MAX_DAYS),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;
