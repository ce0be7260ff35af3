// The engine's public API.
export * from './diagnostics';
export * from './support';
