// The real server as `npm start` runs it (node apps/server/dist/main.js start), in its own process on a free
// loopback port, on a fresh database (SQLite file, or a uniquely named MariaDB database dropped after), and a
// sampler of that process's memory from /proc/<pid>/status (VmRSS now, VmHWM the peak).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DialectName } from '@netplane/db';
import { createTestDatabaseUrl } from '@netplane/db/testing';

const SERVER = resolve(import.meta.dirname, '../../../apps/server');
const MAIN = join(SERVER, 'dist', 'main.js');

export type ServerProcess = {
  url: string;
  /** The server's database, for `--bulk-seed` to write into. */
  databaseUrl: string;
  pid: number;
  password: string;
  proc: ChildProcess;
  /** The last lines the server printed (for an error message). */
  tail(): string;
  stop(): Promise<void>;
};

export type Memory = { rssMiB: number; hwmMiB: number };

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

export async function startServer(
  dialect: DialectName,
  // main: another bundle to run (one built from an older commit, for before/after figures); kept in apps/server/dist
  // so that it finds the server's node_modules.
  o: { nodeArgs?: string[]; env?: Record<string, string>; main?: string } = {},
): Promise<ServerProcess> {
  // The bench runs the bundle the server ships; build it when absent (turbo's cached build does the same).
  const main = o.main ? resolve(o.main) : MAIN;
  if (!o.main && !existsSync(MAIN)) {
    const r = spawnSync(process.execPath, ['build.mjs'], { cwd: SERVER, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`apps/server build failed:\n${r.stderr}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'netplane-bench-api-'));
  const db =
    dialect === 'sqlite'
      ? { url: `sqlite:${join(dir, 'netplane.db')}`, drop: async () => {} }
      : await createTestDatabaseUrl(dialect);
  const password = randomBytes(12).toString('base64url');
  const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), main, 'start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      NETPLANE_DATA_DIR: join(dir, 'data'),
      NETPLANE_ADMIN_PASSWORD: password,
      NETPLANE_WEB_DIST: join(dir, 'no-web'),
      LOG_LEVEL: 'info',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + String(d)).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000);
    proc.stdout?.on('data', () => {
      const m = out.match(/"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"Netplane listening"/);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    void exited.then(() => reject(new Error(`server exited:\n${out}`)));
  });
  return {
    url,
    databaseUrl: db.url,
    pid: proc.pid as number,
    password,
    proc,
    tail: () => out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      process.off('exit', killOnExit);
      await db.drop();
      // Heap snapshots (--heap-snapshot) outlive the run's directory.
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.heapsnapshot'))) {
        renameSync(join(dir, f), join(tmpdir(), f));
        process.stderr.write(`  heap snapshot kept: ${join(tmpdir(), f)}\n`);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU time (user + system) the process has used, in ms: /proc/<pid>/stat utime + stime, in clock ticks of 10 ms. */
export function cpuMsOf(pid: number): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Samples the process's RSS every `everyMs`; `peak` is the kernel's own high-water mark (VmHWM). */
export function sampleMemory(pid: number, everyMs = 250) {
  const samples: { at: number; rssMiB: number }[] = [];
  const t0 = Date.now();
  const timer = setInterval(() => {
    try {
      samples.push({ at: Date.now() - t0, rssMiB: memoryOf(pid).rssMiB });
    } catch {
      clearInterval(timer); // the process ended
    }
  }, everyMs);
  timer.unref();
  return {
    samples,
    stop: () => clearInterval(timer),
  };
}

/** The server's own view of its memory (prom-client's default metrics on /metrics): V8 heap used/total, external. */
export async function heapOf(
  url: string,
): Promise<{ heapUsedMiB: number; heapTotalMiB: number; externalMiB: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const mib = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)`, 'm'))?.[1] ?? 0) / 2 ** 20;
  return {
    heapUsedMiB: Math.round(mib('nodejs_heap_size_used_bytes')),
    heapTotalMiB: Math.round(mib('nodejs_heap_size_total_bytes')),
    externalMiB: Math.round(mib('nodejs_external_memory_bytes')),
  };
}
