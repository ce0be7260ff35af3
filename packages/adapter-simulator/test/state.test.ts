// The simulated controller's tables: adoption, conflicts (never overwriting), cascade removal and tampering.
import { describe, expect, it } from 'vitest';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, inProcess } from './helpers';

describe('simulated controller state', () => {
  it('adopts what it already made for the same owner ids', async () => {
    const { element } = inProcess();
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    expect(await element.implementVpc(vpc, ctx())).toEqual({ adopted: false });
    expect(await element.implementVpc(vpc, ctx())).toEqual({ adopted: true });
    expect(await element.implementNetwork(net, ctx())).toEqual({
      broadcastUri: 'vlan://120',
      adopted: false,
    });
    expect(await element.implementNetwork(net, ctx())).toEqual({ broadcastUri: 'vlan://120', adopted: true });
  });

  it('refuses a second network on a VLAN held by another network, leaving the first intact', async () => {
    const { element } = inProcess();
    const vpc = vpcSpec();
    const a = networkSpec(vpc, 200);
    const b = networkSpec(vpc, 200);
    await element.implementNetwork(a, ctx());
    await expect(element.implementNetwork(b, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      conflict: { resource: 'segment', name: 'VLAN:200', owner: 'netplane' },
    });
    const seen = (await element.observe({ vpcId: vpc.vpcId }, ctx())).resources;
    expect(seen.map((r) => r.id)).toEqual([a.networkId]);
  });

  it('reports a resource with our name but another owner as a conflict naming that owner', async () => {
    const { hub, controllerId, element } = inProcess();
    const vpc = vpcSpec();
    hub.plantForeign(controllerId, { kind: 'vpc', id: vpc.vpcId, owner: 'tenant-b' });
    await expect(element.implementVpc(vpc, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      conflict: { resource: 'vpc', name: `np-vpc-${vpc.vpcId}`, owner: 'tenant-b' },
    });
    expect(hub.isForeignIntact(controllerId, 'vpc', vpc.vpcId, 'tenant-b')).toBe(true);
  });

  it('refuses to prepare a NIC on a network the controller does not have', async () => {
    const { element } = inProcess();
    const net = networkSpec(vpcSpec());
    await expect(element.prepareNic(nicSpec(net, 1), ctx())).rejects.toMatchObject({
      category: 'INVALID_REQUEST',
    });
  });

  it('removes the switches and ports of a VPC when the VPC is destroyed and frees their VLANs', async () => {
    const { hub, controllerId, element } = inProcess();
    const vpc = vpcSpec();
    const net = networkSpec(vpc, 42);
    await element.implementVpc(vpc, ctx());
    await element.implementNetwork(net, ctx());
    await element.prepareNic(nicSpec(net, 1), ctx());
    await element.destroyVpc(vpc, ctx());
    expect((await hub.getState(controllerId))?.counts).toEqual({
      vpcs: 0,
      networks: 0,
      ports: 0,
      segments: 0,
      staticNats: 0,
      portForwards: 0,
      lbRules: 0,
      acls: 0,
      foreign: 0,
    });
    await expect(element.implementNetwork(networkSpec(vpcSpec(), 42), ctx())).resolves.toMatchObject({
      adopted: false,
    });
  });

  it('shows tampering behind the engine back in observe: a deleted port and an altered switch', async () => {
    const { hub, controllerId, element } = inProcess();
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await element.implementNetwork(net, ctx());
    const nic = nicSpec(net, 1);
    await element.prepareNic(nic, ctx());
    hub.tamper(controllerId, { action: 'delete', kind: 'nic', id: nic.nicId });
    hub.tamper(controllerId, {
      action: 'alter',
      kind: 'network',
      id: net.networkId,
      attributes: { cidr: '192.168.0.0/24' },
    });
    const seen = (await element.observe({ networkIds: [net.networkId] }, ctx())).resources;
    expect(seen.map((r) => [r.kind, r.id, r.attributes.cidr])).toEqual([
      ['network', net.networkId, '192.168.0.0/24'],
    ]);
    await expect(element.implementNetwork(net, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
    });
  });

  it('keeps controllers apart: faults and resources of one never touch another', async () => {
    const one = inProcess();
    const other = inProcess(one.hub);
    await one.hub.injectFault(one.controllerId, { kind: 'authFailure' });
    await expect(other.element.observe({}, ctx())).resolves.toEqual({ resources: [] });
    await expect(one.element.observe({}, ctx())).rejects.toMatchObject({ category: 'AUTH_FAILED' });
  });

  it('logs every call with its caller, idempotency key, NICs and outcome', async () => {
    const { hub, controllerId, element } = inProcess();
    const net = networkSpec(vpcSpec());
    const before = Date.now();
    await element.implementNetwork(net, { signal: AbortSignal.timeout(1000), idempotencyKey: 'step-1' });
    const nics = [nicSpec(net, 1), nicSpec(net, 2)];
    await element.prepareNics(nics, ctx());
    await hub.injectFault(controllerId, { kind: 'authFailure', count: 1 });
    await element.releaseNic(nics[0] as (typeof nics)[number], ctx()).catch(() => {});
    const calls = hub.calls(controllerId, before);
    expect(calls.map((c) => [c.op, c.outcome, c.nicIds.length])).toEqual([
      ['implementNetwork', 'ok', 0],
      ['prepareNics', 'ok', 2],
      ['releaseNic', 'AUTH_FAILED', 1],
    ]);
    expect(calls[0]).toMatchObject({ caller: `local/${process.pid}`, idempotencyKey: 'step-1' });
    expect(hub.calls(controllerId, Date.now() + 1000)).toEqual([]);
  });
});
