// One OVN trace in isolation (issue 12 point 6): the OVN adapter's trace() alone, no engine and no HTTP, on a VPC of
// `--tiers` tiers and `--nics` NICs on a real ovsdb-server and ovn-northd, one trace at a time; each packet also
// traced by a one-shot `ovn-trace` (what every trace cost before the daemon), right after, for comparison at the same
// load. The first trace starts the element's ovn-trace daemon and is reported apart.
// `npm run bench -- trace-adapter [--nics 1000] [--tiers 10] [--traces 30] [--seed 12]`
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import ovnAdapter, { names, routerPortMac, tracerOf } from '@netplane/adapter-ovn';
import type { NetworkSpec, NicSpec, TraceSpec } from '@netplane/adapter-sdk';
import { isNorthdAvailable, microflow, startNorthd, startOvsdbServer } from '@netplane/ovsdb/testing';
import { argValue } from './lib/args';

const exec = promisify(execFile);
const logger = { debug() {}, info() {}, warn() {}, error() {} };
const ctx = (ms = 120_000) => ({ signal: AbortSignal.timeout(ms), idempotencyKey: randomUUID() });
const r1 = (x: number) => Math.round(x * 10) / 10;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return r1(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0);
};

async function measure(o: { nics: number; tiers: number; traces: number; seed: number }) {
  const nb = await startOvsdbServer();
  const northd = await startNorthd(nb);
  const el = ovnAdapter.createElement(
    {
      controllerId: 'bench',
      endpoint: nb.unixEndpoint,
      credentials: {},
      config: { southboundEndpoint: northd.sb.unixEndpoint },
    },
    { logger },
  );
  try {
    const vpcId = randomUUID();
    await el.implementVpc({ vpcId, name: 'bench', cidr: '10.0.0.0/8' }, ctx());
    const tiers: NetworkSpec[] = [];
    const nics: NicSpec[] = [];
    const perTier = Math.ceil(o.nics / o.tiers);
    for (let t = 0; t < o.tiers; t++) {
      const tier: NetworkSpec = {
        vpcId,
        networkId: randomUUID(),
        name: `tier-${t}`,
        cidr: `10.${t + 1}.0.0/16`,
        gateway: `10.${t + 1}.0.1`,
        isolation: { method: 'GENEVE', segmentId: 7000 + t },
        services: ['Connectivity', 'NetworkACL'],
      };
      await el.implementNetwork(tier, ctx());
      const ns = Array.from({ length: Math.min(perTier, o.nics - nics.length) }, (_, i): NicSpec => {
        const n = i + 10;
        const hex = (v: number) => v.toString(16).padStart(2, '0');
        return {
          nicId: randomUUID(),
          networkId: tier.networkId,
          vpcId,
          mac: `02:bb:${hex(t)}:00:${hex(n >> 8)}:${hex(n & 0xff)}`,
          ip: `10.${t + 1}.${n >> 8}.${n & 0xff}`,
          vmName: `vm-${t}-${i}`,
        };
      });
      await el.prepareNics(ns, ctx());
      tiers.push(tier);
      nics.push(...ns);
    }
    await northd.sync(300);
    const flows = (await northd.sbctl(['--bare', '--columns=_uuid', 'list', 'Logical_Flow']))
      .split('\n')
      .filter(Boolean).length;
    let seed = o.seed >>> 0;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const pick = () => nics[Math.floor(next() * nics.length)] as NicSpec;
    const daemon: number[] = [];
    const oneShot: number[] = [];
    let firstMs = 0;
    for (let i = 0; i <= o.traces; i++) {
      const [a, b] = [pick(), pick()];
      const spec: TraceSpec = {
        version: 1,
        vpcId,
        source: { kind: 'nic', nicId: a.nicId, networkId: a.networkId, mac: a.mac, ip: a.ip },
        destination: { kind: 'nic', nicId: b.nicId, networkId: b.networkId, mac: b.mac, ip: b.ip },
        flow: { protocol: 'tcp', port: 22 },
        tiers: tiers.map((t) => ({ networkId: t.networkId, name: t.name, cidr: t.cidr, gateway: t.gateway })),
      };
      let t0 = performance.now();
      await el.trace?.(spec, ctx());
      if (i === 0) firstMs = performance.now() - t0;
      else daemon.push(performance.now() - t0);
      const packet = {
        datapath: names.switch(a.networkId),
        inport: names.nicPort(a.nicId),
        ethSrc: a.mac,
        ethDst: a.networkId === b.networkId ? b.mac : routerPortMac(a.networkId),
        kind: 'ip4' as const,
        ip4Src: a.ip,
        ip4Dst: b.ip,
        proto: 'tcp' as const,
        srcPort: 49152,
        dstPort: 22,
      };
      const ct = Array.from({ length: 16 }, () => '--ct=new');
      const args = [`--db=${northd.sb.unixEndpoint}`, ...ct, '--detailed', '--no-friendly-names'];
      t0 = performance.now();
      await exec('ovn-trace', [...args, packet.datapath, microflow(packet)], { maxBuffer: 4 << 20 });
      oneShot.push(performance.now() - t0);
    }
    return {
      tiers: o.tiers,
      nics: nics.length,
      logicalFlows: flows,
      firstTraceMs: Math.round(firstMs),
      daemon: {
        runs: daemon.length,
        p50Ms: pct(daemon, 50),
        p95Ms: pct(daemon, 95),
        maxMs: pct(daemon, 100),
      },
      oneShot: {
        runs: oneShot.length,
        p50Ms: pct(oneShot, 50),
        p95Ms: pct(oneShot, 95),
        maxMs: pct(oneShot, 100),
      },
      answered: tracerOf(el)?.stats,
      loadavg: loadavg().map(r1),
    };
  } finally {
    await el.close();
    await northd.dispose();
    await nb.dispose();
  }
}

export async function run(args: string[]): Promise<void> {
  if (!(await isNorthdAvailable())) {
    console.log(JSON.stringify({ adapter: 'ovn', skipped: 'ovn-northd is not installed' }));
    return;
  }
  const o = {
    nics: Number(argValue(args, '--nics') ?? 1000),
    tiers: Number(argValue(args, '--tiers') ?? 10),
    traces: Number(argValue(args, '--traces') ?? 30),
    seed: Number(argValue(args, '--seed') ?? 12),
  };
  console.log(JSON.stringify(await measure(o)));
}
