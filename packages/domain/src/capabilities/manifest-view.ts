// The part of an adapter manifest the domain reasons about; @netplane/adapter-sdk's AdapterManifest fits it.
import type { CapabilityValue } from '../inventory/capability-values';
import type { IsolationMethod, Service } from '../vocabulary';

export type ManifestView = {
  id: string;
  isolationMethods: readonly IsolationMethod[];
  services: Partial<Record<Service, Record<string, CapabilityValue>>>;
  canEnableIndividualServices: boolean;
  serviceGroups?: readonly (readonly Service[])[] | undefined;
  serviceDependencies: readonly { service: Service; requires: readonly Service[] }[];
};

/** A provider as the matrix and the offering validator see it: its state, admin settings and network's tags. */
export type ProviderView = {
  id: string;
  name: string;
  adapterId: string;
  physicalNetworkId: string;
  state: 'Enabled' | 'Disabled' | 'Shutdown';
  enabledServices: readonly Service[];
  capabilityOverrides: Partial<Record<Service, Record<string, CapabilityValue>>>;
  /** Tags of the provider's physical network. */
  tags: readonly string[];
  /** Isolation methods of the provider's physical network. */
  isolationMethods: readonly IsolationMethod[];
};

export const offeredServices = (m: ManifestView): Service[] => Object.keys(m.services) as Service[];
