// `netplane adapters list`: each adapter's status, version, the adapter-sdk range it declares, its source and how it
// runs, and for one that cannot load the same line the server logs. With NETPLANE_TOKEN set it asks the running server
// (its runtime: pid, uptime, restarts, last exit); otherwise, or when the server cannot be reached, it loads what
// `start` would load, without a database, and shows the runtime as configured. Exit 1 when any is Unable to load, so
// an install script can check its result.
import type { AdapterRegistration } from '@netplane/api';
import { stopProcessAdapters } from './adapter-process';
import { installedAdapters, loadAdapters } from './adapters';
import { RemoteError, type RemoteOptions, restCall } from './adapters-remote';
import type { Env } from './env';
import { createLogger } from './logger';
import { formatRuntime, type RuntimeView } from './runtime-format';

type Row = {
  id: string;
  version: string | null;
  status: string;
  sdkRange: string | null;
  source: string;
  reason: string | null;
  runtime: RuntimeView | null;
};

const versionOf = (r: AdapterRegistration) =>
  r.status === 'Fully Loaded' ? r.module.manifest.version : (r.version ?? '');

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
}

async function localRows(env: Env): Promise<Row[]> {
  // The loader's log lines would interleave with the table: the table carries the same facts.
  const regs = await loadAdapters(
    createLogger({ level: 'silent', nodeId: env.nodeId }),
    undefined,
    undefined,
    installedAdapters(env),
    undefined,
    env.adapterRuntime,
  );
  // Process adapters were started for their handshake only: the server's own processes are elsewhere.
  await stopProcessAdapters();
  return regs.map((r) => ({
    id: r.id,
    version: versionOf(r) || null,
    status: r.status,
    sdkRange: r.sdkRange ?? null,
    source: r.source ?? 'built-in',
    reason: r.status === 'Fully Loaded' ? null : r.reason,
    runtime:
      r.status !== 'Fully Loaded'
        ? null
        : r.runtime
          ? { kind: 'configured-process' }
          : { kind: 'in-process' },
  }));
}

export async function adaptersList(env: Env, json: boolean, remote?: RemoteOptions): Promise<number> {
  let rows: Row[] | undefined;
  let from = 'as configured (no server asked: set NETPLANE_TOKEN to see the running server’s)';
  if (remote?.token) {
    try {
      rows = await restCall<Row[]>(remote, 'GET', '/adapters', 15_000);
      from = `from the server at ${remote.url}`;
    } catch (e) {
      if (!(e instanceof RemoteError)) throw e;
      from = `as configured (the server did not answer: ${e.message})`;
    }
  }
  rows ??= await localRows(env);
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else {
    const lines = table([
      ['ID', 'VERSION', 'STATUS', 'SDK', 'RUNTIME', 'SOURCE'],
      ...rows.map((r) => [
        r.id,
        r.version ?? '-',
        r.status,
        r.sdkRange ?? '-',
        r.runtime ? formatRuntime(r.runtime) : '-',
        r.source,
      ]),
    ]);
    for (const r of rows) {
      if (r.reason)
        lines.push(`Unable to load adapter ${r.id}${r.version ? ` ${r.version}` : ''}: ${r.reason}`);
      if (r.runtime?.kind === 'process' && r.runtime.lastExit)
        lines.push(`Last exit of adapter ${r.id} (${r.runtime.lastExit.at}): ${r.runtime.lastExit.reason}`);
    }
    lines.push(`Runtime ${from}`);
    lines.push(
      `Adapters directory: ${env.adapters.dir}${env.adapters.entries ? ' (NETPLANE_ADAPTERS set)' : ''}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return rows.some((r) => r.status !== 'Fully Loaded') ? 1 : 0;
}
