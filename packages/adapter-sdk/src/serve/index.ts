// @netplane/adapter-sdk/serve: run an adapter out of process (docs/adapter-protocol.md) and the protocol's shared parts.
export { type ServeIo, serveAdapter } from './serve';
export * from './wire';
