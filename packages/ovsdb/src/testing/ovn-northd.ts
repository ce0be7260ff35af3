// Test harness: OVN's own compiler next to a Northbound test server. A Southbound ovsdb-server on a fresh database and
// `ovn-northd` between the two (unix sockets, own temp dir, no systemd), so tests can see the logical flows northd
// makes of our rows and send packets through them with ovn-trace (./ovn-trace.ts). Opt-in: only tests that trace
// pay for the two extra processes.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type OvsdbServerHandle, startOvsdbServer } from './ovsdb-server';

const run = promisify(execFile);
export const OVN_SB_SCHEMA = '/usr/share/ovn/ovn-sb.ovsschema';

export type NorthdHandle = {
  /** The Southbound database northd writes (ovn-trace reads it). */
  sb: OvsdbServerHandle;
  /**
   * Waits until northd has compiled every Northbound change made so far into the Southbound database:
   * `ovn-nbctl --wait=sb sync` bumps NB_Global.nb_cfg and returns once northd has copied it to sb_cfg (event-driven,
   * with a generous deadline for a loaded machine).
   */
  sync(timeoutSeconds?: number): Promise<void>;
  /** Runs ovn-sbctl against the Southbound server; returns stdout. */
  sbctl(args: string[]): Promise<string>;
  pid(): number | undefined;
  /** Stops ovn-northd only (SIGTERM, waits for the exit): the Southbound server and its contents stay. */
  stop(): Promise<void>;
  /** Starts ovn-northd again on the same two databases; resolves once it has compiled (a sync). */
  start(): Promise<void>;
  logTail(): Promise<string>;
  /** Stops northd and the Southbound server and removes its directory (the Northbound server is the caller's). */
  dispose(): Promise<void>;
};

export function isNorthdAvailable(): Promise<boolean> {
  return run('ovn-northd', ['--version']).then(
    () => true,
    () => false,
  );
}

/**
 * Starts a Southbound server and ovn-northd reading `nb` (a server started with the Northbound schema); `ssl` also
 * makes the Southbound server listen with TLS (sb.ssl), for clients that read it over ssl:.
 */
export async function startNorthd(
  nb: OvsdbServerHandle,
  options: { ssl?: boolean } = {},
): Promise<NorthdHandle> {
  if (nb.dbName !== 'OVN_Northbound')
    throw new Error(`startNorthd needs a Northbound server, not ${nb.dbName}`);
  const sb = await startOvsdbServer({ schemaPath: OVN_SB_SCHEMA, ...(options.ssl ? { ssl: true } : {}) });
  const logPath = path.join(sb.dir, 'ovn-northd.log');
  const args = [
    `--ovnnb-db=${nb.unixEndpoint}`,
    `--ovnsb-db=${sb.unixEndpoint}`,
    `--unixctl=${path.join(sb.dir, 'ovn-northd.ctl')}`,
    `--pidfile=${path.join(sb.dir, 'ovn-northd.pid')}`,
    `--log-file=${logPath}`,
    '-vconsole:off',
  ];
  let child: ChildProcess | undefined;
  let stderr = '';
  const spawnNorthd = () => {
    stderr = '';
    child = spawn('ovn-northd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
  };
  spawnNorthd();
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    await exited;
  };
  const sync = async (timeoutSeconds = 60) => {
    if (!child || child.exitCode !== null) throw new Error(`ovn-northd is not running: ${stderr}`);
    await nb.nbctl([`--timeout=${timeoutSeconds}`, '--wait=sb', 'sync']);
  };
  try {
    // The first sync also proves northd is connected to both databases and has made SB_Global.
    await sync();
  } catch (e) {
    await stop();
    await sb.dispose();
    throw e;
  }
  return {
    sb,
    sync,
    sbctl: async (a) => (await run('ovn-sbctl', [`--db=${sb.unixEndpoint}`, ...a])).stdout,
    pid: () => child?.pid,
    stop,
    start: async () => {
      if (child && child.exitCode === null && child.signalCode === null) return;
      spawnNorthd();
      await sync();
    },
    logTail: async () => (await readFile(logPath, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n'),
    dispose: async () => {
      await stop();
      await sb.dispose();
    },
  };
}
