// The slice of an OpenAPI 3.1 document the reference page reads, and the helpers that walk it: operations grouped by
// tag, $ref resolution, a one-line type of a schema, and a curl example per operation.

export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

export type Parameter = {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
};

export type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};

export type OpenApiDoc = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string }[];
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

export type Op = { method: string; path: string; op: Operation };

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

/** Tags in the document's order (first-seen for unlisted ones), each with its operations sorted by path then verb. */
export function groupByTag(doc: OpenApiDoc): { tag: string; ops: Op[] }[] {
  const groups = new Map<string, Op[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHOD_ORDER.includes(method)) continue;
      const tag = op.tags?.[0] ?? 'Other';
      groups.set(tag, [...(groups.get(tag) ?? []), { method, path, op }]);
    }
  }
  const order = (doc.tags ?? []).map((t) => t.name);
  const rank = (tag: string) => (order.includes(tag) ? order.indexOf(tag) : order.length);
  return [...groups]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([tag, ops]) => ({
      tag,
      ops: ops.sort(
        (a, b) =>
          a.path.localeCompare(b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
      ),
    }));
}

export function resolve(doc: OpenApiDoc, s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  const name = s.$ref.replace('#/components/schemas/', '');
  return doc.components?.schemas?.[name];
}

/** A short type: `string (uuid)`, `integer 1..200`, `"a" | "b"`, `array of object`. */
export function typeOf(doc: OpenApiDoc, raw: Schema | undefined): string {
  const s = resolve(doc, raw);
  if (!s) return 'any';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map((u) => typeOf(doc, u)).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  if (type === 'array') return `array of ${typeOf(doc, s.items)}`;
  const range = (lo?: number, hi?: number) =>
    lo === undefined && hi === undefined ? '' : ` ${lo ?? ''}..${hi ?? ''}`;
  const extra = s.format ? ` (${s.format})` : '';
  if (type === 'string') return `string${extra}${range(s.minLength, s.maxLength)}`;
  if (type === 'integer' || type === 'number') return `${type}${range(s.minimum, s.maximum)}`;
  return `${type}${extra}`;
}

/** A JSON body built from the schema's required fields, so the curl example shows the shape to fill in. */
function example(doc: OpenApiDoc, raw: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (!s || depth > 4) return null;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  const union = s.anyOf ?? s.oneOf;
  if (union) return example(doc, union[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of s.required ?? []) out[key] = example(doc, s.properties?.[key], depth + 1);
    return out;
  }
  if (type === 'array') return [example(doc, s.items, depth + 1)];
  if (type === 'integer' || type === 'number') return s.minimum ?? 0;
  if (type === 'boolean') return true;
  if (s.format === 'uuid') return '00000000-0000-0000-0000-000000000000';
  return '…';
}

export function requestSchema(op: Operation): Schema | undefined {
  return op.requestBody?.content?.['application/json']?.schema;
}

export function responseSchema(op: Operation): Schema | undefined {
  return op.responses?.['200']?.content?.['application/json']?.schema;
}

export function curlOf(doc: OpenApiDoc, origin: string, { method, path, op }: Op): string {
  const base = `${origin}${doc.servers?.[0]?.url ?? ''}`;
  const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => `$${name.toUpperCase()}`);
  const lines = [`curl -X ${method.toUpperCase()} "${base}${url}"`, '  -H "Authorization: Bearer $TOKEN"'];
  const body = requestSchema(op);
  if (body) {
    lines.push("  -H 'content-type: application/json'");
    lines.push(`  -d '${JSON.stringify(example(doc, body))}'`);
  }
  return lines.join(' \\\n');
}
