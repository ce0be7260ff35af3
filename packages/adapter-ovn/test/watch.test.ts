// watch(): rows deleted with ovn-nbctl behind our back name their VPC within seconds (from the monitor), rows of
// another VPC do not, the monitor starts on subscribe (no observe needed), and it is re-established after a restart.
import type { NetworkElement } from '@netplane/adapter-sdk';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx, waitFor } from './support';

let server: OvsdbServerHandle;
let writer: NetworkElement;
let watcher: NetworkElement;
/** Every VPC id a push named, in order; cleared by each test. */
let seen: string[] = [];
let off: () => void = () => {};

beforeAll(async () => {
  server = await startOvsdbServer();
  writer = createElement(server.tcpEndpoint, { snatExternalIp: '198.51.100.1' });
  // A separate element that never calls observe(): subscribing alone must start its monitor.
  watcher = createElement(server.tcpEndpoint);
  if (!watcher.watch) throw new Error('the OVN element has no watch');
  off = watcher.watch((c) => seen.push(...c.vpcIds));
});
afterEach(async () => {
  if (!server.pid()) await server.start();
});
afterAll(async () => {
  off();
  await watcher?.close();
  await writer?.close();
  await server?.dispose();
});

/** Two VPCs, each with a tier (NetworkACL, SourceNat) and two ports; waits until the watch has seen them made. */
async function twoVpcs() {
  const made = [];
  for (let i = 0; i < 2; i++) {
    const vpc = vpcSpec();
    const net = networkSpec(vpc, ['Connectivity', 'Dhcp', 'NetworkACL', 'SourceNat']);
    await writer.implementVpc(vpc, ctx());
    await writer.implementNetwork(net, ctx());
    const nics = [nicSpec(net, 1), nicSpec(net, 2)];
    await writer.prepareNics(nics, ctx());
    made.push({ vpc, net, nics });
  }
  const [a, b] = made as [(typeof made)[0], (typeof made)[0]];
  await settle();
  return { a, b };
}

/**
 * Waits until the watcher has seen every change committed so far, then clears `seen`: the server sends a monitor
 * the updates in commit order, so once a marker VPC made now is pushed, nothing older is still on its way.
 */
async function settle() {
  const marker = vpcSpec();
  await writer.implementVpc(marker, ctx());
  await waitFor(
    () => seen,
    (s) => s.includes(marker.vpcId),
    15_000,
  );
  seen = [];
}

/** Waits until the pushes since `seen` was cleared name `vpcId`; returns all the ids they named. */
const pushedFor = async (vpcId: string) => [
  ...(await waitFor(
    () => seen,
    (s) => s.includes(vpcId),
  )),
];

describe('watch', () => {
  it('names the VPC of a port deleted with lsp-del, and only that VPC', async () => {
    const { a, b } = await twoVpcs();
    await server.nbctl(['lsp-del', names.nicPort(a.nics[0]?.nicId ?? '')]);
    const pushed = await pushedFor(a.vpc.vpcId);
    expect(pushed).not.toContain(b.vpc.vpcId);
  });

  it('names the VPC of an ACL deleted from its port group with acl-del', async () => {
    const { a, b } = await twoVpcs();
    const pg = names.portGroup(b.net.networkId);
    await server.nbctl(['--type=port-group', 'acl-del', pg, 'to-lport', '1000', `outport == @${pg} && ip4`]);
    const pushed = await pushedFor(b.vpc.vpcId);
    expect(pushed).not.toContain(a.vpc.vpcId);
  });

  it('names the VPC of a source NAT row deleted with lr-nat-del', async () => {
    const { a, b } = await twoVpcs();
    await server.nbctl(['lr-nat-del', names.router(a.vpc.vpcId), 'snat', a.net.cidr]);
    const pushed = await pushedFor(a.vpc.vpcId);
    expect(pushed).not.toContain(b.vpc.vpcId);
    expect(await server.nbctl(['lr-nat-list', names.router(a.vpc.vpcId)])).not.toContain('snat');
  });

  it('keeps watching after the server restarts (the client re-monitors)', async () => {
    const { a, b } = await twoVpcs();
    await server.restart();
    // The monitor is back (and its resync, which names every VPC, is over) once a change made now is pushed.
    await settle();
    await server.nbctl(['lsp-del', names.nicPort(b.nics[1]?.nicId ?? '')]);
    const pushed = await pushedFor(b.vpc.vpcId);
    expect(pushed).not.toContain(a.vpc.vpcId);
  });

  it('stops pushing to a listener that unsubscribed, and after close', async () => {
    const { a } = await twoVpcs();
    const mine: string[] = [];
    const el = createElement(server.tcpEndpoint);
    const unsubscribe = el.watch?.((c) => mine.push(...c.vpcIds)) ?? (() => {});
    // Its monitor holds the rows before we delete one (observe waits for the same monitor).
    await el.observe({ vpcId: a.vpc.vpcId }, ctx());
    await server.nbctl(['lsp-del', names.nicPort(a.nics[0]?.nicId ?? '')]);
    await waitFor(
      () => mine,
      (m) => m.includes(a.vpc.vpcId),
    );
    unsubscribe();
    mine.length = 0;
    await settle();
    await server.nbctl(['lsp-del', names.nicPort(a.nics[1]?.nicId ?? '')]);
    // The still-subscribed watcher sees the change, so the unsubscribed one has had its chance too.
    await pushedFor(a.vpc.vpcId);
    expect(mine).toEqual([]);
    await el.close();
  });
});
