// @netplane/adapter-ovn: the OVN Northbound adapter module (manifest + element factory).
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createOvnElement } from './element';
import { ovnManifest } from './manifest';

export { createOvnElement } from './element';
export { mapOvsdbError } from './errors';
export { ovnConfigSchema, ovnCredentialSchema, ovnManifest } from './manifest';
export { EXT, gatewayPortMac, names, OWNER, routerPortMac } from './names';
export { nicPortRow } from './nics';
export { rawPrepareOps } from './raw-ops';
// Diagnostics: what answered an element's traces (its ovn-trace daemon or one-shot runs), for benchmarks and tests.
export { tracerOf } from './trace';

const ovnAdapter: AdapterModule = { manifest: ovnManifest, createElement: createOvnElement };
export default ovnAdapter;
