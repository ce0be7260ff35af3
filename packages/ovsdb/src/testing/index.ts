// Test helpers other packages reuse: the ovsdb-server harness, ovn-northd with its Southbound server, ovn-trace, and
// a free-port finder.
export * from './free-port';
export * from './ovn-northd';
export * from './ovn-trace';
export * from './ovsdb-server';
export * from './tls-material';
