// Words for how an adapter runs (adapters.list's runtime) and for a reload's answer, kept out of the components so
// they are tested as plain functions and say the same thing as the CLI (`Reloaded acme 1.2.0 → 1.3.0`).
import type { Outputs } from '../lib/api-types';

export type AdapterRow = Outputs['adapters']['list'][number];
export type Runtime = NonNullable<AdapterRow['runtime']>;
export type ProcessRuntime = Extract<Runtime, { kind: 'process' }>;
export type ReloadAnswer = Outputs['adapters']['reload'];

/** "2d 3h", "1h 4m", "5m 2s", "12s". */
export function formatUptime(seconds: number | null): string {
  if (seconds === null) return '—';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** Binary units as `ps`/`top` mean them: "48.0 MiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'unknown';
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

const STATE_WORDS: Record<ProcessRuntime['state'], string> = {
  starting: 'Starting',
  running: 'Running',
  restarting: 'Restarting after a crash',
  stopped: 'Stopped',
};

export const processStateText = (r: ProcessRuntime) => STATE_WORDS[r.state];

/** "exit code 1", "signal SIGKILL", with the runtime's own reason line after it. */
export function lastExitText(exit: ProcessRuntime['lastExit']): string {
  if (!exit) return 'none since the server started';
  const how =
    exit.code !== null ? `exit code ${exit.code}` : exit.signal ? `signal ${exit.signal}` : 'no exit status';
  return `${how}: ${exit.reason}`;
}

/** True when the last exit was a crash (not a clean exit 0 after a stop or a reload). */
export const exitWasCrash = (exit: ProcessRuntime['lastExit']) => exit !== null && exit.code !== 0;

/** The one line of a reload's answer, as the CLI prints it. */
export function reloadMessage(r: ReloadAnswer): string {
  if (r.ok) return `Reloaded ${r.id} ${r.previousVersion} → ${r.version}`;
  return `Reload of ${r.id} refused: ${r.reason}; ${r.version ? `${r.version} keeps running` : 'the old version keeps running'}`;
}

/** Whether this adapter offers a Reload (only out-of-process adapters can start a new version without a restart). */
export const canReload = (a: AdapterRow) => a.status === 'Fully Loaded' && a.runtime?.kind === 'process';
