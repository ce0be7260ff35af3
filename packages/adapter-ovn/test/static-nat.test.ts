// StaticNat as a dnat_and_snat NAT row on the VPC's router, on a real ovsdb-server, checked with ovn-nbctl.
import { randomUUID } from 'node:crypto';
import type { NetworkElement, NetworkSpec, StaticNatSpec } from '@netplane/adapter-sdk';
import type { Service } from '@netplane/domain';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXT, names } from '../src';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx, nbctlList, waitFor } from './support';

let server: OvsdbServerHandle;
let el: NetworkElement;
let publicOctet = 10;

beforeAll(async () => {
  server = await startOvsdbServer();
  el = createElement(server.tcpEndpoint, { snatExternalIp: '198.51.100.1' });
});
afterEach(async () => {
  if (!server.pid()) await server.start();
});
afterAll(async () => {
  await el?.close();
  await server?.dispose();
});

async function tier(services: Service[] = ['Connectivity', 'Dhcp', 'NetworkACL']) {
  const vpc = vpcSpec();
  const net = networkSpec(vpc, services);
  await el.implementVpc(vpc, ctx());
  await el.implementNetwork(net, ctx());
  return net;
}

function ruleFor(net: NetworkSpec, index: number): StaticNatSpec {
  const nic = nicSpec(net, index);
  return {
    ruleId: randomUUID(),
    vpcId: net.vpcId,
    networkId: net.networkId,
    nicId: nic.nicId,
    publicIp: `203.0.113.${publicOctet++}`,
    privateIp: nic.ip,
  };
}

/** NAT rows of the router as ovn-nbctl lists them: "type external_ip logical_ip". */
async function routerNats(vpcId: string): Promise<string[]> {
  const out = await server.nbctl(['lr-nat-list', names.router(vpcId)]);
  return out
    .trim()
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => {
      const [type, ...rest] = l.trim().split(/\s+/);
      return [type, ...rest.filter((c) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(c))].join(' ');
    })
    .sort();
}

const natRowsOfRule = async (ruleId: string) =>
  (await nbctlList(server, 'NAT', ['_uuid', 'type', 'external_ip', 'logical_ip', 'external_ids'])).filter(
    (r) => r.external_ids?.includes(`${EXT.ruleId}=${ruleId}`),
  );

const observedNat = async (net: NetworkSpec, ruleId: string) =>
  (await el.observe({ networkIds: [net.networkId] }, ctx())).resources.find(
    (r) => r.kind === 'nat' && r.id === ruleId,
  );

