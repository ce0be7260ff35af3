// Starts the toy adapter (test/fixtures/toy-adapter.ts) as a real child process through the runtime.
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallContext, NicSpec } from '@netplane/adapter-sdk';
import { type ProcessAdapterOptions, startProcessAdapter } from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
export const TOY = join(here, 'fixtures', 'toy-adapter.ts');

export type LogLine = { level: string; obj: object; msg: string | undefined };

export function recordingLogger() {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** node with tsx's loader, so the fixture (TypeScript importing the SDK's source) runs as one process: its pid is the adapter's. */
export const tsNode = (script: string, ...args: string[]) => ({
  command: process.execPath,
  args: ['--import', 'tsx', script, ...args],
});

export function startToy(mode = 'ok', extra: Partial<ProcessAdapterOptions> = {}, version = '1.0.0') {
  const { lines, logger } = recordingLogger();
  const started = startProcessAdapter({
    ...tsNode(TOY, mode, version),
    cwd: here,
    logger,
    // tsx compiles the toy at every start: generous on a loaded machine (a test of the deadline passes its own).
    handshakeTimeoutMs: 120_000,
    ...extra,
  });
  return { started, lines };
}

export const connection = (config: Record<string, unknown> = {}) => ({
  controllerId: randomUUID(),
  endpoint: 'toy://x',
  credentials: { password: 'hunter2-secret' },
  config,
});
export const env = { logger: recordingLogger().logger };

export const ctx = (signal: AbortSignal = AbortSignal.timeout(30_000)): CallContext => ({
  signal,
  idempotencyKey: randomUUID(),
});

export const nic = (i: number, vmName = `vm-${i}`): NicSpec => ({
  nicId: `nic-${i}`,
  networkId: 'net-1',
  vpcId: 'vpc-1',
  mac: `02:00:00:00:00:${(i % 256).toString(16).padStart(2, '0')}`,
  ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`,
  vmName,
});

/** Polls until the condition holds; the deadline only decides when a failing test gives up. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`not met within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
