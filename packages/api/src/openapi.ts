// The OpenAPI 3.1 document of the REST API (/api/v1), generated from the procedures that carry rest() metadata:
// the same zod schemas validate tRPC and REST input, so the document is the code's own description.
import { generateOpenApiDocument, type OpenAPIObject, type OpenApiRouter } from 'trpc-to-openapi';

export const REST_BASE_PATH = '/api/v1';

export function restOpenApiDocument(router: OpenApiRouter, version: string): OpenAPIObject {
  return generateOpenApiDocument(router, {
    title: 'Netplane REST API',
    description:
      'Scripts authenticate with a personal access token (`Authorization: Bearer npt_…`, made on the API tokens ' +
      'page); the console session cookie works too (mutations then also need the X-CSRF-Token header). Errors ' +
      'are `{ code, message, details }` with the HTTP status of the code.',
    version,
    openApiVersion: '3.1.0',
    baseUrl: REST_BASE_PATH,
    // In the order an admin sets things up, then provisioning: the reference page lists them so.
    tags: [
      'Zones',
      'Physical networks',
      'Providers',
      'Controllers',
      'Offerings',
      'VPCs',
      'Tiers',
      'NICs',
      'Jobs',
      'Public IPs',
      'Adapters',
    ],
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'np_session', description: 'The console session' },
    },
  });
}
