// `netplane adapters list`: what `start` would load, without a database: each adapter's status, version, the
// adapter-sdk range it declares and its source, and for one that cannot load the same line the server logs.
// Exit 1 when any is Unable to load, so an install script can check its result.
import type { AdapterRegistration } from '@netplane/api';
import { stopProcessAdapters } from './adapter-process';
import { installedAdapters, loadAdapters } from './adapters';
import type { Env } from './env';
import { createLogger } from './logger';

const versionOf = (r: AdapterRegistration) =>
  r.status === 'Fully Loaded' ? r.module.manifest.version : (r.version ?? '');

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
}

export async function adaptersList(env: Env, json: boolean): Promise<number> {
  // The loader's log lines would interleave with the table: the table carries the same facts.
  const regs = await loadAdapters(
    createLogger({ level: 'silent', nodeId: env.nodeId }),
    undefined,
    undefined,
    installedAdapters(env),
    undefined,
    env.adapterRuntime,
  );
  await stopProcessAdapters();
  const rows = regs.map((r) => ({
    id: r.id,
    version: versionOf(r) || null,
    status: r.status,
    sdkRange: r.sdkRange ?? null,
    source: r.source ?? 'built-in',
    reason: r.status === 'Fully Loaded' ? null : r.reason,
  }));
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else {
    const lines = table([
      ['ID', 'VERSION', 'STATUS', 'SDK', 'SOURCE'],
      ...rows.map((r) => [r.id, r.version ?? '-', r.status, r.sdkRange ?? '-', r.source]),
    ]);
    for (const r of rows)
      if (r.reason)
        lines.push(`Unable to load adapter ${r.id}${r.version ? ` ${r.version}` : ''}: ${r.reason}`);
    lines.push(
      `Adapters directory: ${env.adapters.dir}${env.adapters.entries ? ' (NETPLANE_ADAPTERS set)' : ''}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return rows.some((r) => r.status !== 'Fully Loaded') ? 1 : 0;
}
