// What other packages may import from the server (the engine's hooks use these through engine-hook.ts).
export { registerDrainHook } from './drain';
export { metricsRegistry } from './metrics';
