// One short text for how an adapter runs, for the CLI's RUNTIME column ("process pid 4242 running, up 2m 5s,
// 2 restarts, 50.0 MiB"); the console formats the same fields its own way.

export type RuntimeView =
  | { kind: 'in-process' }
  /** The CLI could not ask the server: NETPLANE_ADAPTER_RUNTIME says it runs out of process. */
  | { kind: 'configured-process' }
  | {
      kind: 'process';
      state: string;
      pid: number | null;
      uptimeSeconds: number | null;
      restarts: number;
      lastExit: { at: string; code: number | null; signal: string | null; reason: string } | null;
      rssBytes: number | null;
    };

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function formatRuntime(r: RuntimeView): string {
  if (r.kind === 'in-process') return 'in-process';
  if (r.kind === 'configured-process') return 'process (configured)';
  const parts = [`process${r.pid !== null ? ` pid ${r.pid}` : ''} ${r.state}`];
  if (r.uptimeSeconds !== null) parts.push(`up ${formatDuration(r.uptimeSeconds)}`);
  parts.push(`${r.restarts} restart${r.restarts === 1 ? '' : 's'}`);
  if (r.rssBytes !== null) parts.push(formatBytes(r.rssBytes));
  return parts.join(', ');
}
