// NetworkACL lists on a real router host, proven with TCP connections between "VM" namespaces of two tiers: the
// list's order decides, allow is stateful (the replies of an allowed connection pass a tier whose Ingress denies
// everything), default_deny blocks, a ruleset flushed by hand is drift in observe() and applying again repairs it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  aclListResourceId,
  aclRulesDigest,
  type CallContext,
  NETWORK_ACL_SPEC_VERSION,
  type NetworkAclRuleSpec,
  type NetworkAclSpec,
  type NetworkSpec,
  type NicSpec,
} from '@netplane/adapter-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFor, type VrouterElement } from '../src';
import {
  attachVm,
  cleanupHost,
  dhcp,
  element,
  run,
  type Sshd,
  startSshd,
  testPrefix,
  vlanBase,
} from '../src/testing';

const prefix = testPrefix();
const names = namesFor(prefix);
let sshd: Sshd;
let work: string;
let stateDir: string;
let el: VrouterElement;
const listeners: ChildProcess[] = [];
const ctx = (): CallContext => ({ signal: AbortSignal.timeout(60_000), idempotencyKey: randomUUID() });

beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), `np-vrouter-acl-${prefix}-`));
  stateDir = join(work, 'state');
  el = element(sshd, prefix, stateDir);
});
afterAll(async () => {
  for (const p of listeners) p.kill('SIGKILL');
  await el?.close();
  if (stateDir) await cleanupHost(prefix, stateDir);
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const PORTS = [5432, 22];
/** A TCP server in the VM's namespace accepting (and closing) on each port. */
const SERVER = `
import socket, sys, threading
def serve(p):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', p)); s.listen(16)
    while True:
        c, _ = s.accept(); c.close()
for p in sys.argv[1:]:
    threading.Thread(target=serve, args=(int(p),), daemon=True).start()
threading.Event().wait()
`;
/** Exit 0 when the connection is established within 3 s, 1 otherwise (refused, dropped, unreachable). */
const CONNECT = `
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3).close()
except OSError:
    sys.exit(1)
`;

const connects = (ns: string, ip: string, port: number) =>
  run('ip', ['netns', 'exec', ns, 'python3', '-c', CONNECT, ip, String(port)]).then(
    () => true,
    () => false,
  );

async function listen(ns: string): Promise<void> {
  const p = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', SERVER, ...PORTS.map(String)], {
    stdio: 'ignore',
  });
  listeners.push(p);
  // Ready when every port answers from inside the VM itself; the deadline only decides when a broken setup gives up.
  const deadline = Date.now() + 30_000;
  for (const port of PORTS) {
    while (!(await connects(ns, '127.0.0.1', port))) {
      if (Date.now() > deadline || p.exitCode !== null)
        throw new Error(`listener in ${ns} not up on ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const vlan = vlanBase('vrouter acl test');
const vpcId = randomUUID();
function tier(third: number, segmentId: number): NetworkSpec {
  return {
    vpcId,
    networkId: randomUUID(),
    name: `tier-${third}`,
    cidr: `10.7.${third}.0/24`,
    gateway: `10.7.${third}.1`,
    isolation: { method: 'VLAN', segmentId },
    services: ['Connectivity', 'Dhcp', 'NetworkACL'],
    dhcp: { dnsServers: [], dnsDomain: null, physicalMtu: 1500 },
  };
}
const nicOf = (n: NetworkSpec, i: number): NicSpec => ({
  nicId: randomUUID(),
  networkId: n.networkId,
  vpcId,
  mac: `02:00:07:00:0${i}:10`,
  ip: `${n.cidr.split('.').slice(0, 3).join('.')}.10`,
  vmName: `vm-${i}`,
});
const rule = (number: number, over: Partial<NetworkAclRuleSpec>): NetworkAclRuleSpec => ({
  ruleId: randomUUID(),
  number,
  action: 'allow',
  protocol: 'tcp',
  trafficType: 'Ingress',
  portStart: null,
  portEnd: null,
  icmpType: null,
  icmpCode: null,
  cidrs: ['0.0.0.0/0'],
  ...over,
});
const list = (n: NetworkSpec, listId: string, rules: NetworkAclRuleSpec[]): NetworkAclSpec => ({
  version: NETWORK_ACL_SPEC_VERSION,
  vpcId,
  networkId: n.networkId,
  cidr: n.cidr,
  listId,
  listName: `${listId} list`,
  rules,
});
const defaultDeny = (n: NetworkSpec) =>
  list(n, 'default_deny', [rule(1, { action: 'deny', protocol: 'all' })]);

describe('network ACL lists on a real router host, with packets', () => {
  it('allows tcp/5432 web→db, denies tcp/22, keeps replies, blocks on default_deny, and repairs a flush', async () => {
    const [web, db] = [tier(1, vlan), tier(2, vlan + 1)];
    await el.implementVpc({ vpcId, name: 'acl', cidr: '10.7.0.0/16' }, ctx());
    for (const n of [web, db]) await el.implementNetwork(n, ctx());
    const [w, d] = [nicOf(web, 1), nicOf(db, 2)];
    for (const n of [w, d]) await el.prepareNic(n, ctx());
    const wVm = await attachVm(prefix, names.nicPeer(w.nicId), 'web');
    const dVm = await attachVm(prefix, names.nicPeer(d.nicId), 'db');
    for (const [ns, n] of [
      [wVm, w],
      [dVm, d],
    ] as const) {
      expect((await dhcp(ns, names.nicPeer(n.nicId), work)).ip).toBe(n.ip);
    }
    await listen(dVm);
    // No list yet: the tiers route freely.
    expect(await connects(wVm, d.ip, 22)).toBe(true);

    // db: 5432 from web allowed (10), 22 denied (20) before the allow-all (30) that would let it in: first match.
    const dbList = list(db, 'db-acl', [
      rule(10, { portStart: 5432, portEnd: 5432, cidrs: [web.cidr] }),
      rule(20, { action: 'deny', portStart: 22, portEnd: 22 }),
      rule(30, { protocol: 'all' }),
    ]);
    expect(await el.applyNetworkAcl?.(dbList, ctx())).toEqual({ adopted: false });
    expect(await el.applyNetworkAcl?.(dbList, ctx())).toEqual({ adopted: true });
    // web denies every Ingress: the SYN-ACKs of its own connections still come back (stateful).
    expect(await el.applyNetworkAcl?.(defaultDeny(web), ctx())).toEqual({ adopted: false });
    expect(await connects(wVm, d.ip, 5432)).toBe(true);
    expect(await connects(wVm, d.ip, 22)).toBe(false);

    const held = async () => (await el.observe({ vpcId }, ctx())).resources.filter((r) => r.kind === 'acl');
    const seen = await held();
    expect(seen.map((r) => r.id).sort()).toEqual(
      [aclListResourceId(web.networkId), aclListResourceId(db.networkId)].sort(),
    );
    expect(seen.find((r) => r.id === aclListResourceId(db.networkId))).toMatchObject({
      attributes: { aclList: 'db-acl', aclListName: 'db-acl list', aclRules: aclRulesDigest(dbList.rules) },
    });
    expect(seen.filter((r) => r.issues)).toEqual([]);

    // Egress: web may not open 5432 anywhere; db's Ingress would allow it, web's Egress decides first.
    const webEgress = list(web, 'web-egress', [
      rule(1, { action: 'deny', trafficType: 'Egress', portStart: 5432, portEnd: 5432 }),
    ]);
    await el.applyNetworkAcl?.(webEgress, ctx());
    expect(await connects(wVm, d.ip, 5432)).toBe(false);
    await el.applyNetworkAcl?.(defaultDeny(web), ctx());
    expect(await connects(wVm, d.ip, 5432)).toBe(true);

    // db switched to default_deny: 5432 is blocked too.
    expect(await el.applyNetworkAcl?.(defaultDeny(db), ctx())).toEqual({ adopted: false });
    expect(await connects(wVm, d.ip, 5432)).toBe(false);

    // Someone flushes the router's ruleset: drift in observe (and the filter really is gone); applying repairs.
    await run('ip', ['netns', 'exec', names.routerNs(vpcId), 'nft', 'flush', 'ruleset']);
    const drift = await held();
    expect(drift.map((r) => r.issues)).toEqual([
      ['the nftables table of the VPC is missing'],
      ['the nftables table of the VPC is missing'],
    ]);
    expect(await connects(wVm, d.ip, 5432)).toBe(true);
    for (const spec of [defaultDeny(db), defaultDeny(web)]) {
      expect(await el.applyNetworkAcl?.(spec, ctx())).toEqual({ adopted: false });
    }
    expect((await held()).filter((r) => r.issues)).toEqual([]);
    expect(await connects(wVm, d.ip, 5432)).toBe(false);

    // A tier destroyed takes its chains out of the VPC's table; the other tier's list stays in force.
    await el.shutdownNetwork(web, ctx());
    await el.destroyNetwork(web, ctx());
    expect((await held()).map((r) => r.id)).toEqual([aclListResourceId(db.networkId)]);
    const { stdout } = await run('ip', ['netns', 'exec', names.routerNs(vpcId), 'nft', 'list', 'ruleset']);
    expect(stdout).not.toContain(web.networkId);
    expect(stdout).toContain(`netplane:net=${db.networkId},list=default_deny`);
    await el.shutdownNetwork(db, ctx());
    await el.destroyNetwork(db, ctx());
    await el.destroyVpc({ vpcId }, ctx());
    expect(await held()).toEqual([]);
  });

  it('handles NetworkACL, and refuses list values that could reach the nft script as INVALID_REQUEST, sending nothing', async () => {
    const n = tier(3, vlan + 2);
    const good = list(n, 'l', [rule(1, { portStart: 80, portEnd: 80 })]);
    const bads: NetworkAclSpec[] = [
      { ...good, listId: 'l" ; flush ruleset' },
      list(n, 'l', [rule(1, { cidrs: ['10.0.0.0/8" drop'] })]),
      list(n, 'l', [rule(1, { ruleId: 'a"b' })]),
      list(n, 'l', [rule(1, {}), rule(1, {})]),
      list(n, 'l', [rule(1, { portStart: 90, portEnd: 80 })]),
      list(n, 'l', [rule(1, { protocol: 'sctp' as never })]),
      list(n, 'l', [rule(1, { cidrs: [] })]),
    ];
    expect(await el.canHandle({ network: n, service: 'NetworkACL' }, ctx())).toEqual({ canHandle: true });
    expect((await el.canHandle({ network: n, service: 'Lb' }, ctx())).canHandle).toBe(false);
    const before = el.roundTrips();
    for (const spec of bads) {
      const err = await el.applyNetworkAcl?.(spec, ctx()).catch((e: unknown) => e);
      expect(err).toMatchObject({ category: 'INVALID_REQUEST' });
    }
    expect(el.roundTrips()).toBe(before);
  });
});
