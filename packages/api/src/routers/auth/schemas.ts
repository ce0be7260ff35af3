// Input and output schemas of auth and users procedures (the web app reads them through the AppRouter type).
import { roleSchema } from '@netplane/domain';
import { z } from 'zod';

export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits, and . _ @ - only');
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(256);
// Login accepts any non-empty password up to the cap: the rules may have changed since it was set.
export const loginInput = z.object({ username: usernameSchema, password: z.string().min(1).max(256) });
export const setupInput = z.object({
  token: z.string().trim().min(1).max(128),
  username: usernameSchema,
  password: passwordSchema,
});
export const changePasswordInput = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});

export const authUserOutput = z.object({ id: z.string(), username: z.string(), role: roleSchema });
export const sessionOutput = z.object({
  user: authUserOutput,
  csrfToken: z.string(),
  expiresAt: z.number(),
});
export const meOutput = z.object({ user: authUserOutput, csrfToken: z.string().nullable() });

export const userOutput = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastLoginAt: z.number().nullable(),
});
