// @netplane/adapter-vrouter: the Virtual Router adapter module (a Linux router host driven over SSH).
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createVrouterElement } from './element';
import { vrouterManifest } from './manifest';

export { vrouterConfigSchema, vrouterCredentialSchema } from './config';
export { createVrouterElement, type VrouterElement } from './element';
export { vrouterManifest } from './manifest';
export { namesFor } from './names';
export { fingerprintOf, pinnedFingerprint } from './ssh';

const vrouterAdapter: AdapterModule = { manifest: vrouterManifest, createElement: createVrouterElement };
export default vrouterAdapter;
// The bench's baseline (one SSH command per NIC) drives the host through the same connection class.
export { parseConnection } from './config';
export { SshHost } from './ssh';
