// A controller's config and credential forms, read from the adapter manifest's JSON Schema (adapters.list): one
// field per property, its control chosen from the property's type, and the typed object the API takes built back
// from what was typed. The server validates against the same schema; this only shapes the form and catches typos.
import type { FieldErrors } from './zod-form';

type Json = Record<string, unknown>;

export type FieldKind = 'text' | 'multiline' | 'integer' | 'number' | 'boolean' | 'list' | 'enum';

export type SchemaField = {
  name: string;
  label: string;
  hint: string | undefined;
  kind: FieldKind;
  /** writeOnly (every credential): typed in, never shown back or pre-filled. */
  secret: boolean;
  /**
   * A secret whose name says it is one (password, token, key...) is a password input; another (a username) is
   * typed in the clear, still write-only.
   */
  masked: boolean;
  required: boolean;
  /** The schema's default, shown as the placeholder (an empty optional field sends nothing). */
  placeholder: string | undefined;
  options: string[];
  min: number | undefined;
  max: number | undefined;
  /** The schema's pattern (a string's form): checked here so a typo is named at its field before the round trip. */
  pattern: string | undefined;
};

/**
 * A string whose content is a document (contentMediaType, e.g. a PEM key or a public key line) or may be long
 * (maxLength ≥ 4096: certificates, keys) is a multi-line, monospace field.
 */
const MULTILINE_MIN_LENGTH = 4096;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(s: Json): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') as string | undefined;
  return undefined;
}

function kindOf(s: Json): FieldKind {
  const type = typeOf(s);
  if (Array.isArray(s.enum) && s.enum.every((e) => typeof e === 'string')) return 'enum';
  if (type === 'boolean') return 'boolean';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'array') return 'list';
  const long = typeof s.maxLength === 'number' && s.maxLength >= MULTILINE_MIN_LENGTH;
  return typeof s.contentMediaType === 'string' || long ? 'multiline' : 'text';
}

const shown = (v: unknown): string | undefined =>
  v === undefined || v === null
    ? undefined
    : Array.isArray(v)
      ? v.length === 0
        ? undefined
        : v.join(', ')
      : String(v);

/** The fields of an object schema, in the schema's order; anything that is not one yields none. */
export function fieldsOf(schema: unknown): SchemaField[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(schema.properties)
    .filter((e): e is [string, Json] => isObject(e[1]))
    .map(([name, s]) => ({
      name,
      label: typeof s.title === 'string' ? s.title : name,
      hint: typeof s.description === 'string' ? s.description : undefined,
      kind: kindOf(s),
      secret: s.writeOnly === true || schema.writeOnly === true,
      masked: (s.writeOnly === true || schema.writeOnly === true) && /pass|secret|token|key/i.test(name),
      required: required.has(name),
      placeholder: shown(s.default),
      options: Array.isArray(s.enum) ? s.enum.map(String) : [],
      min: typeof s.minimum === 'number' ? s.minimum : undefined,
      max: typeof s.maximum === 'number' ? s.maximum : undefined,
      pattern: typeof s.pattern === 'string' ? s.pattern : undefined,
    }));
}

/** What the form shows for a stored config (edit); secrets are never read back, so never pre-filled. */
export function formValues(fields: readonly SchemaField[], value: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    if (f.secret) continue;
    const v = value[f.name];
    if (v === undefined || v === null) continue;
    out[f.name] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** JSON Schema patterns are ECMA-262 (the server checks with ajv, unicode mode); one that does not compile here passes. */
function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return true;
  }
}

export type Built = { ok: true; value: Json } | { ok: false; errors: FieldErrors };

/**
 * The object the API takes from what was typed: an empty optional field is left out (the adapter's default
 * applies), numbers and booleans are typed, a list is split on commas or new lines, text is trimmed (a pasted key
 * line ends with a new line the schema's pattern does not allow). Errors are keyed `<path>.<field>`.
 */
export function buildValue(fields: readonly SchemaField[], raw: Record<string, string>, path: string): Built {
  const value: Json = {};
  const errors: FieldErrors = {};
  for (const f of fields) {
    const text = (raw[f.name] ?? '').trim();
    const key = `${path}.${f.name}`;
    if (text === '') {
      if (f.required) errors[key] = 'is required';
      continue;
    }
    if (f.kind === 'integer' || f.kind === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n)))
        errors[key] = f.kind === 'integer' ? 'must be a whole number' : 'must be a number';
      else if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max))
        errors[key] = `must be between ${f.min ?? '-∞'} and ${f.max ?? '∞'}`;
      else value[f.name] = n;
    } else if (f.kind === 'boolean') value[f.name] = text === 'true';
    else if (f.kind === 'list')
      value[f.name] = text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
    else if (f.pattern !== undefined && !matches(f.pattern, text))
      errors[key] = f.hint ? `does not have the expected form: ${f.hint}` : 'does not have the expected form';
    else value[f.name] = text;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}
