// Engine tables (VPCs, tiers, NICs, jobs, calls, diagnoses): owned by the engine, added by migration 002.
export type EngineTables = Record<never, never>;
