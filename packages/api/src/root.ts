// The root router: one sub-router per domain area. The web app imports only the AppRouter type.
// Add your area with one line, in alphabetical order, to keep concurrent edits merge-friendly.
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { usersRouter } from './routers/users';
import { router } from './trpc';

export const appRouter = router({
  audit: auditRouter,
  auth: authRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
