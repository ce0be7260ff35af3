export * from './abort';
export * from './adapter-error';
export * from './element';
export * from './manifest';
