// Virtual router boot storm (issue 14 point 5): N separate prepareNic calls on one tier of one router host (sshd on
// loopback, this machine as the host), coalesced by the adapter into batches, then every NIC's lease served by DHCP
// to its own "VM" namespace (busybox udhcpc), against the same NIC work done one SSH command per NIC on one open
// connection (measured on a sample, scaled). Adapter level: the adapter is not registered in the server yet.
// `npm run bench -- virtual-router [--nics 500] [--baseline-sample 50] [--lease-concurrency 25] [--no-leases]`
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkSpec, NicSpec } from '@netplane/adapter-sdk';
import { namesFor, parseConnection, SshHost } from '@netplane/adapter-vrouter';
import {
  attachVm,
  cleanupHost,
  dhcp,
  element,
  type Sshd,
  startSshd,
  testPrefix,
} from '@netplane/adapter-vrouter/testing';
import { argValue } from './lib/args';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const round = (n: number) => Math.round(n);

function tierOf(vpcId: string, third: number, vlan: number): NetworkSpec {
  return {
    vpcId,
    networkId: randomUUID(),
    name: `storm-${third}`,
    cidr: `10.${third}.0.0/16`,
    gateway: `10.${third}.0.1`,
    isolation: { method: 'VLAN', segmentId: vlan },
    services: ['Connectivity', 'Dhcp'],
    dhcp: { dnsServers: ['192.0.2.53'], dnsDomain: null, physicalMtu: 1500 },
  };
}

function nicsOf(tier: NetworkSpec, n: number): NicSpec[] {
  const base = tier.cidr.split('.').slice(0, 2).join('.');
  return Array.from({ length: n }, (_, i) => {
    const host = i + 10;
    const hex = (x: number) => x.toString(16).padStart(2, '0');
    return {
      nicId: randomUUID(),
      networkId: tier.networkId,
      vpcId: tier.vpcId,
      mac: `02:aa:00:${hex(tier.isolation.segmentId & 0xff)}:${hex(host >> 8)}:${hex(host & 0xff)}`,
      ip: `${base}.${host >> 8}.${host & 0xff}`,
      vmName: `storm-${i}`,
    };
  });
}

/** The naive way: one SSH command per NIC (veth, bridge port, hosts line, dnsmasq reload), on one open connection. */
async function perNicBaseline(
  sshd: Sshd,
  prefix: string,
  stateDir: string,
  tier: NetworkSpec,
  nics: NicSpec[],
) {
  const conn = parseConnection(
    `ssh://root@127.0.0.1:${sshd.port}`,
    { hostKey: sshd.hostKey, namePrefix: prefix, stateDir },
    { privateKey: sshd.privateKey },
  );
  const ssh = new SshHost(conn, silent);
  const names = namesFor(prefix);
  const dir = `${stateDir}/${prefix}/${tier.networkId}`;
  const bridge = names.bridge('VLAN', tier.isolation.segmentId);
  try {
    await ssh.runOk('true', AbortSignal.timeout(30_000), 'connect');
    const t0 = performance.now();
    for (const nic of nics) {
      const [port, peer] = [names.nicPort(nic.nicId), names.nicPeer(nic.nicId)];
      await ssh.runOk(
        [
          `ip link add name ${port} type veth peer name ${peer} address ${nic.mac}`,
          `ip link set dev ${port} alias netplane:kind=nic,nic=${nic.nicId},net=${tier.networkId},vpc=${tier.vpcId},mac=${nic.mac},ip=${nic.ip}`,
          `ip link set dev ${port} master ${bridge} up`,
          `echo '${nic.mac},set:${nic.nicId},${nic.ip}' >> ${dir}/hosts`,
          `kill -HUP $(cat ${dir}/pid)`,
        ].join('\n'),
        AbortSignal.timeout(30_000),
        'per-NIC baseline',
      );
    }
    return { ms: performance.now() - t0, roundTrips: nics.length };
  } finally {
    ssh.close();
  }
}

/** Chunks of `concurrency` at a time, every item's failure recorded rather than thrown. */
async function inChunks<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  const failures: string[] = [];
  for (let i = 0; i < items.length; i += concurrency) {
    await Promise.all(
      items.slice(i, i + concurrency).map((item, j) =>
        fn(item, i + j).catch((e: unknown) => {
          failures.push((e as Error).message.split('\n')[0] ?? '');
        }),
      ),
    );
  }
  return failures;
}

