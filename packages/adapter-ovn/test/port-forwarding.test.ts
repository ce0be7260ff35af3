// PortForwarding as a one-backend Load_Balancer per rule on the tier's switch and the VPC's router, on a real
// ovsdb-server, checked with ovn-nbctl: one VIP per port, tagged with the rule id, adopted and converged in place,
// clashes with an Lb VIP and a static NAT refused both ways, torn down by revoke and by the tier's destroy.
import { randomUUID } from 'node:crypto';
import type { NetworkElement, NetworkSpec, PortForwardingSpec } from '@netplane/adapter-sdk';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXT, names } from '../src';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx, nbctlList } from './support';

let server: OvsdbServerHandle;
let el: NetworkElement;
let publicOctet = 10;

beforeAll(async () => {
  server = await startOvsdbServer();
  el = createElement(server.tcpEndpoint);
});
afterAll(async () => {
  await el?.close();
  await server?.dispose();
});

async function tier() {
  const vpc = vpcSpec();
  const net = networkSpec(vpc);
  await el.implementVpc(vpc, ctx());
  await el.implementNetwork(net, ctx());
  return net;
}

function ruleFor(net: NetworkSpec, over: Partial<PortForwardingSpec> = {}): PortForwardingSpec {
  const nic = nicSpec(net, 1);
  return {
    version: 1,
    ruleId: randomUUID(),
    vpcId: net.vpcId,
    networkId: net.networkId,
    nicId: nic.nicId,
    publicIp: `203.0.113.${publicOctet++}`,
    privateIp: nic.ip,
    protocol: 'tcp',
    publicPortStart: 2222,
    publicPortEnd: 2224,
    privatePortStart: 22,
    privatePortEnd: 24,
    ...over,
  };
}

const rowsOf = async (ruleId: string) =>
  (await nbctlList(server, 'Load_Balancer', ['_uuid', 'name', 'vips', 'protocol', 'external_ids'])).filter(
    (r) => r.external_ids?.includes(`${EXT.ruleId}=${ruleId}`),
  );
/** Load balancer uuids attached to a switch or router. */
const attachedTo = async (table: 'Logical_Switch' | 'Logical_Router', name: string) =>
  (await nbctlList(server, table, ['name', 'load_balancer'])).find((r) => r.name === name)?.load_balancer ??
  '';
/** `--data=bare` prints a map as space-separated key=value pairs. */
const vipSet = (vips: string | undefined) => (vips ?? '').split(/\s+/).filter(Boolean).sort();

describe('PortForwarding', () => {
  it('applies one Load_Balancer with a VIP per port on the switch and the router, adopts, converges, revokes', async () => {
    const net = await tier();
    const rule = ruleFor(net);
    expect(await el.applyPortForwarding?.(rule, ctx())).toEqual({ adopted: false });
    const [row] = await rowsOf(rule.ruleId);
    expect(row).toMatchObject({ name: `netplane-pf-${rule.ruleId}`, protocol: 'tcp' });
    expect(vipSet(row?.vips)).toEqual(
      [22, 23, 24].map((p) => `${rule.publicIp}:${p + 2200}=${rule.privateIp}:${p}`).sort(),
    );
    for (const tag of [`${EXT.role}=pf`, `${EXT.vpcId}=${net.vpcId}`, `${EXT.networkId}=${net.networkId}`])
      expect(row?.external_ids).toContain(tag);
    expect(await attachedTo('Logical_Switch', names.switch(net.networkId))).toContain(row?._uuid);
    expect(await attachedTo('Logical_Router', names.router(net.vpcId))).toContain(row?._uuid);
    const observed = (await el.observe({ vpcId: net.vpcId }, ctx())).resources;
    // Observed as a port forward, never as an Lb rule (the engine would call it an extra LB).
    expect(observed.filter((r) => r.kind === 'lb')).toEqual([]);
    expect(observed.find((r) => r.kind === 'pf')).toMatchObject({
      id: rule.ruleId,
      attributes: {
        publicPorts: '2222-2224',
        privatePorts: '22-24',
        privateIp: rule.privateIp,
        protocol: 'tcp',
      },
    });

    expect(await el.applyPortForwarding?.(rule, ctx())).toEqual({ adopted: true });
    const moved = {
      ...rule,
      protocol: 'udp' as const,
      publicPortStart: 53,
      publicPortEnd: 53,
      privatePortStart: 5353,
      privatePortEnd: 5353,
    };
    expect(await el.applyPortForwarding?.(moved, ctx())).toEqual({ adopted: true });
    const [after] = await rowsOf(rule.ruleId);
    expect(after).toMatchObject({ _uuid: row?._uuid, protocol: 'udp' });
    expect(vipSet(after?.vips)).toEqual([`${rule.publicIp}:53=${rule.privateIp}:5353`]);

    await el.revokePortForwarding?.(rule, ctx());
    expect(await rowsOf(rule.ruleId)).toEqual([]);
    expect(await attachedTo('Logical_Switch', names.switch(net.networkId))).not.toContain(row?._uuid);
    expect(await attachedTo('Logical_Router', names.router(net.vpcId))).not.toContain(row?._uuid);
    await el.revokePortForwarding?.(rule, ctx());
  });

  it('refuses a port an Lb rule serves and an address a static NAT holds, and an Lb rule on a forwarded port', async () => {
    const net = await tier();
    const rule = ruleFor(net);
    const nic = nicSpec(net, 2);
    await el.prepareNic(nic, ctx());
    await el.applyPortForwarding?.(rule, ctx());
    const lb = {
      ruleId: randomUUID(),
      vpcId: net.vpcId,
      networkId: net.networkId,
      name: 'web',
      publicIp: rule.publicIp,
      publicPort: 2223,
      privatePort: 80,
      protocol: 'tcp' as const,
      algorithm: 'source' as const,
      members: [{ nicId: nic.nicId, ip: nic.ip }],
    };
    await expect(el.applyLbRule?.(lb, ctx())).rejects.toMatchObject({ category: 'RESOURCE_CONFLICT' });
    // Port 80 of the address is free: the Lb rule lives beside the forward; a forward onto 80 then clashes.
    await el.applyLbRule?.({ ...lb, publicPort: 80 }, ctx());
    const onLb = ruleFor(net, {
      publicIp: rule.publicIp,
      publicPortStart: 79,
      publicPortEnd: 81,
      privatePortStart: 79,
      privatePortEnd: 81,
    });
    await expect(el.applyPortForwarding?.(onLb, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
    });
    const natIp = `203.0.113.${publicOctet++}`;
    await el.applyStaticNat?.(
      {
        ruleId: randomUUID(),
        vpcId: net.vpcId,
        networkId: net.networkId,
        nicId: nic.nicId,
        publicIp: natIp,
        privateIp: nic.ip,
      },
      ctx(),
    );
    await expect(el.applyPortForwarding?.(ruleFor(net, { publicIp: natIp }), ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
    });
    expect(await rowsOf(onLb.ruleId)).toEqual([]);
  });

  it('goes with the tier when the tier is destroyed', async () => {
    const net = await tier();
    const rule = ruleFor(net);
    await el.applyPortForwarding?.(rule, ctx());
    await el.destroyNetwork({ networkId: net.networkId, vpcId: net.vpcId }, ctx());
    expect(await rowsOf(rule.ruleId)).toEqual([]);
  });
});
