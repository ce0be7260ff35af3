// The console's reads of a simulated controller: a summary whose size does not grow with the NICs held, and pages
// of switches and ports in name order, the same in process and over HTTP.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRemoteSimulatorControl,
  type SimulatorControl,
  type SimulatorServer,
  startSimulatorServer,
} from '../src/index';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, inProcess, remoteElement } from './helpers';

let sim: SimulatorServer;
beforeAll(async () => {
  sim = await startSimulatorServer({ port: 0 });
});
afterAll(async () => sim.close());

/** A VPC with two tiers: seven NICs on the first, three on the second; one NIC prepared twice (adopted). */
async function populate(element: ReturnType<typeof remoteElement>) {
  const vpc = vpcSpec();
  const a = networkSpec(vpc, 301);
  const b = { ...networkSpec(vpc, 302), cidr: '10.1.2.0/24', gateway: '10.1.2.1' };
  await element.implementVpc(vpc, ctx());
  await element.implementNetwork(a, ctx());
  await element.implementNetwork(b, ctx());
  const nics = [
    ...Array.from({ length: 7 }, (_, i) => nicSpec(a, i)),
    ...Array.from({ length: 3 }, (_, i) => ({ ...nicSpec(b, i), ip: `10.1.2.${10 + i}` })),
  ];
  for (const n of nics) await element.prepareNic(n, ctx());
  await element.prepareNic(nics[0] as (typeof nics)[number], ctx());
  return { a, b, nics };
}

async function allNames(control: SimulatorControl, id: string, networkId?: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await control.listResources(id, {
      kind: 'nic',
      limit: 3,
      ...(networkId ? { networkId } : {}),
      ...(cursor ? { cursor } : {}),
    });
    expect(page.items.length).toBeLessThanOrEqual(3);
    names.push(...page.items.map((r) => r.name));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
}

describe.each(['hub', 'remote'] as const)('summary and resource pages (%s)', (mode) => {
  it('pages every port once in name order, narrows to one switch, and reports the totals', async () => {
    const local = inProcess();
    const id = mode === 'hub' ? local.controllerId : randomUUID();
    const element = mode === 'hub' ? local.element : remoteElement(sim.url, id);
    const control: SimulatorControl = mode === 'hub' ? local.hub : createRemoteSimulatorControl(sim.url);
    const { a, b, nics } = await populate(element);

    const names = await allNames(control, id);
    expect(names).toEqual(nics.map((n) => `np-nic-${n.nicId}`).sort());
    expect(await allNames(control, id, b.networkId)).toEqual(
      nics
        .filter((n) => n.networkId === b.networkId)
        .map((n) => `np-nic-${n.nicId}`)
        .sort(),
    );
    const first = await control.listResources(id, { kind: 'nic', limit: 2, networkId: a.networkId });
    expect(first.total).toBe(7);
    expect(first.items[0]).toMatchObject({ owner: 'netplane', networkId: a.networkId, vpcId: a.vpcId });
    const switches = await control.listResources(id, { kind: 'network', limit: 10 });
    expect(switches).toMatchObject({ total: 2, nextCursor: null });
    expect(switches.items.map((s) => s.id).sort()).toEqual([a.networkId, b.networkId].sort());

    const summary = await control.getSummary(id);
    expect(summary?.counts).toMatchObject({ vpcs: 1, networks: 2, ports: 10 });
    expect(summary?.stats).toMatchObject({ nicsCreated: 10, nicsCreatedMoreThanOnce: 0 });
    expect(summary?.stats).not.toHaveProperty('portCreations');
    expect(await control.getSummary(randomUUID())).toBeNull();
  });

  it('refuses a cursor it did not make with INVALID_REQUEST (BAD_CURSOR)', async () => {
    const local = inProcess();
    const control: SimulatorControl = mode === 'hub' ? local.hub : createRemoteSimulatorControl(sim.url);
    const id = mode === 'hub' ? local.controllerId : randomUUID();
    if (mode === 'remote') await remoteElement(sim.url, id).healthCheck(ctx());
    await expect(
      control.listResources(id, { kind: 'nic', limit: 5, cursor: 'bm90LW91cnM' }),
    ).rejects.toMatchObject({ category: 'INVALID_REQUEST', vendorCode: 'BAD_CURSOR' });
  });
});
