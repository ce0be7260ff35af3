// Manifests cross the adapter boundary as data: credential and config schemas are JSON Schema (draft 2020-12)
// objects, never zod instances, so an adapter built with its own copy of zod (or in another language) is read the
// same way. Adapters may author them in zod; these helpers call the schema's own toJSONSchema (the adapter's zod).

/** A JSON Schema document; only plain JSON values (it is serialised across process boundaries). */
export type JsonSchema = { [keyword: string]: unknown };

/** The shape a manifest's credential/config schema has: an object of named fields. */
export type ObjectJsonSchema = JsonSchema & {
  type: 'object';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
};

/** Anything with zod 4's `toJSONSchema` method (structural, so no zod import is needed here). */
type ToJsonSchema = {
  toJSONSchema(params?: { io?: 'input' | 'output'; unrepresentable?: 'any' | 'throw' }): unknown;
};

const hasToJsonSchema = (s: unknown): s is ToJsonSchema =>
  typeof s === 'object' && s !== null && typeof (s as ToJsonSchema).toJSONSchema === 'function';

function toObjectSchema(schema: ToJsonSchema | JsonSchema, what: string): ObjectJsonSchema {
  // 'input': what a user may send (a field with a default is optional); refinements JSON Schema cannot say are
  // re-checked by the adapter when it parses its config again in createElement.
  const json = hasToJsonSchema(schema)
    ? schema.toJSONSchema({ io: 'input', unrepresentable: 'any' })
    : schema;
  const copy = JSON.parse(JSON.stringify(json)) as JsonSchema;
  if (copy.type !== 'object') throw new Error(`the ${what} schema must describe an object (type: "object")`);
  return copy as ObjectJsonSchema;
}

/** Config: non-secret per-controller settings, stored and returned as given. */
export function configSchemaFrom(schema: ToJsonSchema | JsonSchema): ObjectJsonSchema {
  return toObjectSchema(schema, 'config');
}

/**
 * Credentials: every field is secret, so each is marked `writeOnly` (JSON Schema's "sent, never read back"); the
 * server seals them and never returns them.
 */
export function credentialSchemaFrom(schema: ToJsonSchema | JsonSchema): ObjectJsonSchema {
  const s = toObjectSchema(schema, 'credential');
  for (const field of Object.values(s.properties ?? {})) field.writeOnly = true;
  if (typeof s.additionalProperties === 'object') s.additionalProperties.writeOnly = true;
  return { ...s, writeOnly: true };
}

/** The fields a manifest's object schema declares, in order, and whether each may be left out. */
export function schemaFields(
  schema: ObjectJsonSchema,
): { name: string; optional: boolean; secret: boolean }[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    optional: !required.has(name),
    secret: s.writeOnly === true || schema.writeOnly === true,
  }));
}
