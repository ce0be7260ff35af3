// Faults against a real ovsdb-server: killed mid-call, restarted, wrong port.
import { AdapterError, type NetworkElement } from '@netplane/adapter-sdk';
import { findFreePort, type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx, seededRandom, waitFor } from './support';

let server: OvsdbServerHandle;
let el: NetworkElement;

beforeAll(async () => {
  server = await startOvsdbServer();
  el = createElement(server.tcpEndpoint);
});
afterEach(async () => {
  if (!server.pid()) await server.start();
});
afterAll(async () => {
  await el?.close();
  await server?.dispose();
});

const portCount = async (networkId: string) =>
  (await server.nbctl(['lsp-list', names.switch(networkId)])).trim().split('\n').filter(Boolean).length;

async function tier() {
  const vpc = vpcSpec();
  const net = networkSpec(vpc);
  await el.implementVpc(vpc, ctx());
  await el.implementNetwork(net, ctx());
  return net;
}

describe('faults', () => {
  it('answers UNREACHABLE (retryable) for a port nobody listens on', async () => {
    const port = await findFreePort();
    const wrong = createElement(`tcp:127.0.0.1:${port}`);
    try {
      for (const call of [wrong.healthCheck(ctx()), wrong.implementVpc(vpcSpec(), ctx())]) {
        const err = await call.catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AdapterError);
        expect(err).toMatchObject({ category: 'UNREACHABLE', retryable: true, vendorCode: 'ECONNREFUSED' });
      }
    } finally {
      await wrong.close();
    }
  });

  it('fails a batch in flight when the server is killed, and the retry after restart completes it exactly once', async () => {
    const net = await tier();
    const nics = Array.from({ length: 300 }, (_, i) => nicSpec(net, i));
    await el.prepareNics(nics.slice(0, 100), ctx()); // a third already exists: the retry must adopt those
    const pid = server.pid() as number;
    process.kill(pid, 'SIGSTOP'); // the request reaches the server, which never answers
    const call = el.prepareNics(nics, ctx()).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    await server.kill9();
    const err = await call;
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ category: 'UNREACHABLE', retryable: true });

    await server.start();
    const results = await el.prepareNics(nics, ctx());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.result.adopted)).toHaveLength(100);
    expect(await portCount(net.networkId)).toBe(301); // 300 NICs + the router-type port
  });

  it('keeps every invariant when the server dies at an arbitrary point of a large batch', async () => {
    const net = await tier();
    const nics = Array.from({ length: 1000 }, (_, i) => nicSpec(net, i));
    const call = el.prepareNics(nics, ctx()).then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    const random = seededRandom('kill delay');
    await new Promise((r) => setTimeout(r, 5 + random() * 40));
    await server.kill9();
    const outcome = await call;
    if (!outcome.ok) expect(outcome.e).toMatchObject({ category: 'UNREACHABLE', retryable: true });
    await server.start();
    // Whether the transaction committed before the kill or not, a retry converges on exactly one port per NIC.
    const results = await el.prepareNics(nics, ctx());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await portCount(net.networkId)).toBe(1001);
  });

  it('reconnects and re-monitors after a restart: drift made after the restart is still seen', async () => {
    const net = await tier();
    const nic = nicSpec(net, 1);
    await el.prepareNic(nic, ctx());
    const nicIds = async () =>
      (await el.observe({ networkIds: [net.networkId] }, ctx())).resources
        .filter((r) => r.kind === 'nic')
        .map((r) => r.id);
    expect(await nicIds()).toEqual([nic.nicId]);
    await server.restart();
    expect(await nicIds()).toEqual([nic.nicId]);
    await server.nbctl(['lsp-del', names.nicPort(nic.nicId)]);
    await waitFor(nicIds, (ids) => ids.length === 0);
    expect(await el.prepareNic(nic, ctx())).toEqual({ nicId: nic.nicId, adopted: false });
    expect(await nicIds()).toEqual([nic.nicId]);
  });

  it('answers TIMEOUT at once when the caller aborts while the server hangs', async () => {
    const net = await tier();
    const pid = server.pid() as number;
    process.kill(pid, 'SIGSTOP');
    try {
      const ac = new AbortController();
      const call = el.prepareNic(nicSpec(net, 9), ctx(ac.signal)).catch((e: unknown) => e);
      setTimeout(() => ac.abort(new Error('deadline')), 20);
      expect(await call).toMatchObject({ category: 'TIMEOUT', retryable: true });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await el.healthCheck(ctx())).ok).toBe(true);
  });
});
