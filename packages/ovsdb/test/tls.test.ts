// Integration: the ssl: transport against ovsdb-server's pssl remote, with a CA, server and client certificates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsdbClient, OvsdbConnectionError } from '../src';
import { type OvsdbServerHandle, startOvsdbServer } from '../src/testing';

let server: OvsdbServerHandle;
beforeAll(async () => {
  server = await startOvsdbServer({ ssl: true });
});
afterAll(async () => {
  await server?.dispose();
});

describe('TLS transport', () => {
  it('talks OVSDB over ssl: with a client certificate the server trusts', async () => {
    const ssl = server.ssl as NonNullable<OvsdbServerHandle['ssl']>;
    const client = await OvsdbClient.connect({ endpoint: ssl.endpoint, tls: ssl.client });
    try {
      expect(await client.listDbs()).toContain('OVN_Northbound');
      const m = await client.monitor('OVN_Northbound', { NB_Global: {} });
      expect(m.cache.size('NB_Global')).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('refuses a server whose certificate is not signed by the CA we were given', async () => {
    const ssl = server.ssl as NonNullable<OvsdbServerHandle['ssl']>;
    const client = new OvsdbClient({
      endpoint: ssl.endpoint,
      tls: { ...ssl.client, ca: undefined } as never,
    });
    const err = await client.listDbs().catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(OvsdbConnectionError);
    expect((err as OvsdbConnectionError).code).toMatch(/CERT|SIGNATURE|ISSUER/);
  });
});
