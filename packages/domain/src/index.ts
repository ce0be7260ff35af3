export * from './app-error';
export * from './vocabulary';
