// The simulator's Realized model: what it holds is realized; an `unrealized` fault keeps the writes it scopes
// unrealized with its reason until the faults are cleared (NorthdNotRunning: the whole controller), in process and
// over HTTP (the remote simulator process the engine tests use).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteSimulatorControl, type SimulatorServer, startSimulatorServer } from '../src/index';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, inProcess, remoteElement } from './helpers';

const scopeOf = (vpcId: string) => ({ vpcId, waitMs: 0 });

describe('checkRealized', () => {
  it('reports everything it holds realized, and the writes made under an unrealized fault not, until cleared', async () => {
    const { hub, controllerId, element } = inProcess();
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await element.implementVpc(vpc, ctx());
    await element.implementNetwork(net, ctx());
    const check = element.checkRealized?.bind(element);
    if (!check) throw new Error('the simulator has checkRealized');
    const before = await check(scopeOf(vpc.vpcId), ctx());
    expect(before.overall.realized).toBe(true);
    expect(before.resources.every((r) => r.realized)).toBe(true);
    expect(before.resources.map((r) => r.kind).sort()).toEqual(expect.arrayContaining(['network', 'vpc']));

    await hub.injectFault(controllerId, { kind: 'unrealized', reason: 'PortNotBound', resource: 'nic' });
    const nic = nicSpec(net, 1);
    await element.prepareNic(nic, ctx());
    const during = await check(scopeOf(vpc.vpcId), ctx());
    expect(during.overall.realized).toBe(true);
    expect(during.resources.find((r) => r.kind === 'nic' && r.id === nic.nicId)).toMatchObject({
      realized: false,
      reason: 'PortNotBound',
    });
    expect(during.resources.find((r) => r.kind === 'network')?.realized).toBe(true);

    await hub.clearFaults(controllerId);
    const after = await check(scopeOf(vpc.vpcId), ctx());
    expect(after.resources.every((r) => r.realized)).toBe(true);
  });

  it('says the whole controller is off under NorthdNotRunning, naming only what it knows is off', async () => {
    const { hub, controllerId, element } = inProcess();
    const vpc = vpcSpec();
    await element.implementVpc(vpc, ctx());
    await hub.injectFault(controllerId, { kind: 'unrealized', reason: 'NorthdNotRunning', count: 1 });
    const net = networkSpec(vpc);
    await element.implementNetwork(net, ctx());
    const report = await element.checkRealized?.(scopeOf(vpc.vpcId), ctx());
    expect(report?.overall).toMatchObject({ realized: false, reason: 'NorthdNotRunning' });
    expect(report?.resources.map((r) => [r.kind, r.id, r.realized])).toEqual([
      ['network', net.networkId, false],
    ]);
    // A count-limited fault is used up by the write it marked; the stall lasts until the faults are cleared.
    expect((await hub.getState(controllerId))?.faults).toEqual([]);
    await hub.clearFaults(controllerId);
    expect((await element.checkRealized?.(scopeOf(vpc.vpcId), ctx()))?.overall.realized).toBe(true);
  });
});

describe('checkRealized over HTTP', () => {
  let sim: SimulatorServer;
  beforeAll(async () => {
    sim = await startSimulatorServer({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('takes the unrealized fault through the control API and answers the check', async () => {
    const el = remoteElement(sim.url, 'realized');
    const control = createRemoteSimulatorControl(sim.url);
    const vpc = vpcSpec();
    await control.injectFault('realized', {
      kind: 'unrealized',
      reason: 'NotCompiled',
      operation: 'implement',
    });
    await el.implementVpc(vpc, ctx());
    const report = await el.checkRealized?.(scopeOf(vpc.vpcId), ctx());
    expect(report?.resources).toEqual([
      expect.objectContaining({ kind: 'vpc', id: vpc.vpcId, realized: false, reason: 'NotCompiled' }),
    ]);
    await control.clearFaults('realized');
    expect((await el.checkRealized?.(scopeOf(vpc.vpcId), ctx()))?.resources[0]?.realized).toBe(true);
  });
});
