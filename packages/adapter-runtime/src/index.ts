// @netplane/adapter-runtime: the host side of the out-of-process adapter protocol (docs/adapter-protocol.md).
export { type Handshake, HOST_PROTOCOL_VERSIONS, manifestProblem } from './handshake';
export { minimalEnv } from './peer';
export {
  type ProcessAdapter,
  type ProcessAdapterOptions,
  ProcessAdapterStartError,
  startProcessAdapter,
} from './process-adapter';
