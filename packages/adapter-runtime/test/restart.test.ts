// A crash loop: after a kill the adapter's command keeps failing, so the runtime keeps restarting it with backoff
// (each failed start logged, the state `restarting`, calls waiting); once the command works again it is back and the
// waiting call is served.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ProcessAdapter } from '../src/index';
import { connection, ctx, env, nic, startToy, waitFor } from './support';

let running: ProcessAdapter | undefined;
const dir = mkdtempSync(join(tmpdir(), 'np-restart-'));
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

it('keeps restarting a command that fails, and serves the waiting call once it starts again', async () => {
  const modeFile = join(dir, 'mode');
  writeFileSync(modeFile, 'ok 1.0.0');
  const { started, lines } = startToy(`@${modeFile}`, { restart: { baseMs: 50, maxMs: 400 } });
  running = await started;
  const el = running.module.createElement(connection(), env);
  await el.prepareNic(nic(1), ctx());
  writeFileSync(modeFile, 'exit-at-start 1.0.0');
  process.kill(running.pid() as number, 'SIGKILL');
  const failedStarts = () =>
    lines.filter((l) => /^adapter toy restart failed: exited with code 1/.test(l.msg ?? ''));
  await waitFor(() => failedStarts().length >= 3, 'three failed restarts');
  expect(running.info()).toMatchObject({ state: 'restarting', pid: null, restarts: 1 });
  // A call made now waits for a process instead of failing.
  const waiting = el.prepareNic(nic(2), ctx(AbortSignal.timeout(60_000)));
  writeFileSync(modeFile, 'ok 1.0.0');
  expect((await waiting).nicId).toBe('nic-2');
  expect(running.info()).toMatchObject({ state: 'running', restarts: 1 });
});
