// A reload while a 500-NIC prepare runs (issue 13 point 6): the simulator adapter out of process drives a standalone
// simulated controller over HTTP (the controller, like a real one, outlives the adapter process), one call per NIC
// (NETPLANE_PREPARE_BATCH_SIZE=1); the admin reloads the adapter while the jobs run; every NIC ends Reserved and both
// jobs succeed: in-flight calls finished on the old process, new ones went to the new one.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { apiAs } from '../fixtures/api';
import { createInventory } from '../fixtures/inventory';
import { createVpc, implementTier, waitForJob } from '../fixtures/lifecycle';
import { ADMIN, REPO_ROOT, startServer } from '../fixtures/server';
import { expect, test } from '../fixtures/test';

type Job = { id: string; state: string };

/** The standalone simulator (`simulator-server.ts --port 0`): resolves with its URL once it printed it. */
async function startStandaloneSimulator(): Promise<{ url: string; proc: ChildProcess }> {
  const script = join(REPO_ROOT, 'packages/adapter-simulator/src/bin/simulator-server.ts');
  const proc = spawn(process.execPath, ['--import', 'tsx', script, '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (d) => {
      out += String(d);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
  return { url, proc };
}

test('a reload during a 500-NIC prepare: no NIC fails, the new process serves afterwards', async () => {
  const sim = await startStandaloneSimulator();
  const server = await startServer({
    adminPassword: ADMIN.password,
    env: { NETPLANE_ADAPTER_RUNTIME: 'simulator=process', NETPLANE_PREPARE_BATCH_SIZE: '1' },
  });
  const api = await apiAs(server.baseURL, ADMIN.username, ADMIN.password);
  try {
    const inv = await createInventory(api, { timeoutMs: 30_000 });
    await api.mutate('controllers.update', { id: inv.controllerId, endpoint: sim.url });
    const { tiers } = await createVpc(api, inv, 2);
    for (const t of tiers) expect(await implementTier(api, t.id, 60_000)).toBe('succeeded');
    const pidOf = async () =>
      (await api.query<{ id: string; runtime: { pid: number | null } }[]>('adapters.list')).find(
        (a) => a.id === 'simulator',
      )?.runtime.pid;
    const before = await pidOf();

    const jobs = await Promise.all(
      tiers.map(async (t, i) => {
        const nics = Array.from({ length: 250 }, (_, n) => ({ vmName: `load-${i}-${n}` }));
        return (await api.mutate<{ jobId: string }>('nics.prepareBulk', { tierId: t.id, nics })).jobId;
      }),
    );
    // Reload once the prepare has started (a condition, polled), while its calls are being made.
    await expect
      .poll(async () => (await api.query<Job>('jobs.get', { id: jobs[0] ?? '' })).state, { timeout: 60_000 })
      .toBe('running');
    const reload = await api.mutate<{ ok: boolean; version?: string; reason?: string }>('adapters.reload', {
      id: 'simulator',
    });
    expect(reload, JSON.stringify(reload)).toMatchObject({ ok: true });
    const stillRunning = (await api.query<Job>('jobs.get', { id: jobs[1] ?? '' })).state === 'running';
    test.info().annotations.push({ type: 'reload overlapped the job', description: String(stillRunning) });

    for (const id of jobs) expect(await waitForJob(api, id, 120_000)).toBe('succeeded');
    for (const t of tiers) {
      const page = await api.query<{ total: number }>('nics.list', {
        tierId: t.id,
        state: 'Reserved',
        limit: 1,
      });
      expect(page.total).toBe(250);
    }
    expect(await pidOf()).not.toBe(before);
  } finally {
    await api.http.dispose();
    await server.stop();
    sim.proc.kill('SIGTERM');
  }
});
