import { describe, expect, it } from 'vitest';
import {
  type AdapterRow,
  canReload,
  exitWasCrash,
  formatBytes,
  formatUptime,
  lastExitText,
  reloadMessage,
} from './adapters-runtime-model';

const exit = (code: number | null, signal: string | null, reason: string) => ({
  at: '2026-12-04T10:00:00.000Z',
  code,
  signal,
  reason,
});

describe('adapter runtime words', () => {
  it('formats uptime and memory like ps does', () => {
    expect(formatUptime(12)).toBe('12s');
    expect(formatUptime(125)).toBe('2m 5s');
    expect(formatUptime(3 * 3600 + 240)).toBe('3h 4m');
    expect(formatUptime(2 * 86_400 + 3 * 3600)).toBe('2d 3h');
    expect(formatUptime(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(52_428_800)).toBe('50.0 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatBytes(null)).toBe('unknown');
  });

  it('says how the last exit ended and whether it was a crash', () => {
    expect(lastExitText(null)).toBe('none since the server started');
    expect(lastExitText(exit(1, null, 'exited with code 1'))).toBe('exit code 1: exited with code 1');
    expect(lastExitText(exit(null, 'SIGKILL', 'was killed by SIGKILL'))).toBe(
      'signal SIGKILL: was killed by SIGKILL',
    );
    expect(exitWasCrash(exit(null, 'SIGKILL', 'x'))).toBe(true);
    expect(exitWasCrash(exit(0, null, 'stopped after a reload'))).toBe(false);
    expect(exitWasCrash(null)).toBe(false);
  });

  it('words a reload as the CLI does', () => {
    expect(reloadMessage({ ok: true, id: 'acme', previousVersion: '1.2.0', version: '1.3.0' })).toBe(
      'Reloaded acme 1.2.0 → 1.3.0',
    );
    expect(
      reloadMessage({ ok: false, id: 'acme', reason: 'built for adapter-sdk ^2.0', version: '1.2.0' }),
    ).toBe('Reload of acme refused: built for adapter-sdk ^2.0; 1.2.0 keeps running');
  });

  it('offers a reload only for a loaded out-of-process adapter', () => {
    const base = { id: 'a', reason: null, version: '1', source: 'built-in', sdkRange: null, manifest: null };
    const proc = {
      kind: 'process' as const,
      command: 'node x',
      state: 'running' as const,
      pid: 1,
      startedAt: null,
      uptimeSeconds: null,
      restarts: 0,
      lastExit: null,
      rssBytes: null,
      protocolVersion: 1,
    };
    expect(canReload({ ...base, status: 'Fully Loaded', runtime: proc } as AdapterRow)).toBe(true);
    expect(
      canReload({ ...base, status: 'Fully Loaded', runtime: { kind: 'in-process' } } as AdapterRow),
    ).toBe(false);
    expect(canReload({ ...base, status: 'Unable to load', runtime: null } as AdapterRow)).toBe(false);
  });
});
