// The adapters registered at start, as the inventory sees them: lookup by id, manifest views, console listing.
import {
  type AdapterManifest,
  type AdapterModule,
  type AdapterRuntimeInfo,
  schemaFields,
} from '@netplane/adapter-sdk';
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

/** What adapters.list shows of a manifest: plain data (schemas as field lists and as JSON Schema), copied so callers cannot alter it. */
export function manifestView(m: AdapterManifest) {
  return {
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
    credentialFields: schemaFields(m.credentialSchema).map((f) => f.name),
    configFields: schemaFields(m.configSchema).map(({ name, optional }) => ({ name, optional })),
    // The schemas themselves (shapes, never values): the console renders its controller forms from them.
    configSchema: structuredClone(m.configSchema),
    credentialSchema: structuredClone(m.credentialSchema),
    endpointHint: m.endpointHint,
    limits: m.limits,
    idempotentByKey: m.idempotentByKey,
    supportsBatchPrepare: m.supportsBatchPrepare,
  };
}

/** The runtime as the list shows it; a runtime() that throws reads as a stopped process, never a failed list. */
export function runtimeView(runtime: (() => AdapterRuntimeInfo) | undefined, now: number) {
  if (!runtime) return { kind: 'in-process' as const };
  let info: AdapterRuntimeInfo;
  try {
    info = runtime();
  } catch (e) {
    const reason = `the runtime could not be read: ${e instanceof Error ? e.message : String(e)}`;
    info = {
      kind: 'process',
      command: '',
      state: 'stopped',
      pid: null,
      startedAt: null,
      restarts: 0,
      lastExit: { at: new Date(now).toISOString(), code: null, signal: null, reason },
      rssBytes: null,
      protocolVersion: null,
    };
  }
  if (info.kind === 'in-process') return info;
  const started = info.startedAt ? Date.parse(info.startedAt) : Number.NaN;
  const uptimeSeconds = Number.isFinite(started) ? Math.max(0, Math.floor((now - started) / 1000)) : null;
  return { ...info, uptimeSeconds, lastExit: info.lastExit && { ...info.lastExit } };
}

export function describeAdapters(deps: ApiDeps) {
  return deps.adapters.map((reg) => {
    const origin = { source: reg.source ?? 'built-in', sdkRange: reg.sdkRange ?? null };
    if (reg.status !== 'Fully Loaded') {
      return {
        id: reg.id,
        status: reg.status,
        reason: reg.reason,
        version: reg.version ?? null,
        ...origin,
        runtime: null,
        manifest: null,
      };
    }
    return {
      id: reg.id,
      status: reg.status,
      reason: null,
      version: reg.module.manifest.version,
      ...origin,
      runtime: runtimeView(reg.runtime, deps.now()),
      manifest: manifestView(reg.module.manifest),
    };
  });
}
