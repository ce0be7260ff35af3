// The reference page's reading of an OpenAPI document: tag order, short types and the curl example.
import { describe, expect, it } from 'vitest';
import { curlOf, groupByTag, type OpenApiDoc, typeOf } from './openapi';

const doc: OpenApiDoc = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  tags: [{ name: 'Zones' }, { name: 'VPCs' }],
  servers: [{ url: '/api/v1' }],
  paths: {
    '/vpcs/{id}': { delete: { tags: ['VPCs'], summary: 'Destroy' }, get: { tags: ['VPCs'] } },
    '/vpcs': {
      post: {
        tags: ['VPCs'],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name', 'zoneId'],
                properties: { name: { type: 'string' }, zoneId: { type: 'string', format: 'uuid' }, x: {} },
              },
            },
          },
        },
      },
    },
    '/zones': { get: { tags: ['Zones'] }, parameters: { tags: ['ignored'] } as never },
  },
  components: { schemas: { Limit: { type: 'integer', minimum: 1, maximum: 200 } } },
};

describe('the API reference document helpers', () => {
  it('groups operations by tag in the document order, paths sorted and verbs in CRUD order', () => {
    const groups = groupByTag(doc);
    expect(groups.map((g) => g.tag)).toEqual(['Zones', 'VPCs']);
    expect(groups[1]?.ops.map((o) => `${o.method} ${o.path}`)).toEqual([
      'post /vpcs',
      'get /vpcs/{id}',
      'delete /vpcs/{id}',
    ]);
  });

  it('writes short types, resolving component references', () => {
    expect(typeOf(doc, { $ref: '#/components/schemas/Limit' })).toBe('integer 1..200');
    expect(typeOf(doc, { type: 'string', format: 'uuid' })).toBe('string (uuid)');
    expect(typeOf(doc, { enum: ['a', 'b'] })).toBe('"a" | "b"');
    expect(typeOf(doc, { type: 'array', items: { type: 'boolean' } })).toBe('array of boolean');
  });

  it('makes a curl example with the path parameters as shell variables and the required body fields', () => {
    const [, vpcs] = groupByTag(doc);
    const [create, , destroy] = vpcs?.ops ?? [];
    if (!create || !destroy) throw new Error('operations missing');
    expect(curlOf(doc, 'http://h:1', destroy)).toBe(
      'curl -X DELETE "http://h:1/api/v1/vpcs/$ID" \\\n  -H "Authorization: Bearer $TOKEN"',
    );
    expect(curlOf(doc, 'http://h:1', create)).toContain(
      `-d '{"name":"…","zoneId":"00000000-0000-0000-0000-000000000000"}'`,
    );
  });
});
