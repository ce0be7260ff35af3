// Loads the adapter packages, validates each module's shape, and logs `Fully Loaded` or `Unable to load`.
import type { AdapterModule } from '@netplane/adapter-sdk';
import type { AdapterRegistration } from '@netplane/api';
import { ADAPTER_PACKAGES, importAdapter } from './adapter-imports';
import type { Logger } from './logger';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Finds the AdapterModule in what a package exports: its default, a named `adapter`, or the namespace itself. */
export function validateAdapterModule(exported: unknown): AdapterModule | string {
  const candidates = isObject(exported) ? [exported.default, exported.adapter, exported] : [exported];
  for (const c of candidates) {
    if (!isObject(c) || !isObject(c.manifest)) continue;
    const m = c.manifest;
    if (typeof m.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(m.id))
      return 'manifest.id is missing or malformed';
    if (typeof m.version !== 'string' || m.version === '') return 'manifest.version is missing';
    if (!Array.isArray(m.isolationMethods)) return 'manifest.isolationMethods is missing';
    if (!isObject(m.services)) return 'manifest.services is missing';
    if (typeof c.createElement !== 'function') return 'createElement is not a function';
    return c as AdapterModule;
  }
  return 'the package exports no adapter module (expected { manifest, createElement } as its default export)';
}

const idFromPackage = (spec: string) => spec.replace(/^@netplane\/adapter-/, '');

export async function loadAdapters(
  logger: Logger,
  packages: readonly string[] = ADAPTER_PACKAGES,
  importer: (spec: string) => Promise<unknown> = importAdapter,
): Promise<AdapterRegistration[]> {
  const out: AdapterRegistration[] = [];
  for (const spec of packages) {
    let result: AdapterModule | string;
    try {
      result = validateAdapterModule(await importer(spec));
    } catch (e) {
      result = `cannot import ${spec}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
    if (typeof result === 'string') {
      const adapterId = idFromPackage(spec);
      logger.warn({ adapterId, package: spec, reason: result }, `Unable to load adapter ${adapterId}`);
      out.push({ id: adapterId, status: 'Unable to load', reason: result });
      continue;
    }
    const { id, version } = result.manifest;
    if (out.some((r) => r.id === id)) {
      logger.warn({ adapterId: id, reason: 'duplicate adapter id' }, `Unable to load adapter ${id}`);
      continue;
    }
    logger.info({ adapterId: id, version }, `Fully Loaded adapter ${id} ${version}`);
    out.push({ id, status: 'Fully Loaded', module: result });
  }
  return out;
}
