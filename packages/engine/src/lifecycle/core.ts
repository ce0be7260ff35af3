// The engine's shared parts handed to every lifecycle module: deps, options, elements, call runner, state store.
import type { ElementRegistry } from '../elements';
import type { CallRunner } from '../guards/call-runner';
import type { JobEvents } from '../jobs/events';
import type { StateStore } from '../state';
import type { EngineDeps, EngineOptions } from '../types';
import type { PrepareCoalescer } from './coalescer';

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
