// The adapters registered at start, as the inventory sees them: lookup by id, manifest views, console listing.
import type { AdapterModule } from '@netplane/adapter-sdk';
import { AppError, type ManifestView } from '@netplane/domain';
import type { ApiDeps } from '../../deps';

export function loadedModules(deps: ApiDeps): AdapterModule[] {
  return deps.adapters.flatMap((a) => (a.status === 'Fully Loaded' ? [a.module] : []));
}

export const manifestViews = (deps: ApiDeps): ManifestView[] => loadedModules(deps).map((m) => m.manifest);

/** The loaded module of an adapter id; a missing or broken adapter is a clear 4xx, not a 500. */
export function requireAdapter(deps: ApiDeps, adapterId: string): AdapterModule {
  const reg = deps.adapters.find((a) => a.id === adapterId);
  if (!reg) {
    const known = deps.adapters.map((a) => a.id).join(', ') || 'none';
    throw new AppError('BAD_INPUT', `No adapter with id ${adapterId} is registered (registered: ${known})`, {
      adapterId,
    });
  }
  if (reg.status !== 'Fully Loaded') {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Adapter ${adapterId} is registered but unable to load: ${reg.reason}`,
      {
        adapterId,
      },
    );
  }
  return reg.module;
}

type Field = { name: string; optional: boolean };

/** Field names of a zod object schema (by duck typing, so a second copy of zod in an adapter still works). */
export function fieldsOf(schema: unknown): Field[] {
  const shape = (schema as { shape?: Record<string, { safeParse?: (v: unknown) => { success: boolean } }> })
    .shape;
  if (!shape || typeof shape !== 'object') return [];
  return Object.entries(shape).map(([name, s]) => ({
    name,
    optional: typeof s?.safeParse === 'function' ? s.safeParse(undefined).success : false,
  }));
}

export function describeAdapters(deps: ApiDeps) {
  return deps.adapters.map((reg) => {
    if (reg.status !== 'Fully Loaded') {
      return { id: reg.id, status: reg.status, reason: reg.reason, manifest: null };
    }
    const m = reg.module.manifest;
    return {
      id: reg.id,
      status: reg.status,
      reason: null,
      manifest: {
        vendor: m.vendor,
        version: m.version,
        displayName: m.displayName,
        description: m.description,
        protocol: m.protocol,
        isolationMethods: [...m.isolationMethods],
        services: m.services,
        canEnableIndividualServices: m.canEnableIndividualServices,
        serviceGroups: (m.serviceGroups ?? []).map((g) => [...g]),
        serviceDependencies: m.serviceDependencies.map((d) => ({
          service: d.service,
          requires: [...d.requires],
        })),
        credentialFields: fieldsOf(m.credentialSchema).map((f) => f.name),
        configFields: fieldsOf(m.configSchema),
        endpointHint: m.endpointHint,
        limits: m.limits,
        idempotentByKey: m.idempotentByKey,
        supportsBatchPrepare: m.supportsBatchPrepare,
      },
    };
  });
}
