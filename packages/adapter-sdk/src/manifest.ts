// The adapter manifest: what a vendor package declares about itself, from which the capability matrix is built.
import type { ControllerProtocol, IsolationMethod, Service } from '@netplane/domain';
import type { ObjectJsonSchema } from './json-schema';

export type CapabilityValue = string | boolean | number | string[];
/** For each service offered, its capabilities (e.g. Lb: { SupportedLbAlgorithms: ['roundrobin'] }). */
export type ServiceCapabilities = Partial<Record<Service, Record<string, CapabilityValue>>>;

export type AdapterManifest = {
  id: string;
  vendor: string;
  version: string;
  displayName: string;
  description: string;
  protocol: ControllerProtocol;
  isolationMethods: readonly IsolationMethod[];
  services: ServiceCapabilities;
  /** false: the services listed in `serviceGroups` must be enabled together (CloudStack's canEnableIndividualServices). */
  canEnableIndividualServices: boolean;
  serviceGroups?: readonly (readonly Service[])[];
  /** verifyServicesCombination: a service that needs others, e.g. PortForwarding needs SourceNat. */
  serviceDependencies: readonly { service: Service; requires: readonly Service[] }[];
  /**
   * Credentials the controller needs, as JSON Schema (build it with credentialSchemaFrom, which marks every field
   * `writeOnly`); stored encrypted, never returned. Every field is treated as secret.
   */
  credentialSchema: ObjectJsonSchema;
  /** Non-secret per-controller settings, as JSON Schema (configSchemaFrom). */
  configSchema: ObjectJsonSchema;
  /** Endpoint syntax, for the console's placeholder and the API's validation message. */
  endpointHint: string;
  limits: {
    maxBatchSize: number;
    recommendedConcurrency: number;
    recommendedCallsPerSecond: number;
  };
  idempotentByKey: boolean;
  supportsBatchPrepare: boolean;
};
