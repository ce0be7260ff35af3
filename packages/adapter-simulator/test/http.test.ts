// Remote mode: the adapter over HTTP maps statuses, Retry-After and network failures to AdapterErrors, and the server
// stops a call whose client went away.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteSimulatorControl, type SimulatorServer, startSimulatorServer } from '../src/index';
import { parseRetryAfter } from '../src/remote/wire';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, remoteElement, waitFor } from './helpers';

let sim: SimulatorServer;
beforeAll(async () => {
  sim = await startSimulatorServer({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

async function plainServer(status: number, headers: Record<string, string>, body: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

describe('simulator over HTTP', () => {
  it('listens on 127.0.0.1 on the port it was given (0: any free one)', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.port).toBeGreaterThan(0);
  });

  it('maps a rate-limited call to RATE_LIMITED with retryAfterMs, and a concurrency refusal to a 503', async () => {
    const el = remoteElement(sim.url, 'rate');
    const control = createRemoteSimulatorControl(sim.url);
    await control.setProfile('rate', { rateLimitPerSecond: 2, burst: 1 });
    await el.observe({}, ctx());
    await expect(el.observe({}, ctx())).rejects.toMatchObject({
      category: 'RATE_LIMITED',
      vendorCode: 'HTTP_429',
    });
    await control.setProfile('rate', { rateLimitPerSecond: null, maxConcurrent: 1, latencyMs: 50 });
    const both = await Promise.allSettled([el.observe({}, ctx()), el.observe({}, ctx())]);
    const rejected = both.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({
      category: 'RATE_LIMITED',
      vendorCode: 'HTTP_503',
    });
    expect((await control.getState('rate'))?.stats.overLimitCalls).toBe(2);
  });

  it('sends a scripted rateLimited fault as a real 429 whose Retry-After header the client reads back', async () => {
    const el = remoteElement(sim.url, 'scripted-429');
    const control = createRemoteSimulatorControl(sim.url);
    await control.injectFault('scripted-429', { kind: 'rateLimited', retryAfterMs: 3_000, count: 1 });
    await expect(el.observe({}, ctx())).rejects.toMatchObject({
      category: 'RATE_LIMITED',
      vendorCode: 'HTTP_429',
      retryAfterMs: 3_000,
    });
    await expect(el.observe({}, ctx())).resolves.toEqual({ resources: [] });
  });

  it('maps a bare 429 or 503 with Retry-After from any HTTP server to RATE_LIMITED', async () => {
    const s429 = await plainServer(429, { 'retry-after': '2' }, 'slow down');
    const s503 = await plainServer(503, { 'retry-after': new Date(Date.now() + 3_000).toUTCString() }, '');
    try {
      await expect(remoteElement(urlOf(s429)).observe({}, ctx())).rejects.toMatchObject({
        category: 'RATE_LIMITED',
        vendorCode: 'HTTP_429',
        retryAfterMs: 2_000,
      });
      const err = (await remoteElement(urlOf(s503))
        .observe({}, ctx())
        .catch((e: unknown) => e)) as { retryAfterMs?: number };
      expect(err).toMatchObject({ category: 'RATE_LIMITED', vendorCode: 'HTTP_503' });
      expect(err.retryAfterMs).toBeGreaterThan(1_000);
      expect(err.retryAfterMs).toBeLessThanOrEqual(3_000);
    } finally {
      s429.close();
      s503.close();
    }
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('1.5')).toBe(1_500);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000)).toBe(6_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('answers UNREACHABLE when nothing listens on the endpoint', async () => {
    const s = await plainServer(200, {}, '{}');
    const url = urlOf(s);
    await new Promise((r) => s.close(r));
    await expect(remoteElement(url).healthCheck(ctx())).rejects.toMatchObject({
      category: 'UNREACHABLE',
      vendorCode: 'ECONNREFUSED',
      retryable: true,
    });
  });

  it('answers UNREACHABLE when the controller resets the connection', async () => {
    const control = createRemoteSimulatorControl(sim.url);
    await control.injectFault('reset', { kind: 'connectionReset', count: 1 });
    const el = remoteElement(sim.url, 'reset');
    await expect(el.observe({}, ctx())).rejects.toMatchObject({ category: 'UNREACHABLE' });
    await expect(el.observe({}, ctx())).resolves.toEqual({ resources: [] });
  });

  it('carries auth, conflict (with what is in the way) and vendor errors through the wire', async () => {
    const control = createRemoteSimulatorControl(sim.url);
    const el = remoteElement(sim.url, 'errors');
    await control.injectFault('errors', { kind: 'authFailure', count: 1 });
    await expect(el.observe({}, ctx())).rejects.toMatchObject({ category: 'AUTH_FAILED', retryable: false });
    await control.injectFault('errors', {
      kind: 'vendorError',
      code: 'NSX-600',
      message: 'bad thing',
      count: 1,
    });
    await expect(el.observe({}, ctx())).rejects.toMatchObject({
      category: 'VENDOR_ERROR',
      vendorCode: 'NSX-600',
      vendorMessage: 'bad thing',
    });
    const net = networkSpec(vpcSpec(), 77);
    await control.plantForeign('errors', { kind: 'segment', method: 'VLAN', segmentId: 77, owner: 'old-dc' });
    await expect(el.implementNetwork(net, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      conflict: { resource: 'segment', name: 'VLAN:77', owner: 'old-dc' },
    });
  });

  it('returns per-NIC errors of a batch as AdapterErrors', async () => {
    const control = createRemoteSimulatorControl(sim.url);
    const el = remoteElement(sim.url, 'batch');
    await control.setProfile('batch', { maxPorts: 1 });
    const net = networkSpec(vpcSpec());
    await el.implementNetwork(net, ctx());
    const results = await el.prepareNics([nicSpec(net, 1), nicSpec(net, 2)], ctx());
    expect(results[0]).toMatchObject({ ok: true, result: { adopted: false } });
    expect(results[1]?.ok === false && results[1].error.category).toBe('CAPACITY_EXHAUSTED');
  });

  it('aborts a hanging call promptly and the server stops it when the client goes away', async () => {
    const control = createRemoteSimulatorControl(sim.url);
    await control.injectFault('hang', { kind: 'timeout', operation: 'implement' });
    const el = remoteElement(sim.url, 'hang');
    const ac = new AbortController();
    const call = el.implementNetwork(networkSpec(vpcSpec()), ctx(ac.signal));
    // The call is hanging on the server (not a sleep that hopes it got there), then the client gives up.
    await waitFor(
      async () => (await control.getState('hang'))?.stats.inFlight,
      (n) => n === 1,
    );
    ac.abort(new Error('engine timeout'));
    await expect(call).rejects.toMatchObject({ category: 'TIMEOUT' });
    await waitFor(
      async () => (await control.getState('hang'))?.stats.inFlight,
      (n) => n === 0,
    );
    const state = await control.getState('hang');
    expect(state?.stats.inFlight).toBe(0);
    expect(state?.counts.networks).toBe(0);
  });

  it('exposes state, tampering and stats reset through the control API; an unknown controller is null', async () => {
    const control = createRemoteSimulatorControl(sim.url);
    expect(await control.getState('never-used')).toBeNull();
    const el = remoteElement(sim.url, 'ctl');
    const net = networkSpec(vpcSpec());
    await el.implementNetwork(net, ctx());
    await control.tamper('ctl', { action: 'delete', kind: 'network', id: net.networkId });
    expect((await el.observe({}, ctx())).resources).toEqual([]);
    await control.resetStats('ctl');
    expect((await control.getState('ctl'))?.stats.totalCalls).toBe(0);
    await expect(control.injectFault('ctl', { kind: 'nope' } as never)).rejects.toMatchObject({
      category: 'VENDOR_ERROR',
    });
  });

  it('applies and revokes rules over HTTP, with foreign public IPs and rule tampering through the control API', async () => {
    const control = createRemoteSimulatorControl(sim.url);
    const el = remoteElement(sim.url, 'rules');
    const { applyStaticNat, revokeStaticNat, applyLbRule } = el;
    if (!applyStaticNat || !revokeStaticNat || !applyLbRule) throw new Error('rule calls missing');
    const vpc = vpcSpec();
    const net = networkSpec(vpc, 400);
    await el.implementNetwork(net, ctx());
    const nic = nicSpec(net, 1);
    await el.prepareNic(nic, ctx());
    const rule = {
      ruleId: 'nat-1',
      vpcId: vpc.vpcId,
      networkId: net.networkId,
      nicId: nic.nicId,
      publicIp: '198.51.100.7',
      privateIp: nic.ip,
    };
    await control.plantForeign('rules', { kind: 'publicIp', ip: rule.publicIp, owner: 'isp' });
    await expect(applyStaticNat(rule, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      retryable: false,
      conflict: { resource: 'publicIp', owner: 'isp' },
    });
    await control.removeForeign('rules', { kind: 'publicIp', ip: rule.publicIp });
    expect(await applyStaticNat(rule, ctx())).toEqual({ adopted: false });
    const lbRule = {
      ruleId: 'lb-1',
      vpcId: vpc.vpcId,
      networkId: net.networkId,
      name: 'web',
      publicIp: '198.51.100.8',
      publicPort: 443,
      privatePort: 8443,
      protocol: 'tcp' as const,
      algorithm: 'source' as const,
      members: [{ nicId: nic.nicId, ip: nic.ip }],
    };
    expect(await applyLbRule(lbRule, ctx())).toEqual({ adopted: false });
    await control.tamper('rules', { action: 'delete', kind: 'lb', id: 'lb-1' });
    await control.tamper('rules', {
      action: 'issue',
      kind: 'nat',
      id: 'nat-1',
      issue: 'NAT moved to another port',
    });
    const seen = (await el.observe({ vpcId: vpc.vpcId }, ctx())).resources.filter(
      (r) => r.kind !== 'network',
    );
    expect(seen.map((r) => [r.kind, r.id, r.issues])).toEqual([
      ['nic', nic.nicId, undefined],
      ['nat', 'nat-1', ['NAT moved to another port']],
    ]);
    await expect(revokeStaticNat(rule, ctx())).resolves.toBeUndefined();
    await expect(revokeStaticNat(rule, ctx())).resolves.toBeUndefined();
    const state = await control.getState('rules');
    expect(state?.stats.calls).toMatchObject({ apply: 3, revoke: 2 });
    expect(state?.counts).toMatchObject({ staticNats: 0, lbRules: 0, foreign: 0 });
  });

  it('logs each remote call with the calling process (host/pid) for fencing checks', async () => {
    const control = createRemoteSimulatorControl(sim.url);
    const el = remoteElement(sim.url, 'log');
    const since = Date.now();
    await el.observe({}, { signal: AbortSignal.timeout(5000), idempotencyKey: 'k-1' });
    const calls = await control.calls('log', since);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ op: 'observe', outcome: 'ok', idempotencyKey: 'k-1' });
    expect(calls[0]?.caller).toMatch(new RegExp(`/${process.pid}$`));
    expect(await control.calls('never-used')).toEqual([]);
  });

  it('loses the answer of a committed batch on a late connection reset; the retry adopts every NIC', async () => {
    const control = createRemoteSimulatorControl(sim.url);
    const el = remoteElement(sim.url, 'late');
    const net = networkSpec(vpcSpec());
    await el.implementNetwork(net, ctx());
    await control.injectFault('late', {
      kind: 'connectionReset',
      operation: 'prepare',
      afterCommit: true,
      count: 1,
    });
    const nics = [nicSpec(net, 1), nicSpec(net, 2)];
    await expect(el.prepareNics(nics, ctx())).rejects.toMatchObject({ category: 'UNREACHABLE' });
    const retry = await el.prepareNics(nics, ctx());
    expect(retry.every((r) => r.ok && r.result.adopted)).toBe(true);
    const state = await control.getState('late');
    expect(Object.values(state?.stats.portCreations ?? {})).toEqual([1, 1]);
  });

  it('answers 400 to a call with an unknown op and 404 to an unknown route', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${sim.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    const bad = await post('/v1/controllers/x/call', { op: 'formatDisk' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^Unknown op/);
    expect((await post('/v1/nothing', {})).status).toBe(404);
    expect((await post('/v1/controllers/x/call', 'not an object')).status).toBe(400);
  });
});
