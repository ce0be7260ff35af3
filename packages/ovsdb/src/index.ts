// @netplane/ovsdb: an OVSDB (RFC 7047) client with monitor_cond/monitor_cond_since, reconnect and a table cache.
export * from './cache';
export * from './client';
export * from './encoding';
export * from './errors';
export * from './framing';
export * from './monitor';
export * from './operations';
export * from './ovn-trace';
export * from './raw';
export * from './schema';
export * from './transport';
