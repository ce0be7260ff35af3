export * from './app-error';
export * from './vocabulary';
export * from './diagnostics';
