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

const ovnAdapter: AdapterModule = { manifest: ovnManifest, createElement: createOvnElement };
export default ovnAdapter;
