// Per-call cost of the out-of-process runtime: the same simulator element in process and behind the wire protocol,
// N sequential calls of each kind with zero simulated latency, so the difference is the runtime's own overhead
// (JSON-RPC encode/decode, two pipe hops, the child's event loop).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CallContext, NetworkElement, NetworkSpec, NicSpec, VpcSpec } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, SimulatorHub } from '@netplane/adapter-simulator';
import type { ProcessSimulator } from './process-simulator';

const silentEnv = { logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } };
const ctx = (): CallContext => ({ signal: AbortSignal.timeout(30_000), idempotencyKey: randomUUID() });

export type Figures = {
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  n: number;
  /** CPU per call of this process (the host) and of the adapter process: what a loaded machine does not stretch. */
  hostCpuMsPerCall: number;
  adapterCpuMsPerCall: number | null;
};

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** utime + stime of a process in ms, from /proc (Linux; clock ticks of 10 ms, fine over thousands of calls). */
function processCpuMs(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function figures(samples: number[], hostCpuMs: number, adapterCpuMs: number | null): Figures {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return {
    medianMs: r3(at(0.5)),
    p99Ms: r3(at(0.99)),
    meanMs: r3(s.reduce((a, b) => a + b, 0) / s.length),
    n: s.length,
    hostCpuMsPerCall: r3(hostCpuMs / s.length),
    adapterCpuMsPerCall: adapterCpuMs === null ? null : r3(adapterCpuMs / s.length),
  };
}

const connection = (controllerId: string) => ({
  controllerId,
  endpoint: 'sim://bench',
  credentials: { username: 'bench', password: 'bench' },
  config: { latencyMs: 0, jitterMs: 0 },
});

type Kind = 'healthCheck' | 'observe' | 'prepareNic';
export const KINDS: readonly Kind[] = ['healthCheck', 'observe', 'prepareNic'];

/** One element's sequential calls: `warmup` untimed, then `n` timed, per kind. */
async function measure(
  element: NetworkElement,
  n: number,
  warmup: number,
  adapterPid: () => number | null,
): Promise<Record<Kind, Figures>> {
  // A VPC with one tier, and a NIC spec per call on it.
  const tier = async (name: string, segmentId: number) => {
    const vpc: VpcSpec = { vpcId: randomUUID(), name: `bench-${name}`, cidr: '10.0.0.0/8' };
    const network: NetworkSpec = {
      vpcId: vpc.vpcId,
      networkId: randomUUID(),
      name: `bench-${name}-tier`,
      cidr: '10.64.0.0/12',
      gateway: '10.64.0.1',
      isolation: { method: 'VLAN', segmentId },
      services: ['Connectivity', 'Dhcp'],
    };
    await element.implementVpc(vpc, ctx());
    await element.implementNetwork(network, ctx());
    let nicIndex = 0;
    const nic = (): NicSpec => {
      const i = ++nicIndex;
      const hex = (v: number) => v.toString(16).padStart(2, '0');
      return {
        nicId: randomUUID(),
        networkId: network.networkId,
        vpcId: vpc.vpcId,
        mac: `02:00:00:${hex((i >> 16) & 0xff)}:${hex((i >> 8) & 0xff)}:${hex(i & 0xff)}`,
        ip: `10.${64 + ((i >> 16) & 0x0f)}.${(i >> 8) & 0xff}.${i & 0xff}`,
        vmName: `vm-${i}`,
      };
    };
    const calls: Record<Kind, () => Promise<unknown>> = {
      healthCheck: () => element.healthCheck(ctx()),
      // Timed before prepareNic, on a VPC of its own: the same answer in every run, its tier and no NIC.
      observe: () => element.observe({ vpcId: vpc.vpcId }, ctx()),
      prepareNic: () => element.prepareNic(nic(), ctx()),
    };
    return calls;
  };
  const warm = await tier('warm', 100);
  const calls = await tier('timed', 101);
  const out = {} as Record<Kind, Figures>;
  // Every kind is warmed up before any is timed: the path they share (the proxy, the wire, the child's loop) is
  // compiled by then, so the first kind timed does not carry the JIT's warm-up alone (it did: healthCheck, timed
  // first, was 0.05-0.09 ms above the others).
  // The warm-up's NICs go to a VPC of their own, so the timed observe sees the VPC it always saw.
  for (const kind of KINDS) for (let i = 0; i < warmup; i++) await warm[kind]();
  for (const kind of KINDS) {
    const samples: number[] = [];
    const pid = adapterPid();
    const child0 = processCpuMs(pid);
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await calls[kind]();
      samples.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    const child1 = processCpuMs(pid);
    const childMs = child0 !== null && child1 !== null ? child1 - child0 : null;
    out[kind] = figures(samples, (cpu.user + cpu.system) / 1000, childMs);
  }
  return out;
}

export async function perCall(child: ProcessSimulator, n: number, warmup: number) {
  const inProcess = createSimulatorAdapter(new SimulatorHub('bench')).createElement(
    connection(randomUUID()),
    silentEnv,
  );
  const outOfProcess = await child.adapter.openElement(connection(randomUUID()), silentEnv);
  try {
    // Alternating would mix the two processes' JIT warm-up into each other's figures; each runs its own warm-up.
    const a = await measure(inProcess, n, warmup, () => null);
    const b = await measure(outOfProcess, n, warmup, () => child.adapter.pid());
    return KINDS.map((kind) => ({
      call: kind,
      inProcess: a[kind],
      outOfProcess: b[kind],
      overheadMedianMs: Math.round((b[kind].medianMs - a[kind].medianMs) * 1000) / 1000,
      overheadP99Ms: Math.round((b[kind].p99Ms - a[kind].p99Ms) * 1000) / 1000,
      /** Both processes' CPU per call out of process, minus the in-process call's. */
      overheadCpuMsPerCall: r3(
        b[kind].hostCpuMsPerCall + (b[kind].adapterCpuMsPerCall ?? 0) - a[kind].hostCpuMsPerCall,
      ),
    }));
  } finally {
    await inProcess.close();
    await outOfProcess.close();
  }
}
