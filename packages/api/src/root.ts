// The root router: one sub-router per domain area. The web app imports only the AppRouter type.
import { router } from './trpc';

export const appRouter = router({});

export type AppRouter = typeof appRouter;
