// Generic probes for every procedure of an app router: the list of procedures (read from the router itself, so a
// new router is covered without editing this file) and malformed inputs built from nothing but its input schema.
import { randomUUID } from 'node:crypto';
import type { AnyProcedure, AnyTRPCRouter } from '@trpc/server';
import { z } from 'zod';
import { testAppRouter } from './fixtures/app-router';

export type ProcedureInfo = { path: string; type: 'query' | 'mutation' | 'subscription'; inputs: unknown[] };

/** Every procedure of `router` (the API tests' router by default; the server tests pass the server's). */
export function listProcedures(router: AnyTRPCRouter = testAppRouter): ProcedureInfo[] {
  const procs = router._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.entries(procs)
    .map(([path, p]) => ({
      path,
      type: p._def.type,
      inputs: (p._def as { inputs?: unknown[] }).inputs ?? [],
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

type Json = { [k: string]: unknown };
const MB = 'x'.repeat(1024 * 1024);

/** JSON Schema of the procedure's (first) zod input, or undefined when it has none or it cannot be described. */
function jsonSchemaOf(p: ProcedureInfo): Json | undefined {
  const schema = p.inputs[0];
  if (!(schema instanceof z.ZodType)) return undefined;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    return undefined;
  }
}

/** A plausible value for a JSON-schema node: right types, ids that exist nowhere, enums' first values. */
function sample(node: Json | undefined, key = '', depth = 0): unknown {
  if (!node || depth > 6) return null;
  const anyOf = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  if (anyOf?.[0]) return sample(anyOf[0], key, depth + 1);
  if (Array.isArray(node.enum)) return node.enum[0];
  if ('const' in node) return node.const;
  switch (node.type) {
    case 'object': {
      const props = (node.properties ?? {}) as Record<string, Json>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sample(v, k, depth + 1)]));
    }
    case 'array':
      return node.minItems ? [sample(node.items as Json, key, depth + 1)] : [];
    case 'string':
      if (node.format === 'uuid' || /id$/i.test(key)) return randomUUID();
      return 'probe'.padEnd(Number(node.minLength ?? 1), 'x').slice(0, Number(node.maxLength ?? 64));
    case 'integer':
    case 'number':
      return Number(node.minimum ?? node.exclusiveMinimum ?? 1);
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function deeplyNested(depth: number): unknown {
  let v: unknown = { junk: [1, 'two', null] };
  // Linear nesting: a shared child twice per level would serialise to 2^depth nodes over HTTP.
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { a: v, b: 'x' } : [v, 1];
  return v;
}

/** Malformed (and one plausible-but-unknown-ids) inputs for one procedure, each with a label for messages. */
export function malformedInputs(p: ProcedureInfo): { label: string; input: unknown }[] {
  const cases: { label: string; input: unknown }[] = [
    { label: 'undefined', input: undefined },
    { label: 'null', input: null },
    { label: 'a number', input: 42 },
    { label: 'a string', input: 'junk' },
    { label: 'an array', input: [1, 2, 3] },
    { label: 'an empty object', input: {} },
    { label: 'a 1 MB string', input: MB },
    { label: 'deeply nested junk', input: deeplyNested(200) },
    {
      label: 'unknown ids',
      input: { id: randomUUID(), zoneId: randomUUID(), physicalNetworkId: randomUUID() },
    },
    { label: 'a VLAN range 0-5000', input: { broadcastRanges: [{ kind: 'vlan', start: 0, end: 5000 }] } },
  ];
  const schema = jsonSchemaOf(p);
  const base = sample(schema);
  if (base && typeof base === 'object' && !Array.isArray(base)) {
    const obj = base as Json;
    cases.push({ label: 'plausible input with unknown ids', input: obj });
    for (const k of Object.keys(obj)) {
      cases.push({
        label: `field ${k} of the wrong type`,
        input: { ...obj, [k]: typeof obj[k] === 'number' ? 'NaN' : 7 },
      });
      cases.push({ label: `field ${k} a 1 MB string`, input: { ...obj, [k]: MB } });
      cases.push({
        label: `field ${k} missing`,
        input: Object.fromEntries(Object.entries(obj).filter(([x]) => x !== k)),
      });
      if (/range|vlan|vni/i.test(k)) {
        cases.push({
          label: `field ${k} a VLAN range 0-5000`,
          input: { ...obj, [k]: [{ kind: 'vlan', start: 0, end: 5000 }] },
        });
      }
    }
  }
  return cases;
}

/** The tRPC codes that are client errors (HTTP 4xx). */
export const CLIENT_ERROR_CODES = new Set([
  'PARSE_ERROR',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'PAYMENT_REQUIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_SUPPORTED',
  'TIMEOUT',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNPROCESSABLE_CONTENT',
  'TOO_MANY_REQUESTS',
  'CLIENT_CLOSED_REQUEST',
]);
