// The middle baseline: the OVN adapter alone (no API, no engine, no database) preparing the same NICs in the batches
// and with the concurrency the engine uses by default, on its own fresh Northbound database. raw ≤ adapter ≤ stack
// splits the whole-stack time into what OVSDB costs, what the adapter's reads and checks add, and what the rest adds.
import { randomUUID } from 'node:crypto';
import ovnAdapter from '@netplane/adapter-ovn';
import type { CallContext, NicSpec } from '@netplane/adapter-sdk';
import { startOvsdbServer } from '@netplane/ovsdb/testing';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const ctx = (): CallContext => ({ signal: new AbortController().signal, idempotencyKey: randomUUID() });

export async function measureAdapterOnly(
  nics: readonly NicSpec[],
  opts: { batch: number; concurrency: number },
): Promise<{ ms: number; calls: number; failed: number }> {
  const server = await startOvsdbServer();
  const element = ovnAdapter.createElement(
    { controllerId: randomUUID(), endpoint: server.tcpEndpoint, credentials: {}, config: {} },
    { logger: silent },
  );
  try {
    const vpcId = nics[0]?.vpcId ?? randomUUID();
    await element.implementVpc({ vpcId, name: 'bench', cidr: '10.0.0.0/8' }, ctx());
    const networkIds = [...new Set(nics.map((n) => n.networkId))];
    for (const [t, networkId] of networkIds.entries()) {
      const isolation = { method: 'GENEVE' as const, segmentId: 5000 + t };
      const network = { vpcId, networkId, name: `tier-${t}`, isolation, services: ['Connectivity' as const] };
      await element.implementNetwork({ ...network, cidr: `10.${t}.0.0/16`, gateway: `10.${t}.0.1` }, ctx());
    }
    const batches: NicSpec[][] = [];
    for (const id of networkIds) {
      const tier = nics.filter((n) => n.networkId === id);
      for (let i = 0; i < tier.length; i += opts.batch) batches.push(tier.slice(i, i + opts.batch));
    }
    let next = 0;
    let failed = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(opts.concurrency, batches.length) }, async () => {
        while (next < batches.length) {
          const results = await element.prepareNics(batches[next++] as NicSpec[], ctx());
          failed += results.filter((r) => !r.ok).length;
        }
      }),
    );
    return { ms: performance.now() - t0, calls: batches.length, failed };
  } finally {
    await element.close();
    await server.dispose();
  }
}
