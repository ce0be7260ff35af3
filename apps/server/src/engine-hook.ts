// THE place where the engine starts with the server: job workers, node heartbeat, schedules. It runs after
// migrations and before the HTTP server listens; what it returns is stopped on shutdown after the drain hooks.
import type { ApiDeps } from '@netplane/api';
import { registerEngineMetrics } from '@netplane/engine';
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

export async function startEngine(ctx: EngineHookContext): Promise<EngineHandle> {
  // The API's procedures and these workers share one Engine: the one buildApiDeps put in the deps.
  const engine = ctx.deps.engine;
  registerEngineMetrics(engine, ctx.metrics);
  await engine.start();
  ctx.logger.info({ nodeId: engine.nodeId }, 'Engine workers started');
  // Drain on SIGTERM: stop claiming, hand running jobs' leases back so another node resumes them at once.
  ctx.onDrain('engine', () => engine.stop());
  return { stop: () => engine.stop() };
}
