export * from './abort';
export * from './adapter-error';
export * from './adapter-logger';
export * from './admin';
export * from './element';
export * from './manifest';
