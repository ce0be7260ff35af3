// auth.*: first-run setup, login/logout, the current user and password change.
import { z } from 'zod';
import * as auth from '../../services/auth';
import * as setup from '../../services/setup';
import { authedProcedure, publicProcedure, router } from '../../trpc';
import { changePasswordInput, loginInput, meOutput, sessionOutput, setupInput } from './schemas';

export const authRouter = router({
  setupStatus: publicProcedure
    .output(z.object({ needsSetup: z.boolean() }))
    .query(async ({ ctx }) => ({ needsSetup: await setup.isSetupNeeded(ctx.deps) })),

  /** Public: guarded by the one-time token, the Origin check and the attempt limit. */
  setup: publicProcedure
    .input(setupInput)
    .output(sessionOutput)
    .mutation(({ ctx, input }) => setup.completeSetup(ctx, input)),

  /** Public: guarded by the Origin check and the attempt limit. */
  login: publicProcedure
    .input(loginInput)
    .output(sessionOutput)
    .mutation(({ ctx, input }) => auth.login(ctx, input.username, input.password)),

  logout: authedProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await auth.logout(ctx);
    return { ok: true as const };
  }),

  me: authedProcedure.output(meOutput).query(({ ctx }) => ({ user: ctx.user, csrfToken: ctx.csrfToken })),

  changePassword: authedProcedure
    .input(changePasswordInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await auth.changePassword(ctx, input.currentPassword, input.newPassword);
      return { ok: true as const };
    }),
});
