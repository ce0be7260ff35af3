// Test helpers other packages reuse: the ovsdb-server harness and a free-port finder.
export * from './free-port';
export * from './ovsdb-server';
export * from './tls-material';
