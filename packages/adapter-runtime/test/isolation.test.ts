// Crash isolation against real child processes: kill -9 mid-call, garbage on stdout, a hanging call, a slow adapter
// and the host's event loop. Each failure stays inside the adapter process; the host restarts it and serves again.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AdapterError } from '@netplane/adapter-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessAdapter } from '../src/index';
import { connection, ctx, env, isAlive, nic, recordingLogger, startToy, waitFor } from './support';

let running: ProcessAdapter | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const pidOf = (a: ProcessAdapter) => {
  const info = a.info();
  return info.kind === 'process' ? info.pid : null;
};

describe('crash isolation', () => {
  it('kill -9 mid-prepareNics: those calls fail ADAPTER_CRASHED, the process restarts, a retry succeeds', async () => {
    const { started, lines } = startToy('ok', { restart: { baseMs: 100 } });
    running = await started;
    const elementLog = recordingLogger();
    const el = running.module.createElement(connection({ prepareDelayMs: 60_000 }), elementLog);
    const fast = running.module.createElement(connection(), env);
    const pid = pidOf(running) as number;
    const calls = [0, 1, 2].map((i) =>
      el.prepareNics([nic(i * 2), nic(i * 2 + 1)], ctx()).catch((e: unknown) => e),
    );
    // The three calls are in flight in the adapter (its `log` notifications say so) when it is killed.
    const started3 = () => elementLog.lines.filter((l) => l.msg === 'prepareNics started').length === 3;
    await waitFor(started3, 'three prepareNics running in the adapter');
    process.kill(pid, 'SIGKILL');
    const errors = await Promise.all(calls);
    for (const e of errors) {
      expect(e).toBeInstanceOf(AdapterError);
      expect((e as AdapterError).category).toBe('ADAPTER_CRASHED');
      expect((e as AdapterError).retryable).toBe(true);
      expect((e as AdapterError).message).toBe('adapter toy was killed by SIGKILL');
    }
    // A call made during the restart waits for the new process instead of failing.
    const retry = await fast.prepareNics([nic(0), nic(1)], ctx());
    expect(retry.every((r) => r.ok)).toBe(true);
    const info = running.info();
    if (info.kind !== 'process') throw new Error('not a process adapter');
    expect(info.restarts).toBe(1);
    expect(info.pid).not.toBe(pid);
    expect(info.lastExit).toMatchObject({ code: null, signal: 'SIGKILL', reason: 'was killed by SIGKILL' });
    expect(lines.some((l) => l.level === 'error' && l.msg === 'adapter toy was killed by SIGKILL')).toBe(
      true,
    );
    expect(lines.some((l) => l.msg === 'adapter toy restarted')).toBe(true);
  });

  it('garbage on stdout: disconnected with a clear log line, in-flight calls ADAPTER_CRASHED, then restarted', async () => {
    const { started, lines } = startToy('ok', { restart: { baseMs: 100 } });
    running = await started;
    const pid = pidOf(running) as number;
    const el = running.module.createElement(
      connection({ garbageOnPrepare: true, prepareDelayMs: 5_000 }),
      env,
    );
    const err = await el.prepareNics([nic(1)], ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).category).toBe('ADAPTER_CRASHED');
    expect((err as AdapterError).message).toBe(
      'adapter toy wrote a line that is not JSON-RPC: this is not json',
    );
    expect(
      lines.some(
        (l) =>
          l.level === 'error' && l.msg === 'adapter toy wrote a line that is not JSON-RPC: this is not json',
      ),
    ).toBe(true);
    await waitFor(() => !isAlive(pid), 'the garbage writer is killed');
    const ok = running.module.createElement(connection(), env);
    expect((await ok.prepareNic(nic(2), ctx())).nicId).toBe('nic-2');
  });

  it('elements are re-opened and watches re-subscribed on the restarted process', async () => {
    running = await startToy('ok', { restart: { baseMs: 100 } }).started;
    const el = running.module.createElement(connection(), env);
    let events = 0;
    el.watch?.(() => {
      events++;
    });
    await waitFor(() => events > 0, 'a first watch event');
    await el.prepareNic(nic(7), ctx());
    process.kill(pidOf(running) as number, 'SIGKILL');
    await waitFor(
      () => running?.info().kind === 'process' && (running.info() as { state: string }).state === 'running',
      'restarted',
    );
    const before = events;
    await waitFor(() => events > before + 2, 'watch events from the new process');
    // The element works on the new process (its state there is new: the toy keeps it in memory).
    expect((await el.prepareNic(nic(7), ctx())).adopted).toBe(false);
  });

  it('three missed health pings restart a process that stopped answering', async () => {
    const { started, lines } = startToy('ok', { healthIntervalMs: 200, restart: { baseMs: 100 } });
    running = await started;
    const pid = pidOf(running) as number;
    process.kill(pid, 'SIGSTOP');
    await waitFor(() => !isAlive(pid), 'the stopped process is killed', 30_000);
    await waitFor(() => pidOf(running as ProcessAdapter) !== null, 'a new process');
    const info = running.info();
    if (info.kind !== 'process') throw new Error('not a process adapter');
    expect(info.lastExit?.reason).toBe('missed 3 health pings');
    expect(lines.some((l) => l.msg === 'adapter toy missed 3 health pings')).toBe(true);
  });
});

describe('a slow or hanging adapter', () => {
  it('a hanging call is aborted by its signal; the event loop stays responsive while a call hangs 3 s', async () => {
    running = await startToy().started;
    const el = running.module.createElement(connection({ hang: true }), env);
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const err = await el.prepareNics([nic(1)], ctx(AbortSignal.timeout(3_000))).catch((e: unknown) => e);
    h.disable();
    expect((err as AdapterError).category).toBe('TIMEOUT');
    // Generous: a blocked loop would show the whole 3 s; scheduling noise on a busy machine stays far below 1 s.
    expect(h.max / 1e6).toBeLessThan(1_000);
  });

  it('the host enforces its call deadline even when the caller never aborts', async () => {
    running = await startToy('ok', { callTimeoutMs: 1_000 }).started;
    const el = running.module.createElement(connection({ hang: true }), env);
    const err = await el.prepareNic(nic(1), ctx(new AbortController().signal)).catch((e: unknown) => e);
    expect((err as AdapterError).category).toBe('TIMEOUT');
    expect((err as AdapterError).message).toBe('adapter toy did not answer prepareNic within 1 s');
  });
});
