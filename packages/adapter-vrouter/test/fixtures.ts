// What the realized, trace and drift tests share: one router host (sshd, state dir, element), tiers, NICs and ACL
// rules of a VPC, VMs attached with a lease, TCP servers in them and a TCP connect that says whether it got through.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  type CallContext,
  NETWORK_ACL_SPEC_VERSION,
  type NetworkAclRuleSpec,
  type NetworkAclSpec,
  type NetworkSpec,
  type NicSpec,
  type StaticNatSpec,
  TRACE_SPEC_VERSION,
  type TraceFlow,
  type TraceSpec,
} from '@netplane/adapter-sdk';
import { afterAll, beforeAll } from 'vitest';
import type { VrouterElement } from '../src';
import { attachVm, dhcp, type PublicSide, type RouterHost, run, startRouterHost } from '../src/testing';

export const ctx = (): CallContext => ({ signal: AbortSignal.timeout(60_000), idempotencyKey: randomUUID() });

/** A router host (src/testing/router-host.ts) with its element, which has the public network's bridge if any. */
export type Host = RouterHost & {
  el: VrouterElement;
  /** `x` (a listener, a member server) stopped at the host's stop(). */
  keep<T extends { stop(): void }>(x: T): T;
};

/** A router host; with `publicThird`, a public network 203.0.<third>.0/24 on the adapter's publicBridge. */
export async function startHost(label: string, publicThird?: number): Promise<Host> {
  const h = await startRouterHost(label, publicThird);
  h.onStop(() => {
    for (const p of servers.splice(0)) p.kill('SIGKILL');
  });
  const keep = <T extends { stop(): void }>(x: T): T => {
    h.onStop(() => x.stop());
    return x;
  };
  return Object.assign(h, { el: h.element(), keep });
}

/** The test file's router host: started before its tests, stopped with everything it keeps after them. */
export function useHost(label: string): Host;
export function useHost(label: string, publicThird: number): Host & { pub: PublicSide };
export function useHost(label: string, publicThird?: number): Host {
  // Filled in by beforeAll: the tests read it once they run.
  const h = {} as Host;
  beforeAll(async () => {
    Object.assign(h, await startHost(label, publicThird));
  });
  afterAll(async () => {
    await h.stop?.();
  });
  return h;
}

export function tier(vpcId: string, third: number, segmentId: number, name = `tier-${third}`): NetworkSpec {
  return {
    vpcId,
    networkId: randomUUID(),
    name,
    cidr: `10.7.${third}.0/24`,
    gateway: `10.7.${third}.1`,
    isolation: { method: 'VLAN', segmentId },
    services: ['Connectivity', 'Dhcp', 'NetworkACL'],
    dhcp: { dnsServers: [], dnsDomain: null, physicalMtu: 1500 },
  };
}

export const nicOf = (n: NetworkSpec, i: number, host = 10): NicSpec => ({
  nicId: randomUUID(),
  networkId: n.networkId,
  vpcId: n.vpcId,
  mac: `02:00:07:${n.cidr.split('.')[2]?.padStart(2, '0').slice(-2)}:0${i}:${host}`,
  ip: `${n.cidr.split('.').slice(0, 3).join('.')}.${host}`,
  vmName: `vm-${i}`,
});

export const rule = (number: number, over: Partial<NetworkAclRuleSpec>): NetworkAclRuleSpec => ({
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

export const list = (n: NetworkSpec, listId: string, rules: NetworkAclRuleSpec[]): NetworkAclSpec => ({
  version: NETWORK_ACL_SPEC_VERSION,
  vpcId: n.vpcId,
  networkId: n.networkId,
  cidr: n.cidr,
  listId,
  listName: `${listId} list`,
  rules,
});

/** A static NAT of `publicIp` onto the NIC's address. */
export const staticNat = (nic: NicSpec, publicIp: string): StaticNatSpec => ({
  ruleId: randomUUID(),
  vpcId: nic.vpcId,
  networkId: nic.networkId,
  nicId: nic.nicId,
  publicIp,
  privateIp: nic.ip,
});

/** The NIC's peer moved into a "VM" namespace that got its lease by DHCP; returns the namespace. */
export async function vm(h: Host, nic: NicSpec, name: string): Promise<string> {
  const ns = await attachVm(h.prefix, h.names.nicPeer(nic.nicId), name);
  const lease = await dhcp(ns, h.names.nicPeer(nic.nicId), h.work);
  if (lease.ip !== nic.ip) throw new Error(`VM ${name} leased ${lease.ip}, not ${nic.ip}`);
  return ns;
}

const servers: ChildProcess[] = [];
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
const CONNECT = `
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3).close()
except OSError:
    sys.exit(1)
`;

/** True when a TCP connection from `ns` to ip:port is established within 3 s. */
export const connects = (ns: string, ip: string, port: number) =>
  run('ip', ['netns', 'exec', ns, 'python3', '-c', CONNECT, ip, String(port)]).then(
    () => true,
    () => false,
  );

/** TCP servers on `ports` in the VM's namespace, ready when each answers from inside the VM. */
export async function serve(ns: string, ports: readonly number[]): Promise<void> {
  const p = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', SERVER, ...ports.map(String)], {
    stdio: 'ignore',
  });
  servers.push(p);
  const deadline = Date.now() + 30_000;
  for (const port of ports) {
    while (!(await connects(ns, '127.0.0.1', port))) {
      if (Date.now() > deadline || p.exitCode !== null) throw new Error(`server in ${ns} not up on ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function traceSpec(
  tiers: readonly NetworkSpec[],
  source: TraceSpec['source'],
  destination: TraceSpec['destination'],
  flow: TraceFlow,
  extra: Partial<TraceSpec> = {},
): TraceSpec {
  return {
    version: TRACE_SPEC_VERSION,
    vpcId: tiers[0]?.vpcId ?? '',
    source,
    destination,
    flow,
    tiers: tiers.map((t) => ({ networkId: t.networkId, name: t.name, cidr: t.cidr, gateway: t.gateway })),
    ...extra,
  };
}

export const nicEnd = (n: NicSpec) =>
  ({ kind: 'nic', nicId: n.nicId, networkId: n.networkId, mac: n.mac, ip: n.ip }) as const;
