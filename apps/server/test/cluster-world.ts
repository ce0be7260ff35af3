// Cluster test support: a standalone simulator process (the shared controller), inventory written straight into the
// shared database (credentials sealed with the servers' master key), and small pollers.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '@netplane/db';
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

export type ClusterSeed = {
  zoneId: string;
  controllerId: string;
  vpcOfferingId: string;
  networkOfferingId: string;
};

/** One zone, a VLAN physical network, a simulator provider whose controller is the remote simulator. */
export async function seedInventory(
  db: Db,
  o: {
    masterKey: string;
    simulatorUrl: string;
    maxConcurrent: number;
    callsPerSecond: number;
    timeoutMs: number;
  },
): Promise<ClusterSeed> {
  const now = Date.now();
  const common = { created_at: now, updated_at: now, version: 1 };
  const zoneId = randomUUID();
  await db
    .insertInto('zones')
    .values({ id: zoneId, name: 'cluster-zone', description: '', state: 'Enabled', ...common })
    .execute();
  const pnId = randomUUID();
  await db
    .insertInto('physical_networks')
    .values({
      id: pnId,
      zone_id: zoneId,
      name: 'cluster-pn',
      isolation_methods: JSON.stringify(['VLAN']),
      tags: JSON.stringify(['cluster']),
      broadcast_ranges: JSON.stringify([{ kind: 'vlan', start: 100, end: 199 }]),
      traffic_types: JSON.stringify([{ type: 'Guest', labels: {} }]),
      state: 'Enabled',
      ...common,
    })
    .execute();
  const providerId = randomUUID();
  await db
    .insertInto('providers')
    .values({
      id: providerId,
      physical_network_id: pnId,
      name: 'cluster-sim',
      adapter_id: 'simulator',
      state: 'Enabled',
      enabled_services: JSON.stringify(['Connectivity', 'Dhcp']),
      capability_overrides: '{}',
      ...common,
    })
    .execute();
  const controllerId = randomUUID();
  const sealed = new Keyring(envKeySource(o.masterKey)).encrypt(
    JSON.stringify({ username: 'admin', password: `pw-${randomBytes(6).toString('hex')}` }),
    controllerId,
  );
  await db
    .insertInto('controllers')
    .values({
      id: controllerId,
      provider_id: providerId,
      name: 'shared-sim',
      endpoint: o.simulatorUrl,
      protocol: 'SIMULATED',
      config: '{}',
      credentials_ciphertext: sealed.ciphertext,
      credentials_key_id: sealed.keyId,
      max_concurrent: o.maxConcurrent,
      calls_per_second: o.callsPerSecond,
      timeout_ms: o.timeoutMs,
      resource_state: 'Enabled',
      health_ok: 1,
      health_checked_at: now,
      health_latency_ms: 1,
      health_version: 'sim',
      health_error: null,
      conditions: '[]',
      ...common,
    })
    .execute();
  const offering = async (kind: 'vpc' | 'network') => {
    const id = randomUUID();
    await db
      .insertInto('offerings')
      .values({
        id,
        name: `cluster-${kind}`,
        description: '',
        kind,
        guest_type: 'Isolated',
        service_providers: JSON.stringify({ Connectivity: 'simulator' }),
        tags: JSON.stringify(['cluster']),
        isolation_method: 'VLAN',
        required_capabilities: '{}',
        state: 'Enabled',
        ...common,
      })
      .execute();
    return id;
  };
  return {
    zoneId,
    controllerId,
    vpcOfferingId: await offering('vpc'),
    networkOfferingId: await offering('network'),
  };
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
