// Test helpers: elements over an in-process hub or a standalone simulator process started through tsx.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { AdapterEnv, CallContext, NetworkElement } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, SimulatorHub } from '../src/index';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
export const env: AdapterEnv = { logger: silent };
export const credentials = { username: 'admin', password: 'not-a-real-password' };

export function ctx(signal?: AbortSignal): CallContext {
  return { signal: signal ?? AbortSignal.timeout(10_000), idempotencyKey: randomUUID() };
}

/** Polls a condition until it holds, with a deadline generous for a loaded machine; fails with the last value. */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  accept: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
    last = await read();
  }
  return last;
}

export function inProcess(
  hub = new SimulatorHub('test'),
  config: Record<string, unknown> = {},
): {
  hub: SimulatorHub;
  controllerId: string;
  element: NetworkElement;
} {
  const controllerId = randomUUID();
  const element = createSimulatorAdapter(hub).createElement(
    { controllerId, endpoint: 'sim://test', credentials, config },
    env,
  );
  return { hub, controllerId, element };
}

export function remoteElement(url: string, controllerId: string = randomUUID()): NetworkElement {
  return createSimulatorAdapter(new SimulatorHub('unused')).createElement(
    { controllerId, endpoint: url, credentials, config: {} },
    env,
  );
}

export type SimulatorProcess = { url: string; child: ChildProcess; stop(): Promise<void> };

/** Starts the bin script as a real child process and reads the URL it prints. */
export async function spawnSimulatorProcess(): Promise<SimulatorProcess> {
  const bin = fileURLToPath(new URL('../src/bin/simulator-server.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
  const child = spawn(tsx, [bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n')[0];
      if (buf.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
