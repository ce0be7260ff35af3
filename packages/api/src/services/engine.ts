// One Engine per ApiDeps: the API's procedures and the server's workers share it (the server starts its workers).
import { Engine, type EngineOptions } from '@netplane/engine';
import type { Context } from '../context';
import type { ApiDeps } from '../deps';

const engines = new WeakMap<ApiDeps, Engine>();

/** The engine of these deps, created on first use; options apply only to that first call (the server's). */
export function engineOf(deps: ApiDeps, options: Partial<EngineOptions> = {}): Engine {
  let e = engines.get(deps);
  if (!e) {
    e = new Engine(deps, options);
    engines.set(deps, e);
  }
  return e;
}

export const actorOf = (ctx: Pick<Context, 'user'>): string => ctx.user?.username ?? 'system';
