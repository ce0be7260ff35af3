// Validates controller credentials and config against the adapter manifest's JSON Schema (manifests cross the
// adapter boundary as data, never as zod instances). Failures become the same typed BAD_INPUT as before: field paths
// and the validator's messages, never the values (a credential must not come back in an error).
import type { ObjectJsonSchema } from '@netplane/adapter-sdk';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default import is the module object under some loaders, the function under others.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

// strict: false lets adapters carry annotation keywords of their own; useDefaults fills `default`s as zod did.
const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
addFormats(ajv);

const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles (once per schema object) or throws with the validator's reason; the loader calls it to refuse early. */
export function compileManifestSchema(schema: ObjectJsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    // Without its $id: ajv registers ids globally, and two adapters (or two versions of one) may share one.
    const { $id: _id, ...anonymous } = schema;
    fn = ajv.compile(anonymous);
    compiled.set(schema, fn);
  }
  return fn;
}

function pathOf(e: ErrorObject): string {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === 'required' && params.missingProperty) parts.push(params.missingProperty);
  if (e.keyword === 'additionalProperties' && params.additionalProperty)
    parts.push(params.additionalProperty);
  return parts.join('.') || '(root)';
}

function messageOf(e: ErrorObject): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'additionalProperties') return 'is not a known field';
  return e.message ?? e.keyword;
}

export type SchemaCheck<T> = { ok: true; data: T } | { ok: false; problems: string[] };

/**
 * The value as the adapter will see it: defaults filled in, and (like zod's default object) fields the schema does
 * not name dropped when it neither forbids nor describes extra ones.
 */
export function checkAgainstSchema<T extends Record<string, unknown>>(
  schema: ObjectJsonSchema,
  value: Record<string, unknown>,
): SchemaCheck<T> {
  const validate = compileManifestSchema(schema);
  const data = structuredClone(value);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${pathOf(e)}: ${messageOf(e)}`);
    return { ok: false, problems: [...new Set(problems)] };
  }
  if (schema.additionalProperties === undefined && schema.properties && !schema.patternProperties) {
    for (const key of Object.keys(data)) if (!(key in schema.properties)) delete data[key];
  }
  return { ok: true, data: data as T };
}
