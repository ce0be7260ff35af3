// @netplane/engine: the orchestrator. Import the Engine class and the types the API and the server need.

// Diagnostics and support (owned by the diagnostics engineer).
export * from './connectivity';
export * from './diagnostics';
export type { EntityErrorEvent } from './diagnostics/hook';
export { Engine, JOB_KINDS, type JobKind, type JobRef, type SubmitJobInput } from './engine';
export { CallFailed, FencedError, JobFailure, JobStopped } from './errors';
export type { JobEvent } from './jobs/events';
export type { NicRequest } from './lifecycle/allocate';
export type { CreateTierInput, CreateVpcInput } from './lifecycle/create';
export type { Drift } from './lifecycle/drift';
export { registerEngineMetrics } from './metrics';
export { OutageLog } from './outage-log';
export * from './support';
export {
  DEFAULT_OPTIONS,
  type EngineAdapterRegistration,
  type EngineDeps,
  type EngineLogger,
  type EngineOptions,
} from './types';
export type { CallView, JobDetail, JobView, NicView, TierView, TraceView, VpcDetail, VpcView } from './views';