/**
 * Every NIC's peer goes into a "VM" namespace (the hypervisor's part, timed apart), then every VM asks for its lease
 * with udhcpc; returns how many got exactly their address.
 */
async function serveLeases(prefix: string, work: string, nics: NicSpec[], concurrency: number) {
  const names = namesFor(prefix);
  const vms = new Map<string, string>();
  const t0 = performance.now();
  const attachFailures = await inChunks(nics, concurrency, async (nic, i) => {
    vms.set(nic.nicId, await attachVm(prefix, names.nicPeer(nic.nicId), `s${i}`));
  });
  const t1 = performance.now();
  let ok = 0;
  const leaseFailures = await inChunks(nics, concurrency, async (nic) => {
    const lease = await dhcp(vms.get(nic.nicId) as string, names.nicPeer(nic.nicId), work);
    if (lease.ip !== nic.ip) throw new Error(`${nic.ip}: got ${lease.ip}`);
    ok++;
  });
  return {
    attachMs: t1 - t0,
    ms: performance.now() - t1,
    ok,
    failures: [...attachFailures, ...leaseFailures].slice(0, 5),
  };
}

export async function run(args: string[]): Promise<void> {
  const nicCount = Number(argValue(args, '--nics') ?? 500);
  const sample = Number(argValue(args, '--baseline-sample') ?? 50);
  const concurrency = Number(argValue(args, '--lease-concurrency') ?? 25);
  const leases = !args.includes('--no-leases');
  if (!Number.isInteger(nicCount) || nicCount < 1 || nicCount > 60_000)
    throw new Error('--nics must be 1..60000');
  const sshd = await startSshd();
  const prefix = testPrefix();
  const work = await mkdtemp(join(tmpdir(), `np-vrouter-bench-${prefix}-`));
  const stateDir = join(work, 'state');
  const el = element(sshd, prefix, stateDir);
  const ctx = () => ({ signal: AbortSignal.timeout(300_000), idempotencyKey: randomUUID() });
  const vlan = 100 + Math.floor(Math.random() * 3000);
  try {
    const vpcId = randomUUID();
    await el.implementVpc({ vpcId, name: 'storm', cidr: '10.0.0.0/8' }, ctx());
    const storm = tierOf(vpcId, 201, vlan);
    const naive = tierOf(vpcId, 202, vlan + 1);
    await el.implementNetwork(storm, ctx());
    await el.implementNetwork(naive, ctx());
    const nics = nicsOf(storm, nicCount);

    const trips0 = el.roundTrips();
    const t0 = performance.now();
    const results = await Promise.allSettled(nics.map((nic) => el.prepareNic(nic, ctx())));
    const prepareMs = performance.now() - t0;
    const roundTrips = el.roundTrips() - trips0;
    const prepared = results.filter((r) => r.status === 'fulfilled').length;
    const served = leases ? await serveLeases(prefix, work, nics, concurrency) : null;

    const baseline = await perNicBaseline(
      sshd,
      prefix,
      stateDir,
      naive,
      nicsOf(naive, Math.min(sample, nicCount)),
    );
    const perNicMs = baseline.ms / Math.max(1, Math.min(sample, nicCount));
    const scaledMs = perNicMs * nicCount;
    console.log(
      JSON.stringify({
        bench: 'virtual-router',
        nics: nicCount,
        prepared,
        prepareMs: round(prepareMs),
        roundTrips,
        leasesOk: served?.ok ?? null,
        vmAttachMs: served ? round(served.attachMs) : null,
        leasesMs: served ? round(served.ms) : null,
        leaseFailures: served?.failures ?? [],
        totalMs: round(prepareMs + (served?.ms ?? 0)),
        baselineSample: Math.min(sample, nicCount),
        baselinePerNicMs: round(perNicMs),
        baselineScaledMs: round(scaledMs),
        baselineRoundTrips: nicCount,
        ratio: Math.round((scaledMs / prepareMs) * 10) / 10,
        load: loadavg().map((l) => Math.round(l * 10) / 10),
      }),
    );
  } finally {
    await el.close();
    await cleanupHost(prefix, stateDir);
    await sshd.stop();
    await rm(work, { recursive: true, force: true });
  }
}
