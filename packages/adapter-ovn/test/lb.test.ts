// Lb as a Load_Balancer row on the tier's switch and the VPC's router, on a real ovsdb-server, checked with ovn-nbctl.
import { randomUUID } from 'node:crypto';
import type { LbRuleSpec, NetworkElement, NetworkSpec } from '@netplane/adapter-sdk';
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
  el = createElement(server.tcpEndpoint);
});
afterEach(async () => {
  if (!server.pid()) await server.start();
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

function ruleFor(net: NetworkSpec, memberIndexes: number[], over: Partial<LbRuleSpec> = {}): LbRuleSpec {
  return {
    ruleId: randomUUID(),
    vpcId: net.vpcId,
    networkId: net.networkId,
    name: 'web',
    publicIp: `203.0.113.${publicOctet++}`,
    publicPort: 80,
    privatePort: 8080,
    protocol: 'tcp',
    algorithm: 'source',
    members: memberIndexes.map((i) => {
      const nic = nicSpec(net, i);
      return { nicId: nic.nicId, ip: nic.ip };
    }),
    ...over,
  };
}

/** ovn-nbctl's lb-list shows at most 16 characters of a name. */
const shown = (name: string) => name.slice(0, 16);

/** `ovn-nbctl lb-list`-style lines "name proto vip backends" (ls-lb-list / lr-lb-list when a holder is given). */
async function lbLines(command: 'lb-list' | 'ls-lb-list' | 'lr-lb-list', holder?: string): Promise<string[]> {
  const out = await server.nbctl(holder ? [command, holder] : [command]);
  return out
    .trim()
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.trim().split(/\s+/).slice(1).join(' '))
    .sort();
}

const lbRows = async (ruleId: string) =>
  (
    await nbctlList(server, 'Load_Balancer', [
      '_uuid',
      'name',
      'vips',
      'protocol',
      'selection_fields',
      'external_ids',
    ])
  ).filter((r) => r.external_ids?.includes(`${EXT.ruleId}=${ruleId}`));

const observedLb = async (net: NetworkSpec, ruleId: string) =>
  (await el.observe({ networkIds: [net.networkId] }, ctx())).resources.find(
    (r) => r.kind === 'lb' && r.id === ruleId,
  );

const backends = (rule: LbRuleSpec) =>
  rule.members
    .map((m) => `${m.ip}:${rule.privatePort}`)
    .sort()
    .join(',');

describe('Lb', () => {
  it('applies a Load_Balancer on the switch and the router, adopts it, updates it in place, revokes it', async () => {
    const net = await tier();
    const rule = ruleFor(net, [2, 1]);
    const lb = names.loadBalancer(rule.ruleId);
    const line = (r: LbRuleSpec) => `${shown(lb)} ${r.protocol} ${r.publicIp}:${r.publicPort} ${backends(r)}`;
    expect(await el.applyLbRule?.(rule, ctx())).toEqual({ adopted: false });
    expect(await lbLines('lb-list')).toContain(line(rule));
    expect(await lbLines('ls-lb-list', names.switch(net.networkId))).toEqual([line(rule)]);
    expect(await lbLines('lr-lb-list', names.router(net.vpcId))).toEqual([line(rule)]);
    const [row] = await lbRows(rule.ruleId);
    expect(row).toMatchObject({ name: lb, protocol: 'tcp', selection_fields: 'ip_src' });
    for (const tag of [
      `${EXT.vpcId}=${net.vpcId}`,
      `${EXT.networkId}=${net.networkId}`,
      `${EXT.owner}=netplane`,
    ]) {
      expect(row?.external_ids).toContain(tag);
    }
    expect(await observedLb(net, rule.ruleId)).toMatchObject({
      kind: 'lb',
      id: rule.ruleId,
      attributes: { vip: `${rule.publicIp}:80`, protocol: 'tcp', members: backends(rule) },
    });
    expect((await observedLb(net, rule.ruleId))?.issues).toBeUndefined();

    expect(await el.applyLbRule?.(rule, ctx())).toEqual({ adopted: true });
    expect(await lbRows(rule.ruleId)).toEqual([row]);

    // Other members and ports: the same row, converged.
    const changed = { ...rule, members: ruleFor(net, [3]).members, publicPort: 443, privatePort: 8443 };
    expect(await el.applyLbRule?.(changed, ctx())).toEqual({ adopted: true });
    expect(await lbLines('ls-lb-list', names.switch(net.networkId))).toEqual([line(changed)]);
    expect(await lbLines('lr-lb-list', names.router(net.vpcId))).toEqual([line(changed)]);
    expect((await lbRows(rule.ruleId)).map((r) => r._uuid)).toEqual([row?._uuid]);
    expect((await observedLb(net, rule.ruleId))?.attributes).toMatchObject({
      vip: `${rule.publicIp}:443`,
      members: backends(changed),
    });

    // No members: the rule stays, with no backends.
    await el.applyLbRule?.({ ...changed, members: [] }, ctx());
    expect((await lbRows(rule.ruleId))[0]?.vips).toBe(`${rule.publicIp}:443=`);

    await el.revokeLbRule?.(rule, ctx());
    expect(await lbRows(rule.ruleId)).toEqual([]);
    expect(await lbLines('ls-lb-list', names.switch(net.networkId))).toEqual([]);
    expect(await lbLines('lr-lb-list', names.router(net.vpcId))).toEqual([]);
    await el.revokeLbRule?.(rule, ctx()); // already revoked
    await waitFor(
      () => observedLb(net, rule.ruleId),
      (r) => r === undefined,
    );
  });

  it('refuses an algorithm OVN does not have and a tier that is not implemented (INVALID_REQUEST), writing nothing', async () => {
    const net = await tier();
    const rr = ruleFor(net, [1], { algorithm: 'roundrobin' });
    const err = await el.applyLbRule?.(rr, ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ category: 'INVALID_REQUEST' });
    expect((err as Error).message).toContain('supported: source');
    const nowhere = ruleFor(networkSpec(vpcSpec()), [1]);
    expect(await el.applyLbRule?.(nowhere, ctx()).catch((e: unknown) => e)).toMatchObject({
      category: 'INVALID_REQUEST',
    });
    expect(await lbRows(rr.ruleId)).toEqual([]);
  });

  it('refuses a VIP another load balancer on the switch or router serves (RESOURCE_CONFLICT) and leaves it alone', async () => {
    const net = await tier();
    const rule = ruleFor(net, [1]);
    const foreign = `foreign-${rule.ruleId}`;
    await server.nbctl(['lb-add', foreign, `${rule.publicIp}:80`, '10.99.0.9:8080', 'tcp']);
    await server.nbctl(['ls-lb-add', names.switch(net.networkId), foreign]);
    const before = await lbLines('lb-list');
    const err = await el.applyLbRule?.(rule, ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ category: 'RESOURCE_CONFLICT', retryable: false });
    expect((err as Error).message).toContain(foreign);
    expect(await lbLines('lb-list')).toEqual(before);
    expect(await lbLines('ls-lb-list', names.switch(net.networkId))).toEqual([
      `${shown(foreign)} tcp ${rule.publicIp}:80 10.99.0.9:8080`,
    ]);
    expect(await lbRows(rule.ruleId)).toEqual([]);

    // On the router too.
    const viaRouter = ruleFor(net, [1]);
    const foreign2 = `foreign-${viaRouter.ruleId}`;
    await server.nbctl(['lb-add', foreign2, `${viaRouter.publicIp}:80`, '10.99.0.9:8080', 'tcp']);
    await server.nbctl(['lr-lb-add', names.router(net.vpcId), foreign2]);
    expect(await el.applyLbRule?.(viaRouter, ctx()).catch((e: unknown) => e)).toMatchObject({
      category: 'RESOURCE_CONFLICT',
    });

    // The same VIP over udp is another service: no clash.
    expect(await el.applyLbRule?.({ ...rule, protocol: 'udp' }, ctx())).toEqual({ adopted: false });

    // A row with our name made by hand is not ours.
    const named = ruleFor(net, [1]);
    await server.nbctl(['lb-add', names.loadBalancer(named.ruleId), `${named.publicIp}:80`, '10.99.0.8:80']);
    expect(await el.applyLbRule?.(named, ctx()).catch((e: unknown) => e)).toMatchObject({
      category: 'RESOURCE_CONFLICT',
    });
    expect(await lbLines('lb-list')).toContain(
      `${shown(names.loadBalancer(named.ruleId))} tcp ${named.publicIp}:80 10.99.0.8:80`,
    );
  });

  it('shows a deleted or detached load balancer in observe() within seconds, and re-applying repairs it', async () => {
    const net = await tier();
    const rule = ruleFor(net, [1, 2]);
    const lb = names.loadBalancer(rule.ruleId);
    await el.applyLbRule?.(rule, ctx());
    await waitFor(
      () => observedLb(net, rule.ruleId),
      (r) => r !== undefined && r.issues === undefined,
    );

    await server.nbctl(['ls-lb-del', names.switch(net.networkId), lb]);
    const detached = await waitFor(
      () => observedLb(net, rule.ruleId),
      (r) => (r?.issues?.length ?? 0) > 0,
    );
    expect(detached?.issues).toEqual([
      `Load_Balancer ${lb} is not attached to switch ${names.switch(net.networkId)}`,
    ]);
    expect(await el.applyLbRule?.(rule, ctx())).toEqual({ adopted: true });
    expect(await lbLines('ls-lb-list', names.switch(net.networkId))).toHaveLength(1);
    await waitFor(
      () => observedLb(net, rule.ruleId),
      (r) => r !== undefined && r.issues === undefined,
    );

    await server.nbctl(['lb-del', lb]);
    await waitFor(
      () => observedLb(net, rule.ruleId),
      (r) => r === undefined,
    );
    expect(await el.applyLbRule?.(rule, ctx())).toEqual({ adopted: false });
    expect(await lbLines('lr-lb-list', names.router(net.vpcId))).toEqual([
      `${shown(lb)} tcp ${rule.publicIp}:80 ${backends(rule)}`,
    ]);
    expect(await lbLines('ls-lb-list', names.switch(net.networkId))).toHaveLength(1);
  });

  it('converges on one row when the same rule is applied concurrently', async () => {
    const net = await tier();
    const rule = ruleFor(net, [1]);
    const results = await Promise.all(Array.from({ length: 8 }, () => el.applyLbRule?.(rule, ctx())));
    expect(results.filter((r) => r?.adopted === false)).toHaveLength(1);
    expect(await lbRows(rule.ruleId)).toHaveLength(1);
  });

  it('destroying the tier deletes its load balancers (a root table)', async () => {
    const net = await tier();
    const rule = ruleFor(net, [1]);
    await el.applyLbRule?.(rule, ctx());
    await el.destroyNetwork(net, ctx());
    expect(await lbRows(rule.ruleId)).toEqual([]);
  });

  it('answers TIMEOUT when the caller aborts while the server hangs, and a retry after a kill applies exactly once', async () => {
    const net = await tier();
    const rule = ruleFor(net, [1, 2]);
    const pid = server.pid() as number;
    process.kill(pid, 'SIGSTOP');
    const ac = new AbortController();
    const aborted = el.applyLbRule?.(rule, ctx(ac.signal)).catch((e: unknown) => e);
    setTimeout(() => ac.abort(new Error('deadline')), 20);
    expect(await aborted).toMatchObject({ category: 'TIMEOUT', retryable: true });
    const inFlight = el.applyLbRule?.(rule, ctx()).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    await server.kill9();
    expect(await inFlight).toMatchObject({ category: 'UNREACHABLE', retryable: true });
    await server.start();
    expect(await el.applyLbRule?.(rule, ctx())).toEqual({ adopted: false });
    expect(await lbRows(rule.ruleId)).toHaveLength(1);
  });
});