describe('StaticNat', () => {
  it('applies a dnat_and_snat row on the VPC router with our ids, adopts it again, updates it, revokes it', async () => {
    const net = await tier();
    const rule = ruleFor(net, 1);
    expect(await el.applyStaticNat?.(rule, ctx())).toEqual({ adopted: false });
    expect(await routerNats(net.vpcId)).toEqual([`dnat_and_snat ${rule.publicIp} ${rule.privateIp}`]);
    const [row] = await natRowsOfRule(rule.ruleId);
    for (const tag of [
      `${EXT.owner}=netplane`,
      `${EXT.vpcId}=${rule.vpcId}`,
      `${EXT.networkId}=${rule.networkId}`,
      `${EXT.nicId}=${rule.nicId}`,
      `${EXT.ruleId}=${rule.ruleId}`,
    ]) {
      expect(row?.external_ids).toContain(tag);
    }
    expect(await observedNat(net, rule.ruleId)).toMatchObject({
      kind: 'nat',
      id: rule.ruleId,
      attributes: { type: 'dnat_and_snat', externalIp: rule.publicIp, logicalIp: rule.privateIp },
    });

    // Again: the same row, adopted, nothing written.
    expect(await el.applyStaticNat?.(rule, ctx())).toEqual({ adopted: true });
    expect(await natRowsOfRule(rule.ruleId)).toEqual([row]);

    // The NIC's IP changed: the same row now points at it.
    const moved = { ...rule, privateIp: nicSpec(net, 2).ip };
    expect(await el.applyStaticNat?.(moved, ctx())).toEqual({ adopted: true });
    expect(await routerNats(net.vpcId)).toEqual([`dnat_and_snat ${rule.publicIp} ${moved.privateIp}`]);
    expect((await natRowsOfRule(rule.ruleId)).map((r) => r._uuid)).toEqual([row?._uuid]);

    await el.revokeStaticNat?.(rule, ctx());
    expect(await routerNats(net.vpcId)).toEqual([]);
    expect(await natRowsOfRule(rule.ruleId)).toEqual([]);
    await el.revokeStaticNat?.(rule, ctx()); // already revoked: a success
    await el.revokeStaticNat?.({ ruleId: randomUUID(), vpcId: net.vpcId, networkId: net.networkId }, ctx());
    await waitFor(
      () => observedNat(net, rule.ruleId),
      (r) => r === undefined,
    );
  });

  it("keeps the tier's source NAT apart from its static NAT rows", async () => {
    const net = await tier(['Connectivity', 'SourceNat']);
    const rule = ruleFor(net, 3);
    await el.applyStaticNat?.(rule, ctx());
    expect(await el.implementNetwork(net, ctx())).toMatchObject({ adopted: true });
    expect(await routerNats(net.vpcId)).toEqual(
      [`dnat_and_snat ${rule.publicIp} ${rule.privateIp}`, `snat 198.51.100.1 ${net.cidr}`].sort(),
    );
    const network = (await el.observe({ networkIds: [net.networkId] }, ctx())).resources.find(
      (r) => r.kind === 'network',
    );
    expect(network?.attributes.sourceNat).toBe('198.51.100.1');
    expect(network?.issues).toBeUndefined();
    await el.revokeStaticNat?.(rule, ctx());
    expect(await routerNats(net.vpcId)).toEqual([`snat 198.51.100.1 ${net.cidr}`]);
  });

  it('refuses a public or private IP someone else NATs on the VPC router (RESOURCE_CONFLICT) and leaves their row alone', async () => {
    const net = await tier();
    const router = names.router(net.vpcId);
    const rule = ruleFor(net, 4);
    await server.nbctl(['lr-nat-add', router, 'dnat_and_snat', rule.publicIp, '10.99.0.5']);
    const before = await nbctlList(server, 'NAT', [
      '_uuid',
      'type',
      'external_ip',
      'logical_ip',
      'external_ids',
    ]);
    const err = await el.applyStaticNat?.(rule, ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ category: 'RESOURCE_CONFLICT', retryable: false });
    expect((err as Error).message).toContain(`${rule.publicIp} -> 10.99.0.5 on router ${router}`);
    expect(
      await nbctlList(server, 'NAT', ['_uuid', 'type', 'external_ip', 'logical_ip', 'external_ids']),
    ).toEqual(before);

    // A dnat_and_snat of the NIC's private IP made by hand: OVN keeps one per logical IP.
    const samePrivate = ruleFor(net, 6);
    await server.nbctl(['lr-nat-add', router, 'dnat_and_snat', '192.0.2.77', samePrivate.privateIp]);
    const e2 = await el.applyStaticNat?.(samePrivate, ctx()).catch((e: unknown) => e);
    expect(e2).toMatchObject({ category: 'RESOURCE_CONFLICT' });
    expect((e2 as Error).message).toContain(`private IP ${samePrivate.privateIp}`);
    expect(await routerNats(net.vpcId)).toEqual(
      [
        `dnat_and_snat ${rule.publicIp} 10.99.0.5`,
        `dnat_and_snat 192.0.2.77 ${samePrivate.privateIp}`,
      ].sort(),
    );
  });

  it("ignores other routers' NAT rows: their private IPs are another VPC's, public IPs are the API's to keep unique", async () => {
    const net = await tier();
    const rule = ruleFor(net, 11);
    const other = `foreign-${rule.ruleId}`;
    await server.nbctl(['lr-add', other]);
    await server.nbctl(['lr-nat-add', other, 'dnat_and_snat', rule.publicIp, '10.98.0.5']);
    await server.nbctl(['lr-nat-add', other, 'dnat_and_snat', '192.0.2.99', rule.privateIp]);
    // The guards expect exactly those two rows elsewhere: the write goes through.
    expect(await el.applyStaticNat?.(rule, ctx())).toEqual({ adopted: false });
    expect(await routerNats(net.vpcId)).toEqual([`dnat_and_snat ${rule.publicIp} ${rule.privateIp}`]);
    expect((await server.nbctl(['lr-nat-list', other])).trim().split('\n')).toHaveLength(3);
    expect(await el.applyStaticNat?.(rule, ctx())).toEqual({ adopted: true });
  });

  it('refuses a VPC that is not implemented (INVALID_REQUEST)', async () => {
    const vpc = vpcSpec();
    const rule = ruleFor(networkSpec(vpc), 1);
    expect(await el.applyStaticNat?.(rule, ctx()).catch((e: unknown) => e)).toMatchObject({
      category: 'INVALID_REQUEST',
    });
  });

  it('shows a NAT row deleted with ovn-nbctl as a missing nat resource, and re-applying puts it back', async () => {
    const net = await tier();
    const rule = ruleFor(net, 7);
    await el.applyStaticNat?.(rule, ctx());
    await waitFor(
      () => observedNat(net, rule.ruleId),
      (r) => r !== undefined,
    );
    await server.nbctl(['lr-nat-del', names.router(net.vpcId), 'dnat_and_snat', rule.publicIp]);
    await waitFor(
      () => observedNat(net, rule.ruleId),
      (r) => r === undefined,
    );
    expect(await el.applyStaticNat?.(rule, ctx())).toEqual({ adopted: false });
    expect(await routerNats(net.vpcId)).toEqual([`dnat_and_snat ${rule.publicIp} ${rule.privateIp}`]);
    expect((await observedNat(net, rule.ruleId))?.attributes.logicalIp).toBe(rule.privateIp);
  });

  it('shows a NAT row edited with ovn-nbctl in its attributes, and re-applying sets it back in place', async () => {
    const net = await tier();
    const rule = ruleFor(net, 10);
    await el.applyStaticNat?.(rule, ctx());
    const [row] = await natRowsOfRule(rule.ruleId);
    await server.nbctl(['set', 'NAT', row?._uuid ?? '', 'logical_ip=10.1.250.250']);
    await waitFor(
      () => observedNat(net, rule.ruleId),
      (r) => r?.attributes.logicalIp === '10.1.250.250',
    );
    expect(await el.applyStaticNat?.(rule, ctx())).toEqual({ adopted: true });
    expect(await natRowsOfRule(rule.ruleId)).toEqual([row]);
    expect((await observedNat(net, rule.ruleId))?.attributes.logicalIp).toBe(rule.privateIp);
  });

  it('converges on one row when the same rule is applied concurrently', async () => {
    const net = await tier();
    const rule = ruleFor(net, 8);
    const results = await Promise.all(Array.from({ length: 8 }, () => el.applyStaticNat?.(rule, ctx())));
    expect(results.filter((r) => r?.adopted === false)).toHaveLength(1);
    expect(await natRowsOfRule(rule.ruleId)).toHaveLength(1);
  });

  it('answers TIMEOUT when the caller aborts while the server hangs, and a retry after a kill applies exactly once', async () => {
    const net = await tier();
    const rule = ruleFor(net, 9);
    const pid = server.pid() as number;
    process.kill(pid, 'SIGSTOP');
    const ac = new AbortController();
    const aborted = el.applyStaticNat?.(rule, ctx(ac.signal)).catch((e: unknown) => e);
    setTimeout(() => ac.abort(new Error('deadline')), 20);
    expect(await aborted).toMatchObject({ category: 'TIMEOUT', retryable: true });

    // The server dies with the request in flight; after a restart the retry converges on one row.
    const inFlight = el.applyStaticNat?.(rule, ctx()).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    await server.kill9();
    expect(await inFlight).toMatchObject({ category: 'UNREACHABLE', retryable: true });
    await server.start();
    expect(await el.applyStaticNat?.(rule, ctx())).toEqual({ adopted: false }); // the stopped server never read it
    expect(await natRowsOfRule(rule.ruleId)).toHaveLength(1);
    expect(await routerNats(net.vpcId)).toEqual([`dnat_and_snat ${rule.publicIp} ${rule.privateIp}`]);
  });
});
