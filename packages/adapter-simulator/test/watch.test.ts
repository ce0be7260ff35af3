// watch(): in-process, tampering and a foreign resource taking our name push the VPC they hit (only that one); the
// engine's own calls are not pushed; unsubscribe and close end it; the HTTP mode has no watch.
import type { NetworkElement } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, inProcess, remoteElement } from './helpers';

/** The VPC ids pushed so far, after the microtasks the push waits for. */
async function settled(pushed: string[][]) {
  await new Promise((r) => setImmediate(r));
  return pushed.flat();
}

async function twoVpcs(element: NetworkElement) {
  const made = [];
  for (const vlan of [120, 121]) {
    const vpc = vpcSpec();
    const net = networkSpec(vpc, vlan);
    await element.implementVpc(vpc, ctx());
    await element.implementNetwork(net, ctx());
    const nic = nicSpec(net, vlan - 119);
    await element.prepareNic(nic, ctx());
    made.push({ vpc, net, nic });
  }
  return made as [(typeof made)[0], (typeof made)[0]];
}

describe('simulator watch', () => {
  it('pushes the VPC of a tampered port, NAT rule or switch, and nothing for our own calls', async () => {
    const { hub, controllerId, element } = inProcess();
    const pushed: string[][] = [];
    const off = element.watch?.((c) => pushed.push([...c.vpcIds]));
    expect(off).toBeTypeOf('function');
    const [a, b] = await twoVpcs(element);
    expect(await settled(pushed)).toEqual([]);

    hub.tamper(controllerId, { kind: 'nic', id: a.nic.nicId, action: 'delete' });
    expect(await settled(pushed)).toEqual([a.vpc.vpcId]);

    await element.applyStaticNat?.(
      {
        ruleId: 'nat-1',
        vpcId: b.vpc.vpcId,
        networkId: b.net.networkId,
        nicId: b.nic.nicId,
        publicIp: '203.0.113.5',
        privateIp: b.nic.ip,
      },
      ctx(),
    );
    hub.tamper(controllerId, { kind: 'nat', id: 'nat-1', action: 'delete' });
    hub.tamper(controllerId, { kind: 'network', id: a.net.networkId, action: 'issue', issue: 'broken' });
    expect(await settled(pushed)).toEqual([a.vpc.vpcId, b.vpc.vpcId, a.vpc.vpcId]);
    off?.();
  });

  it('pushes the VPC whose resource a foreign one replaced, not for foreign resources elsewhere', async () => {
    const { hub, controllerId, element } = inProcess();
    const pushed: string[][] = [];
    element.watch?.((c) => pushed.push([...c.vpcIds]));
    const [, b] = await twoVpcs(element);
    hub.plantForeign(controllerId, { kind: 'segment', method: 'VLAN', segmentId: 999, owner: 'other' });
    hub.plantForeign(controllerId, { kind: 'nic', id: 'not-ours', owner: 'other' });
    expect(await settled(pushed)).toEqual([]);
    hub.plantForeign(controllerId, { kind: 'nic', id: b.nic.nicId, owner: 'other' });
    expect(await settled(pushed)).toEqual([b.vpc.vpcId]);
  });

  it('stops after unsubscribe and after close', async () => {
    const { hub, controllerId, element } = inProcess();
    const first: string[][] = [];
    const second: string[][] = [];
    const off = element.watch?.((c) => first.push([...c.vpcIds]));
    element.watch?.((c) => second.push([...c.vpcIds]));
    const [a, b] = await twoVpcs(element);
    off?.();
    hub.tamper(controllerId, { kind: 'nic', id: a.nic.nicId, action: 'delete' });
    expect(await settled(first)).toEqual([]);
    expect(await settled(second)).toEqual([a.vpc.vpcId]);
    await element.close();
    hub.tamper(controllerId, { kind: 'nic', id: b.nic.nicId, action: 'delete' });
    expect(await settled(second)).toEqual([a.vpc.vpcId]);
  });

  it('has no watch over HTTP (the periodic reconcile covers a remote simulator)', async () => {
    const element = remoteElement('http://127.0.0.1:9');
    expect(element.watch).toBeUndefined();
    await element.close();
  });
});
