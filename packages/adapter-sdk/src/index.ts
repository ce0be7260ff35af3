export * from './abort';
export * from './acl-digest';
export * from './adapter-error';
export * from './adapter-logger';
export * from './admin';
export * from './connectivity';
export * from './element';
export * from './manifest';
