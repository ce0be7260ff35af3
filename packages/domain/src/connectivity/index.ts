// The connectivity check and the Realized condition's reasons.
export * from './realized';
export * from './records';
export * from './trace';
