// What an adapter package must export: an AdapterModule ({ manifest, createElement }) as its default export, a named
// `adapter`, or the namespace itself, or a factory (a function as the default export) that returns one.
import { ADAPTER_SDK_VERSION, type AdapterModule, type ObjectJsonSchema } from '@netplane/adapter-sdk';
import { compileManifestSchema, manifestViewProblem } from '@netplane/api';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Manifests cross the boundary as data: a zod instance (or anything not plain JSON) is refused with the fix. */
function schemaProblem(name: string, schema: unknown): string | undefined {
  if (!isObject(schema)) return `manifest.${name} is missing`;
  if ('_zod' in schema || typeof schema.safeParse === 'function')
    return `manifest.${name} is a zod schema; manifests carry JSON Schema (wrap it in ${name === 'credentialSchema' ? 'credentialSchemaFrom' : 'configSchemaFrom'})`;
  if (schema.type !== 'object') return `manifest.${name} must be a JSON Schema with type "object"`;
  try {
    JSON.stringify(schema); // plain data: it must survive serialisation (a future out-of-process runtime sends it)
    compileManifestSchema(schema as ObjectJsonSchema);
  } catch (e) {
    return `manifest.${name} is not a valid JSON Schema: ${e instanceof Error ? e.message : String(e)}`;
  }
  return undefined;
}

/** Finds the AdapterModule in what a package exports, or says what is wrong with it. */
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
    const schemas =
      schemaProblem('credentialSchema', m.credentialSchema) ?? schemaProblem('configSchema', m.configSchema);
    if (schemas) return schemas;
    if (typeof c.createElement !== 'function') return 'createElement is not a function';
    const module = c as AdapterModule;
    return manifestViewProblem(module.manifest) ?? module;
  }
  return 'the package exports no adapter module (expected { manifest, createElement } as its default export)';
}

/** Calls a factory default export (once, at load); its throw propagates to the loader as the reason. */
export async function resolveAdapterModule(exported: unknown): Promise<AdapterModule | string> {
  const factory = isObject(exported) && typeof exported.default === 'function' ? exported.default : undefined;
  if (!factory) return validateAdapterModule(exported);
  let made: unknown;
  try {
    made = await factory({ sdkVersion: ADAPTER_SDK_VERSION });
  } catch (e) {
    return `its factory threw: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  return validateAdapterModule(made);
}
