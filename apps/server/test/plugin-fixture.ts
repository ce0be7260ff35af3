// Writes adapter packages the way a vendor ships them: a package.json (name, version, the adapter-sdk range as a peer
// dependency) and plain ESM JavaScript that imports nothing but '@netplane/adapter-sdk', which the server provides.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type PluginSpec = { id: string; version?: string; sdk?: string; body?: string };

/** A factory default export: it checks that the SDK it imports is the one the server hands it. */
const goodBody = (id: string, version: string) => `
import { ADAPTER_SDK_VERSION, AdapterError, configSchemaFrom, credentialSchemaFrom } from '@netplane/adapter-sdk';

export default function factory(host) {
  if (host.sdkVersion !== ADAPTER_SDK_VERSION) throw new Error('two SDKs: ' + host.sdkVersion + ' vs ' + ADAPTER_SDK_VERSION);
  return {
    manifest: {
      id: '${id}', vendor: 'Acme Networks', version: '${version}', displayName: 'Acme fabric',
      description: 'Built against adapter-sdk ' + ADAPTER_SDK_VERSION,
      protocol: 'HTTPS', isolationMethods: ['VLAN'], services: { Dhcp: {}, Connectivity: {} },
      canEnableIndividualServices: true, serviceDependencies: [],
      credentialSchema: credentialSchemaFrom({
        type: 'object', properties: { token: { type: 'string', minLength: 1 } }, required: ['token'], additionalProperties: false,
      }),
      configSchema: configSchemaFrom({
        type: 'object', properties: { site: { type: 'string', maxLength: 16 }, verifyTls: { type: 'boolean', default: true } },
        additionalProperties: false,
      }),
      endpointHint: 'https://fabric.acme.example',
      limits: { maxBatchSize: 10, recommendedConcurrency: 2, recommendedCallsPerSecond: 10 },
      idempotentByKey: true, supportsBatchPrepare: false,
    },
    createElement() {
      throw new AdapterError('UNREACHABLE', 'this test adapter has no controller');
    },
  };
}
`;

export function writePlugin(parent: string, spec: PluginSpec): string {
  const dir = join(parent, spec.id);
  const version = spec.version ?? '1.2.0';
  mkdirSync(dir, { recursive: true });
  const pkg = {
    name: `netplane-adapter-${spec.id}`,
    version,
    type: 'module',
    exports: './index.js',
    peerDependencies: { '@netplane/adapter-sdk': spec.sdk ?? '^1.0.0' },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(join(dir, 'index.js'), spec.body ?? goodBody(spec.id, version));
  return dir;
}
