// Test harness: a real ovsdb-server on a fresh database, on a unix socket and a free loopback TCP port.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OvsdbClient } from '../client';
import { op } from '../operations';
import type { TlsOptions } from '../transport';
import { findFreePort } from './free-port';
import { createTlsMaterial, type TlsMaterial } from './tls-material';

const run = promisify(execFile);
export const OVN_NB_SCHEMA = '/usr/share/ovn/ovn-nb.ovsschema';

export type OvsdbServerOptions = {
  schemaPath?: string;
  /** Also serve the remotes listed in NB_Global.connections (to test e.g. a short inactivity_probe). */
  dbRemotes?: boolean;
  /** Also listen with TLS (pssl) on another free port, with a throw-away CA and certificates. */
  ssl?: boolean;
};

export type OvsdbServerHandle = {
  dir: string;
  dbPath: string;
  socketPath: string;
  tcpPort: number;
  /** "unix:<socket>" and "tcp:127.0.0.1:<port>" */
  unixEndpoint: string;
  tcpEndpoint: string;
  dbName: string;
  /** "ssl:127.0.0.1:<port>" and the client's PEM material, when started with { ssl: true }. */
  ssl?: { endpoint: string; port: number; client: TlsMaterial['client'] };
  pid(): number | undefined;
  /** Graceful stop (SIGTERM), waits for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash: no cleanup on the server side. */
  kill9(): Promise<void>;
  /** Starts the server again on the same database file, socket and port. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Runs ovn-nbctl against this server (unix socket); returns stdout. */
  nbctl(args: string[]): Promise<string>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
  logTail(): Promise<string>;
};

export function isOvsdbServerAvailable(): Promise<boolean> {
  return run('ovsdb-server', ['--version']).then(
    () => true,
    () => false,
  );
}

export async function startOvsdbServer(options: OvsdbServerOptions = {}): Promise<OvsdbServerHandle> {
  const schemaPath = options.schemaPath ?? OVN_NB_SCHEMA;
  const dir = await mkdtemp(path.join(tmpdir(), 'netplane-ovsdb-'));
  const dbPath = path.join(dir, 'nb.db');
  const socketPath = path.join(dir, 'nb.sock');
  const logPath = path.join(dir, 'ovsdb-server.log');
  await run('ovsdb-tool', ['create', dbPath, schemaPath]);
  const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as { name: string };
  const tcpPort = await findFreePort();
  const tls = options.ssl ? await createTlsMaterial(dir) : undefined;
  const sslPort = tls ? await findFreePort() : 0;
  let child: ChildProcess | undefined;

  const args = [
    dbPath,
    `--remote=punix:${socketPath}`,
    `--remote=ptcp:${tcpPort}:127.0.0.1`,
    `--unixctl=${path.join(dir, 'ovsdb-server.ctl')}`,
    `--pidfile=${path.join(dir, 'ovsdb-server.pid')}`,
    `--log-file=${logPath}`,
    '-vconsole:off',
    ...(options.dbRemotes ? [`--remote=db:${schema.name},NB_Global,connections`] : []),
    ...(tls
      ? [
          `--remote=pssl:${sslPort}:127.0.0.1`,
          `--private-key=${tls.serverKeyPath}`,
          `--certificate=${tls.serverCertPath}`,
          `--ca-cert=${tls.caCertPath}`,
        ]
      : []),
  ];

  const waitExit = async (signal: NodeJS.Signals) => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    await exited;
  };

  const start = async () => {
    if (child) return;
    const c = spawn('ovsdb-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child = c;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (c.exitCode !== null) throw new Error(`ovsdb-server exited with ${c.exitCode}: ${stderr}`);
      const ok =
        (await answers(`unix:${socketPath}`)) &&
        (await answers(`tcp:127.0.0.1:${tcpPort}`)) &&
        (!tls || (await answers(`ssl:127.0.0.1:${sslPort}`, tls.client)));
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`ovsdb-server did not answer within 10 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  await start();
  if (schema.name === 'OVN_Northbound') await ensureNbGlobal(`unix:${socketPath}`);

  const handle: OvsdbServerHandle = {
    dir,
    dbPath,
    socketPath,
    tcpPort,
    unixEndpoint: `unix:${socketPath}`,
    tcpEndpoint: `tcp:127.0.0.1:${tcpPort}`,
    dbName: schema.name,
    ...(tls ? { ssl: { endpoint: `ssl:127.0.0.1:${sslPort}`, port: sslPort, client: tls.client } } : {}),
    pid: () => child?.pid,
    stop: () => waitExit('SIGTERM'),
    kill9: () => waitExit('SIGKILL'),
    start,
    restart: async () => {
      await waitExit('SIGTERM');
      await start();
    },
    nbctl: async (a) =>
      (await run('ovn-nbctl', [`--db=unix:${socketPath}`, '--no-leader-only', ...a])).stdout,
    dispose: async () => {
      await waitExit('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    logTail: async () => (await readFile(logPath, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n'),
  };
  return handle;
}

async function answers(endpoint: string, tls?: TlsOptions): Promise<boolean> {
  const client = new OvsdbClient({
    endpoint,
    connectTimeoutMs: 500,
    probeIntervalMs: 0,
    ...(tls ? { tls } : {}),
  });
  try {
    await client.listDbs();
    return true;
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

/** ovn-nbctl and ovn-northd expect the single NB_Global row that `ovn-nbctl init` would create. */
async function ensureNbGlobal(endpoint: string): Promise<void> {
  const client = await OvsdbClient.connect({ endpoint, probeIntervalMs: 0 });
  try {
    const [sel] = await client.transact('OVN_Northbound', [op.select('NB_Global', [], ['_uuid'])]);
    if ((sel?.rows ?? []).length === 0) await client.transact('OVN_Northbound', [op.insert('NB_Global', {})]);
  } finally {
    await client.close();
  }
}
