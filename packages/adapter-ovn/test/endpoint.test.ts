// The endpoint forms the manifest advertises are accepted by the console's schema and understood by the client.
import { endpointSchema } from '@netplane/domain';
import { parseEndpoint } from '@netplane/ovsdb';
import { describe, expect, it } from 'vitest';
import { networkSpec, vpcSpec } from './fixtures';
import { createElement, ctx } from './support';

describe('OVN endpoints', () => {
  it.each([
    ['tcp:127.0.0.1:6641', { kind: 'tcp', host: '127.0.0.1', port: 6641 }],
    ['unix:/var/run/ovn/ovnnb_db.sock', { kind: 'unix', path: '/var/run/ovn/ovnnb_db.sock' }],
    ['ssl:ovn-central.example:6641', { kind: 'ssl', host: 'ovn-central.example', port: 6641 }],
    ['tcp:[::1]:6641', { kind: 'tcp', host: '::1', port: 6641 }],
  ])('accepts %s in the controller form and parses it', (endpoint, parsed) => {
    expect(endpointSchema.safeParse(endpoint).success).toBe(true);
    expect(parseEndpoint(endpoint)).toEqual(parsed);
  });

  it.each(['tcp:127.0.0.1', 'unix:relative/path', 'tcp:host:99999', 'http://127.0.0.1:6641'])(
    'refuses %s as an OVSDB endpoint',
    (endpoint) => {
      expect(() => parseEndpoint(endpoint)).toThrow(TypeError);
    },
  );

  it('creates an element for a malformed endpoint or config whose every call fails INVALID_REQUEST', async () => {
    for (const [endpoint, config] of [
      ['http://127.0.0.1:6641', {}],
      ['tcp:127.0.0.1:6641', { snatExternalIp: 'not-an-ip' }],
    ] as const) {
      const el = createElement(endpoint, config);
      const err = await el.healthCheck(ctx()).catch((e: unknown) => e);
      expect(err).toMatchObject({ category: 'INVALID_REQUEST', retryable: false });
      const vpc = vpcSpec();
      expect(await el.canHandle({ network: networkSpec(vpc), service: 'Connectivity' }, ctx())).toMatchObject(
        {
          canHandle: false,
        },
      );
      await el.close();
    }
  });
});
