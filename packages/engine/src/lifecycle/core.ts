// The engine's shared parts handed to every lifecycle module: deps, options, elements, call runner, state store.
import { ElementRegistry } from '../elements';
import { CallRunner } from '../guards/call-runner';
import { JobEvents } from '../jobs/events';
import { StateStore } from '../state';
import type { EngineDeps, EngineOptions } from '../types';
import { PrepareCoalescer } from './coalescer';

export type EngineCore = {
  deps: EngineDeps;
  options: EngineOptions;
  elements: ElementRegistry;
  calls: CallRunner;
  state: StateStore;
  events: JobEvents;
  /** The per-controller prepare coalescer of this node (boot storms). */
  coalescer(controllerId: string): PrepareCoalescer;
};

/** The core of one engine: one element registry, call runner, state store, event bus and coalescer per controller. */
export function createCore(deps: EngineDeps, options: EngineOptions): EngineCore {
  const coalescers = new Map<string, PrepareCoalescer>();
  const core: EngineCore = {
    deps,
    options,
    elements: new ElementRegistry(deps),
    calls: new CallRunner(deps.db, deps.logger, options.nodeId, options),
    state: new StateStore(deps.db, deps.logger, deps.now),
    events: new JobEvents(),
    coalescer: (controllerId) => {
      let c = coalescers.get(controllerId);
      if (!c) {
        c = new PrepareCoalescer(core, () => core.elements.get(controllerId));
        coalescers.set(controllerId, c);
      }
      return c;
    },
  };
  return core;
}
