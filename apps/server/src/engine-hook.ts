// THE place where the engine starts with the server: job workers, node heartbeat, schedules. It runs after
// migrations and before the HTTP server listens; what it returns is stopped on shutdown after the drain hooks.
import type { ApiDeps } from '@netplane/api';
import type { Registry } from 'prom-client';
import type { registerDrainHook } from './drain';
import type { Env } from './env';
import type { Logger } from './logger';

export type EngineHookContext = {
  deps: ApiDeps;
  env: Env;
  logger: Logger;
  /** Add engine metrics here (calls per element and outcome, queue depth, breaker state...). */
  metrics: Registry;
  /** E.g. hand back this node's job leases on SIGTERM. */
  onDrain: typeof registerDrainHook;
};

export type EngineHandle = { stop(): Promise<void> };

export async function startEngine(_ctx: EngineHookContext): Promise<EngineHandle> {
  // Engine team: start the workers and the heartbeat (nodeId = _ctx.env.nodeId) here.
  return { stop: async () => {} };
}
