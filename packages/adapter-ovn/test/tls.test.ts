// The adapter over ssl: with the controller's TLS credentials (key, certificate, CA) as the console stores them.
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ovnCredentialSchema } from '../src';
import { createElement, ctx } from './support';

let server: OvsdbServerHandle;
beforeAll(async () => {
  server = await startOvsdbServer({ ssl: true });
});
afterAll(async () => {
  await server?.dispose();
});

describe('OVN over TLS', () => {
  it('connects with the credential fields and reports the schema version', async () => {
    const ssl = server.ssl as NonNullable<OvsdbServerHandle['ssl']>;
    const credentials = ovnCredentialSchema.parse({
      privateKey: ssl.client.key,
      certificate: ssl.client.cert,
      caCertificate: ssl.client.ca,
    });
    const el = createElement(ssl.endpoint, {}, credentials);
    try {
      expect(await el.healthCheck(ctx())).toMatchObject({
        ok: true,
        version: expect.stringMatching(/^OVN_Northbound /),
      });
    } finally {
      await el.close();
    }
  });

  it('answers AUTH_FAILED, without any key material in the error, when the server is not trusted', async () => {
    const ssl = server.ssl as NonNullable<OvsdbServerHandle['ssl']>;
    const el = createElement(ssl.endpoint, {}, { privateKey: ssl.client.key, certificate: ssl.client.cert });
    try {
      const err = await el.healthCheck(ctx()).catch((e: unknown) => e);
      expect(err).toMatchObject({ category: 'AUTH_FAILED', retryable: false });
      const text = JSON.stringify({ message: (err as Error).message, err });
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(ssl.client.key.split('\n')[1] ?? 'x');
    } finally {
      await el.close();
    }
  });
});
