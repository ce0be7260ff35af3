// The API's input and output types, inferred from the AppRouter (types only: nothing of the server is bundled).
import type { AppRouter } from '@netplane/server/app-router';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;
