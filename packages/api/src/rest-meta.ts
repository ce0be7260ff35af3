// The REST face of a procedure: `.meta(rest('GET', '/vpcs/{id}', 'VPCs', 'Read a VPC'))` publishes it under
// /api/v1 with that verb and path (trpc-to-openapi). Input and output stay the procedure's own zod schemas, so the
// REST API and its OpenAPI document can never drift from tRPC. Every REST operation needs a token or a session.
import type { OpenApiMeta, OpenApiMethod } from 'trpc-to-openapi';

export type RestMeta = OpenApiMeta;

export function rest(method: OpenApiMethod, path: `/${string}`, tag: string, summary: string): RestMeta {
  return { openapi: { method, path, tags: [tag], summary, protect: true } };
}
