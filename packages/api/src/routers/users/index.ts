// users.*: account administration, admin only. Outputs are parsed so a password hash can never leave.
import { roleSchema } from '@netplane/domain';
import { z } from 'zod';
import * as users from '../../services/users';
import { adminProcedure, router } from '../../trpc';
import { passwordSchema, usernameSchema, userOutput } from '../auth/schemas';

const idInput = z.object({ id: z.uuid() });
const ok = z.object({ ok: z.literal(true) });

export const usersRouter = router({
  list: adminProcedure.output(z.array(userOutput)).query(({ ctx }) => users.listUsers(ctx)),

  create: adminProcedure
    .input(z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema }))
    .output(userOutput)
    .mutation(({ ctx, input }) => users.createUser(ctx, input)),

  updateRole: adminProcedure
    .input(idInput.extend({ role: roleSchema }))
    .output(userOutput)
    .mutation(({ ctx, input }) => users.updateRole(ctx, input.id, input.role)),

  setDisabled: adminProcedure
    .input(idInput.extend({ disabled: z.boolean() }))
    .output(userOutput)
    .mutation(({ ctx, input }) => users.setDisabled(ctx, input.id, input.disabled)),

  resetPassword: adminProcedure
    .input(idInput.extend({ password: passwordSchema }))
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await users.resetPassword(ctx, input.id, input.password);
      return { ok: true as const };
    }),

  delete: adminProcedure
    .input(idInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await users.deleteUser(ctx, input.id);
      return { ok: true as const };
    }),
});
