// Out-of-process adapter cost (issue 13 point 9): the per-call overhead of the process runtime against the same
// simulator in process (goal: under 0.2 ms per call). Calls are healthCheck on a sim:// controller (latency 0), so
// the figure is the runtime's: JSON-RPC over the child's pipes, the proxy, the adapter side's dispatch.
// `npm run bench -- adapters [--calls N] [--concurrency C]`; one JSON line.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startProcessAdapter } from '@netplane/adapter-runtime';
import type { NetworkElement } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, SimulatorHub } from '@netplane/adapter-simulator';
import { argValue } from './lib/args';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const connection = () => ({
  controllerId: randomUUID(),
  endpoint: 'sim://bench',
  credentials: { username: 'bench', password: 'bench-password' },
  config: {},
});
const ctx = () => ({ signal: AbortSignal.timeout(60_000), idempotencyKey: randomUUID() });
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

async function measure(el: NetworkElement, calls: number, concurrency: number) {
  for (let i = 0; i < 500; i++) await el.healthCheck(ctx()); // warm-up (JIT, pipes)
  let t = performance.now();
  for (let i = 0; i < calls; i++) await el.healthCheck(ctx());
  const sequentialMs = (performance.now() - t) / calls;
  t = performance.now();
  for (let i = 0; i < calls; i += concurrency)
    await Promise.all(Array.from({ length: concurrency }, () => el.healthCheck(ctx())));
  return { sequentialMs, concurrentMs: (performance.now() - t) / calls };
}

export async function run(args: string[]): Promise<void> {
  const calls = Number(argValue(args, '--calls') ?? 5_000);
  const concurrency = Number(argValue(args, '--concurrency') ?? 50);
  const inProcess = await measure(
    createSimulatorAdapter(new SimulatorHub('bench')).createElement(connection(), { logger: quiet }),
    calls,
    concurrency,
  );
  const serve = fileURLToPath(new URL('../../packages/adapter-simulator/src/serve.ts', import.meta.url));
  const adapter = await startProcessAdapter({
    command: process.execPath,
    args: ['--import', 'tsx', serve],
    cwd: process.cwd(),
    logger: quiet,
  });
  try {
    const outOfProcess = await measure(
      await adapter.openElement(connection(), { logger: quiet }),
      calls,
      concurrency,
    );
    const overheadMs = outOfProcess.sequentialMs - inProcess.sequentialMs;
    console.log(
      JSON.stringify({
        bench: 'adapters',
        calls,
        concurrency,
        inProcessMsPerCall: r4(inProcess.sequentialMs),
        processMsPerCall: r4(outOfProcess.sequentialMs),
        overheadMsPerCall: r4(overheadMs),
        concurrentInProcessMsPerCall: r4(inProcess.concurrentMs),
        concurrentProcessMsPerCall: r4(outOfProcess.concurrentMs),
        goalMs: 0.2,
        withinGoal: overheadMs < 0.2,
        loadavg1m: r4(loadavg()[0] ?? 0),
      }),
    );
  } finally {
    await adapter.stop();
  }
}
