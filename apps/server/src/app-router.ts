// The API this server serves: the core areas of @netplane/api plus the admin procedures of the adapters it mounts
// (the simulator's `simulator.*`). Only schemas are imported here (zod, no adapter code): the handlers come from the
// loaded adapter modules at call time. The web app imports the AppRouter type from this file.

import { simulatorAdminSchema } from '@netplane/adapter-simulator/admin';
import { createAppRouter } from '@netplane/api';

export const appRouter = createAppRouter({ simulator: simulatorAdminSchema });
export type AppRouter = typeof appRouter;
