// Issue 5 point 5: with the DEFAULT lease settings (no NETPLANE_JOB_* variables), the lease holder of a NIC job is
// killed with SIGKILL while calls are in flight. The survivor takes the job over and finishes it; every call the
// controller received from the dead node is in the call log (recorded before it was sent), those the dead node
// never saw end are shown abandoned ('node died'), none stays in flight, and no NIC is lost or created twice.
// No timing is asserted: the take-over time is measured and printed (docs/operations.md quotes it).
import { hostname } from 'node:os';
import { createRemoteSimulatorControl } from '@netplane/adapter-simulator';
import { createTestDatabaseUrl, testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, implementedTier, pollUntil, readJob, startCluster } from './cluster-world';
import { dataOf, type RunningServer, TrpcClient } from './server-process';

const NICS = 120;
const SLOTS = 8;
const ADMIN_PASSWORD = 'cluster-admin-password';

describe.skipIf(!testDialects().includes('mysql'))('take-over with default leases on MariaDB', () => {
  let database: { url: string; drop(): Promise<void> };
  let cluster: Cluster;

  beforeAll(async () => {
    database = await createTestDatabaseUrl('mysql');
    cluster = await startCluster({
      databaseUrl: database.url,
      nodes: ['node-a', 'node-b'],
      adminPassword: ADMIN_PASSWORD,
      // One call per NIC; the lease and heartbeat are left at their defaults on purpose.
      env: { NETPLANE_PREPARE_BATCH_SIZE: '1' },
      maxConcurrent: SLOTS,
      timeoutMs: 5_000,
      // Slow calls: at the kill, every slot of the holder has a call on its way.
      latencyMs: 250,
    });
  });

  afterAll(async () => {
    await cluster?.stop();
    await database?.drop();
  });

  it('finishes the job on the survivor, with the dead node’s calls in flight shown abandoned and no NIC lost or made twice', async () => {
    const { db, seed, servers, sim } = cluster;
    const api = new TrpcClient((servers.get('node-a') as RunningServer).url);
    const { tierId } = await implementedTier(api, cluster, {
      adminPassword: ADMIN_PASSWORD,
      vpcName: 'takeover-vpc',
      tierName: 'web',
      net: 11,
      timeoutMs: 60_000,
    });
    const jobState = (id: string) => readJob(db.db, id);

    const { jobId } = dataOf<{ jobId: string }>(
      await api.mutate('nics.prepareBulk', {
        tierId: tierId,
        nics: Array.from({ length: NICS }, (_, i) => ({ vmName: `t-${i}` })),
      }),
    );
    const running = await pollUntil(
      () => jobState(jobId),
      (j) => j.lease_owner !== null && Number(j.progress_done) >= NICS / 5,
      60_000,
      20,
    );
    // From here every call the controller receives stays there for 3 s (under the controller's 5 s timeout), and the
    // kill waits until one is there: the kill must find calls on their way. With 250 ms calls a machine at load ~30
    // could starve the holder between two calls and kill it with none at the controller (seen once in CI).
    const control = createRemoteSimulatorControl(sim.url);
    await control.setProfile(seed.controllerId, { latencyMs: 3_000 });
    await pollUntil(
      () => control.getState(seed.controllerId),
      (s) => (s?.stats.inFlight ?? 0) > 0,
      60_000,
      20,
    );
    const deadId = running.lease_owner as string;
    const survivorId = deadId === 'node-a' ? 'node-b' : 'node-a';
    const dead = servers.get(deadId) as RunningServer;
    const deadCaller = `${hostname()}/${dead.proc.pid}`;
    const tokenBefore = Number(running.fencing_token);
    const inFlightAtKill = await db.db
      .selectFrom('element_calls')
      .select('id')
      .where('job_id', '=', jobId)
      .where('outcome', '=', 'inFlight')
      .execute();
    const killedAt = Date.now();
    dead.proc.kill('SIGKILL');
    await dead.stop('SIGKILL');
    servers.delete(deadId);
    await control.setProfile(seed.controllerId, { latencyMs: 250 });

    const claimed = await pollUntil(
      () => jobState(jobId),
      (j) => Number(j.fencing_token) > tokenBefore || j.finished_at !== null,
      120_000,
      20,
    );
    const claimedAt = Date.now();
    const done = await pollUntil(
      () => jobState(jobId),
      (j) => j.finished_at !== null,
      180_000,
      100,
    );
    expect(done.state).toBe('succeeded');
    expect(claimed.lease_owner === survivorId || claimed.finished_at !== null).toBe(true);

    // No NIC lost, none created twice.
    const nics = await db.db
      .selectFrom('nics')
      .select(['id', 'state'])
      .where('network_id', '=', tierId)
      .execute();
    expect(nics).toHaveLength(NICS);
    expect(nics.filter((n) => n.state !== 'Reserved')).toEqual([]);
    const creations = (await control.getState(seed.controllerId))?.stats.portCreations ?? {};
    expect(nics.map((n) => creations[n.id])).toEqual(nics.map(() => 1));

    // The dead node's last calls end at the controller on their own time: the log is read once none is left there.
    await pollUntil(
      () => control.getState(seed.controllerId),
      (s) => s?.stats.inFlight === 0,
      60_000,
      50,
    );
    // No call forgotten: every prepare the controller received from the dead process has its row...
    const rows = await db.db
      .selectFrom('element_calls')
      .select(['id', 'target_id', 'outcome', 'error_message', 'node_id'])
      .where('job_id', '=', jobId)
      .execute();
    const deadRows = rows.filter((r) => r.node_id === deadId);
    const log = (await control.calls(seed.controllerId, 0)).filter(
      (c) => c.caller === deadCaller && c.op === 'prepareNic',
    );
    expect(log.length).toBeGreaterThan(0);
    const deadTargets = new Set(deadRows.map((r) => r.target_id));
    expect(log.flatMap((c) => c.nicIds).filter((id) => !deadTargets.has(id))).toEqual([]);
    // ...those whose end the dead node cannot have seen are abandoned, saying the node died; none stays in flight.
    const endedAfterKill = new Set(log.filter((c) => c.endedAt > killedAt).flatMap((c) => c.nicIds));
    const abandoned = deadRows.filter((r) => r.outcome === 'abandoned');
    expect(endedAfterKill.size).toBeGreaterThan(0);
    for (const r of deadRows.filter((x) => endedAfterKill.has(x.target_id)))
      expect(r.outcome).toBe('abandoned');
    for (const r of abandoned) expect(r.error_message).toContain(`Node ${deadId} died`);
    expect(rows.filter((r) => r.outcome === 'inFlight')).toEqual([]);
    expect(rows.filter((r) => r.node_id === survivorId).every((r) => r.outcome === 'ok')).toBe(true);

    console.info(
      JSON.stringify({
        takeover: true,
        leaseMs: 'default',
        killedAfterNics: Number(running.progress_done),
        inFlightRowsAtKill: inFlightAtKill.length,
        abandonedRows: abandoned.length,
        claimSeenMs: claimedAt - killedAt,
        finishedMsAfterKill: Number(done.finished_at) - killedAt,
      }),
    );
  }, 300_000);
});
