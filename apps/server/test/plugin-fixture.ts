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

/**
 * A process adapter as any language ships it: package.json `netplane.runtime: process` + `command`, and a script
 * that speaks the wire protocol itself (plain node, no SDK import). mode `throw` answers initialize as a factory
 * that threw.
 */
export function writeProcessPlugin(parent: string, spec: { id: string; mode?: 'ok' | 'throw' }): string {
  const dir = join(parent, spec.id);
  mkdirSync(dir, { recursive: true });
  const pkg = {
    name: `netplane-adapter-${spec.id}`,
    version: '3.0.0',
    netplane: { runtime: 'process', command: ['node', 'adapter.mjs', spec.mode ?? 'ok'] },
  };
  const manifest = {
    id: spec.id,
    vendor: 'Acme Networks',
    version: '3.0.0',
    displayName: 'Acme out of process',
    description: 'speaks the wire protocol by hand',
    protocol: 'HTTPS',
    isolationMethods: ['VLAN'],
    services: { Dhcp: {}, Connectivity: {} },
    canEnableIndividualServices: true,
    serviceDependencies: [],
    credentialSchema: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } },
    configSchema: { type: 'object', properties: {}, additionalProperties: false },
    endpointHint: 'https://fabric.acme.example',
    limits: { maxBatchSize: 10, recommendedConcurrency: 2, recommendedCallsPerSecond: 10 },
    idempotentByKey: true,
    supportsBatchPrepare: false,
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(
    join(dir, 'adapter.mjs'),
    `import { createInterface } from 'node:readline';
const mode = process.argv[2];
const manifest = ${JSON.stringify(manifest)};
const send = (m) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\\n');
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.id === undefined) return;
  if (msg.method === 'initialize')
    return mode === 'throw'
      ? send({ id: msg.id, error: { code: -32603, message: 'its factory threw: no licence file' } })
      : send({ id: msg.id, result: { protocolVersion: 1, manifest, sdkRange: '^1.0.0' } });
  if (msg.method === 'health') return send({ id: msg.id, result: { ok: true } });
  if (msg.method === 'shutdown') return send({ id: msg.id, result: null });
  send({ id: msg.id, error: { code: -32601, message: 'not implemented here' } });
});
rl.on('close', () => process.exit(0));
`,
  );
  return dir;
}
