// The capability matrix: providers × services, each cell offered (with capabilities) or empty with a reason.
import { z } from 'zod';
import { applyNarrowing, type CapabilityValue, capabilityValueSchema } from '../inventory/capability-values';
import { missingTags } from '../inventory/tags';
import { SERVICES, type Service } from '../vocabulary';
import type { ManifestView, ProviderView } from './manifest-view';

export const EMPTY_CELL_REASONS = [
  'NOT_OFFERED',
  'DISABLED',
  'PROVIDER_DISABLED',
  'LABEL_MISMATCH',
  'ADAPTER_UNAVAILABLE',
] as const;
export type EmptyCellReason = (typeof EMPTY_CELL_REASONS)[number];

export type MatrixCell =
  | { service: Service; offered: true; capabilities: Record<string, CapabilityValue> }
  | { service: Service; offered: false; reason: EmptyCellReason; detail: string };

export type MatrixRow = {
  providerId: string;
  providerName: string;
  adapterId: string;
  physicalNetworkId: string;
  state: ProviderView['state'];
  cells: MatrixCell[];
};
export type CapabilityMatrix = { services: Service[]; rows: MatrixRow[] };

/**
 * One cell. The reasons are checked from the most fundamental to the most local: the adapter cannot do it at all,
 * the admin switched the service off, the provider is not Enabled, its physical network lacks a required tag.
 */
export function matrixCell(
  manifest: ManifestView | undefined,
  provider: ProviderView,
  service: Service,
  requiredTags: readonly string[] = [],
): MatrixCell {
  if (!manifest) {
    return {
      service,
      offered: false,
      reason: 'ADAPTER_UNAVAILABLE',
      detail: `Adapter ${provider.adapterId} is not loaded`,
    };
  }
  const base = manifest.services[service];
  if (!base) {
    return {
      service,
      offered: false,
      reason: 'NOT_OFFERED',
      detail: `${manifest.id} does not offer ${service}`,
    };
  }
  if (!provider.enabledServices.includes(service)) {
    return {
      service,
      offered: false,
      reason: 'DISABLED',
      detail: `${service} is disabled on ${provider.name}`,
    };
  }
  if (provider.state !== 'Enabled') {
    return {
      service,
      offered: false,
      reason: 'PROVIDER_DISABLED',
      detail: `${provider.name} is ${provider.state}`,
    };
  }
  const missing = missingTags(provider.tags, requiredTags);
  if (missing.length > 0) {
    return {
      service,
      offered: false,
      reason: 'LABEL_MISMATCH',
      detail: `The physical network of ${provider.name} lacks the tag(s) ${missing.join(', ')}`,
    };
  }
  return {
    service,
    offered: true,
    capabilities: applyNarrowing(base, provider.capabilityOverrides[service]),
  };
}

export function buildCapabilityMatrix(input: {
  manifests: readonly ManifestView[];
  providers: readonly ProviderView[];
  requiredTags?: readonly string[];
}): CapabilityMatrix {
  const byId = new Map(input.manifests.map((m) => [m.id, m]));
  return {
    services: [...SERVICES],
    rows: input.providers.map((p) => ({
      providerId: p.id,
      providerName: p.name,
      adapterId: p.adapterId,
      physicalNetworkId: p.physicalNetworkId,
      state: p.state,
      cells: SERVICES.map((s) => matrixCell(byId.get(p.adapterId), p, s, input.requiredTags)),
    })),
  };
}

const cellSchema = z.discriminatedUnion('offered', [
  z.object({
    service: z.enum(SERVICES),
    offered: z.literal(true),
    capabilities: z.record(z.string(), capabilityValueSchema),
  }),
  z.object({
    service: z.enum(SERVICES),
    offered: z.literal(false),
    reason: z.enum(EMPTY_CELL_REASONS),
    detail: z.string(),
  }),
]);
export const capabilityMatrixSchema = z.object({
  services: z.array(z.enum(SERVICES)),
  rows: z.array(
    z.object({
      providerId: z.string(),
      providerName: z.string(),
      adapterId: z.string(),
      physicalNetworkId: z.string(),
      state: z.enum(['Enabled', 'Disabled', 'Shutdown']),
      cells: z.array(cellSchema),
    }),
  ),
});
export const capabilityMatrixInput = z.object({
  physicalNetworkId: z.string().min(1).max(64).optional(),
  requiredTags: z.array(z.string().trim().min(1).max(64)).max(32).optional(),
});
