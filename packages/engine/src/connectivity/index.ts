// The connectivity check and the reachability matrix (docs/engine.md "Connectivity checks").
export { ConnectivityCommands } from './commands';
export { computeMatrix, MATRIX_CONCURRENCY, MATRIX_DEADLINE_MS, type MatrixOrigin } from './matrix';
export { OUTSIDE_SOURCE_IP } from './matrix-plan';
