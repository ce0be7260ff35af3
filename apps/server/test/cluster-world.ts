// Cluster test support: a standalone simulator process (the shared controller), inventory written straight into the
// shared database (credentials sealed with the servers' master key), and small pollers.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '@netplane/db';
import { type SimulatorSeed, seedSimulatorInventory } from '@netplane/db/testing';
import { envKeySource, Keyring } from '@netplane/secrets';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type SimulatorProcess = { url: string; proc: ChildProcess; stop(): Promise<void> };

/** `simulator-server.ts --port 0` in its own process; resolves once it printed its URL. */
export async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'packages/adapter-simulator/src/bin/simulator-server.ts'), '--port', '0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stderr?.on('data', (d) => {
    out += String(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${out}`)), 30_000);
    proc.stdout?.on('data', (d) => {
      out += String(d);
      const m = out.match(/"url":"(http:\/\/[^"]+)"/);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`simulator exited with ${code}:\n${out}`)));
  });
  return {
    url,
    proc,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

export const newMasterKey = (): string => randomBytes(32).toString('base64');

export type ClusterSeed = SimulatorSeed;

/** One zone, a VLAN physical network, a simulator provider whose controller is the remote simulator. */
export function seedInventory(
  db: Db,
  o: {
    masterKey: string;
    simulatorUrl: string;
    maxConcurrent: number;
    callsPerSecond: number;
    timeoutMs: number;
  },
): Promise<ClusterSeed> {
  const keyring = new Keyring(envKeySource(o.masterKey));
  return seedSimulatorInventory(db, {
    label: 'cluster',
    vlanRange: { start: 100, end: 199 },
    endpoint: o.simulatorUrl,
    credentials: (controllerId) =>
      keyring.encrypt(
        JSON.stringify({ username: 'admin', password: `pw-${randomBytes(6).toString('hex')}` }),
        controllerId,
      ),
    limits: { maxConcurrent: o.maxConcurrent, callsPerSecond: o.callsPerSecond, timeoutMs: o.timeoutMs },
  });
}

/** Polls `read` until `done` holds (returning that value) or the timeout passes (throwing with the last value). */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
