export * from './context';
export * from './deps';
export * from './trpc';
