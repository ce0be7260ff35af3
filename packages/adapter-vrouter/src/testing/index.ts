// @netplane/adapter-vrouter/testing: a throw-away sshd as the router host and the helpers that look at this machine
// as that host (VM namespaces, udhcpc, ping, clean-up). Used by the package's tests and the boot-storm bench.
export * from './host';
export * from './lb';
export * from './public';
export * from './router-host';
export * from './seed';
export * from './sshd';
export * from './udp';
