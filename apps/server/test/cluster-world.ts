// Cluster test support: a standalone simulator process (the shared controller), inventory written straight into the
// shared database (credentials sealed with the servers' master key), small pollers, and what every cluster scenario
// repeats: the server processes started around the seed, a VPC with one implemented tier, the job row it polls.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRemoteSimulatorControl } from '@netplane/adapter-simulator';
import { connect, type Db, type DbHandle } from '@netplane/db';
import { type SimulatorSeed, seedSimulatorInventory } from '@netplane/db/testing';
import { envKeySource, Keyring } from '@netplane/secrets';
import { expect } from 'vitest';
import { dataOf, type RunningServer, startServerProcess, type TrpcClient } from './server-process';

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

export type Cluster = {
  sim: SimulatorProcess;
  db: DbHandle;
  seed: ClusterSeed;
  servers: Map<string, RunningServer>;
  /** Starts one more node with the cluster's environment. */
  start(nodeId: string): Promise<RunningServer>;
  /** SIGKILLs every node, then stops the simulator and closes the test's connection. */
  stop(): Promise<void>;
};

export type ClusterOptions = {
  /** The test's own connection (straight to MariaDB). */
  databaseUrl: string;
  /** What the nodes connect to; the test's URL unless given (db-blip puts a proxy in between). */
  nodeDatabaseUrl?: string;
  /** The first migrates the empty database before the seed; the others start after it, finding it migrated. */
  nodes: readonly [string, ...string[]];
  adminPassword: string;
  /** Further environment of every node (lease settings, batch size). */
  env: Record<string, string>;
  maxConcurrent: number;
  timeoutMs: number;
  /** The simulated controller's latency per call, set before the other nodes start. */
  latencyMs: number;
};

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const servers = new Map<string, RunningServer>();
  let sim: SimulatorProcess | undefined;
  let db: DbHandle | undefined;
  const stop = async () => {
    for (const s of servers.values()) await s.stop('SIGKILL').catch(() => {});
    await sim?.stop();
    await db?.close();
  };
  try {
    sim = await startSimulatorProcess();
    const masterKey = newMasterKey();
    const start = (nodeId: string) =>
      startServerProcess({
        DATABASE_URL: o.nodeDatabaseUrl ?? o.databaseUrl,
        NODE_ID: nodeId,
        NETPLANE_MASTER_KEY: masterKey,
        NETPLANE_ADMIN_PASSWORD: o.adminPassword,
        ...o.env,
      });
    const [first, ...others] = o.nodes;
    servers.set(first, await start(first));
    db = connect(o.databaseUrl);
    const seed = await seedInventory(db.db, {
      masterKey,
      simulatorUrl: sim.url,
      maxConcurrent: o.maxConcurrent,
      callsPerSecond: 200,
      timeoutMs: o.timeoutMs,
    });
    await createRemoteSimulatorControl(sim.url).setProfile(seed.controllerId, { latencyMs: o.latencyMs });
    for (const id of others) servers.set(id, await start(id));
    return { sim, db, seed, servers, start, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The job columns the cluster tests poll and assert on. */
export const readJob = (db: Db, id: string) =>
  db
    .selectFrom('jobs')
    .select(['state', 'lease_owner', 'fencing_token', 'progress_done', 'finished_at', 'error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/**
 * Logs in as admin, creates a VPC (10.<net>.0.0/16) with one tier (10.<net>.0.0/24), implements the tier and waits
 * for that job to succeed: the starting point of every NIC job scenario.
 */
export async function implementedTier(
  api: TrpcClient,
  cluster: Pick<Cluster, 'db' | 'seed'>,
  o: { adminPassword: string; vpcName: string; tierName: string; net: number; timeoutMs: number },
): Promise<{ vpcId: string; tierId: string }> {
  const { seed } = cluster;
  expect((await api.login('admin', o.adminPassword)).status).toBe(200);
  const vpc = dataOf<{ id: string }>(
    await api.mutate('vpcs.create', {
      name: o.vpcName,
      zoneId: seed.zoneId,
      offeringId: seed.vpcOfferingId,
      cidr: `10.${o.net}.0.0/16`,
    }),
  );
  const tier = dataOf<{ id: string }>(
    await api.mutate('tiers.create', {
      vpcId: vpc.id,
      name: o.tierName,
      offeringId: seed.networkOfferingId,
      cidr: `10.${o.net}.0.0/24`,
    }),
  );
  const implement = dataOf<{ jobId: string }>(await api.mutate('tiers.implement', { id: tier.id }));
  const implemented = await pollUntil(
    () => readJob(cluster.db.db, implement.jobId),
    (j) => j.finished_at !== null,
    o.timeoutMs,
  );
  expect(implemented.state).toBe('succeeded');
  return { vpcId: vpc.id, tierId: tier.id };
}
