// @ts-check
// The __DISPLAY__ adapter's manifest: offer only what element.js implements (the conformance kit checks the calls
// against the services listed). Credential and config schemas are JSON Schema, built with the SDK's helpers.
import { configSchemaFrom, credentialSchemaFrom } from '@netplane/adapter-sdk';

/** @type {import('@netplane/adapter-sdk').AdapterManifest} */
export const manifest = {
  id: '__ID__',
  vendor: '__DISPLAY__',
  version: '0.1.0',
  displayName: '__DISPLAY__',
  description:
    '__DISPLAY__ controller adapter (scaffolded by netplane adapter new; make element.js call the API).',
  protocol: 'HTTPS',
  isolationMethods: ['VLAN', 'VXLAN'],
  services: {
    Connectivity: { DistributedRouter: false, StretchedL2Subnet: false, RegionLevelVpc: false },
    Dhcp: { DhcpAccrossMultipleSubnets: false },
  },
  canEnableIndividualServices: true,
  serviceDependencies: [],
  // Every field becomes writeOnly: the server seals credentials and never returns them.
  credentialSchema: credentialSchemaFrom({
    type: 'object',
    properties: { token: { type: 'string', minLength: 1, maxLength: 500 } },
    required: ['token'],
    additionalProperties: false,
  }),
  configSchema: configSchemaFrom({
    type: 'object',
    properties: { latencyMs: { type: 'integer', minimum: 0, maximum: 60000 } },
    additionalProperties: false,
  }),
  endpointHint: 'https://__ID__.example (the controller API)',
  limits: { maxBatchSize: 100, recommendedConcurrency: 8, recommendedCallsPerSecond: 100 },
  idempotentByKey: true,
  supportsBatchPrepare: true,
};
