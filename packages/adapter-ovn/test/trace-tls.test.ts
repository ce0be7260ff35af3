// trace() against a Southbound database over ssl: with the controller's TLS credentials: ovn-trace (its daemon) gets
// them as files in a private temp dir that is gone once it connected, and neither the PEMs nor those paths show in the
// result; without
// them the answer is that the Southbound database cannot be reached. The VPC has no gateway: an address outside has no
// route, and a packet from outside has no way in.
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NetworkElement, TraceSpec } from '@netplane/adapter-sdk';
import {
  type NorthdHandle,
  type OvsdbServerHandle,
  startNorthd,
  startOvsdbServer,
} from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tracerOf } from '../src/trace';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx } from './support';

let nb: OvsdbServerHandle;
let northd: NorthdHandle;
let el: NetworkElement | undefined;
let spec: TraceSpec;

beforeAll(async () => {
  nb = await startOvsdbServer();
  northd = await startNorthd(nb, { ssl: true });
}, 60_000);
afterAll(async () => {
  await el?.close();
  await northd?.dispose();
  await nb?.dispose();
});

const ourTempDirs = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('netplane-ovn-trace-'));

it('traces over ssl: with the TLS credentials, and leaves no key material behind', async () => {
  const ssl = northd.sb.ssl;
  if (!ssl) throw new Error('the Southbound server was started without TLS');
  const credentials = {
    privateKey: ssl.client.key,
    certificate: ssl.client.cert,
    caCertificate: ssl.client.ca,
  };
  el = createElement(nb.unixEndpoint, { southboundEndpoint: ssl.endpoint }, credentials);
  const vpc = vpcSpec();
  const net = networkSpec(vpc);
  await el.implementVpc(vpc, ctx());
  await el.implementNetwork(net, ctx());
  const [a, b] = [nicSpec(net, 1), nicSpec(net, 2)];
  await el.prepareNics([a, b], ctx());
  await northd.sync();
  const before = await ourTempDirs();
  spec = {
    version: 1,
    vpcId: vpc.vpcId,
    source: { kind: 'nic', nicId: a.nicId, networkId: net.networkId, mac: a.mac, ip: a.ip },
    destination: { kind: 'nic', nicId: b.nicId, networkId: net.networkId, mac: b.mac, ip: b.ip },
    flow: { protocol: 'icmp', icmpType: 8, icmpCode: 0 },
    tiers: [{ networkId: net.networkId, name: net.name, cidr: net.cidr, gateway: net.gateway }],
  };
  const r = await el.trace?.(spec, ctx());
  expect(r, JSON.stringify(r)).toMatchObject({
    outcome: 'delivered',
    deliveredTo: { nicId: b.nicId, ip: b.ip, port: null },
  });
  // Within the tier: the intra-tier row of the tier's fixed ACLs admits it.
  expect(r?.hops.map((h) => h.kind)).toEqual(['portSecurity', 'acl', 'acl', 'deliver']);
  const shown = JSON.stringify(r);
  expect(shown).toContain('--private-key=<private-key>');
  expect(shown).not.toContain(`${tmpdir()}/netplane-ovn-trace-`);
  for (const pem of Object.values(credentials)) expect(shown).not.toContain(pem.trim().split('\n')[1]);
  expect(await ourTempDirs()).toEqual(before);
  // The daemon answered over ssl: too, and its directory holds no PEM: they go once it has connected.
  expect(tracerOf(el)?.stats).toMatchObject({ daemonTraces: 1, oneShotRuns: 0 });
  for (const d of (await readdir(tmpdir())).filter((f) => f.startsWith('netplane-ovn-traced-')))
    expect((await readdir(path.join(tmpdir(), d))).filter((f) => f.endsWith('.pem'))).toEqual([]);

  // Without the credentials ovn-trace cannot open the database, and says so.
  const bare = createElement(nb.unixEndpoint, { southboundEndpoint: ssl.endpoint });
  try {
    expect(await bare.trace?.(spec, ctx())).toMatchObject({
      outcome: 'unavailable',
      reason: 'SouthboundUnreachable',
      message: expect.stringContaining(`${ssl.endpoint}: database connection failed`),
    });
  } finally {
    await bare.close();
  }
});

it('says an address outside a VPC without a gateway has no route, and that nothing comes in from outside', async () => {
  if (!el) throw new Error('the first test made the element');
  const r = await el.trace?.({ ...spec, destination: { kind: 'address', ip: '192.0.2.1' } }, ctx());
  expect(r, r?.tool.output).toMatchObject({
    outcome: 'dropped',
    reason: 'NoRoute',
    message: 'the router has no route to 192.0.2.1',
  });
  expect(r?.hops.at(-1)).toMatchObject({ kind: 'route', verdict: 'drop', at: { type: 'router' } });
  const inbound = await el.trace?.({ ...spec, source: { kind: 'outside', ip: '198.51.100.7' } }, ctx());
  expect(inbound).toMatchObject({ outcome: 'dropped', reason: 'NoGateway', hops: [] });
});
