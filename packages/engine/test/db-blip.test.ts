// A database blip under a running job: the engine's only database connection goes through a TCP proxy that the test
// cuts (longer than the lease) and restores. Nothing may escape as an unhandled rejection (vitest fails the run on
// one); the job resumes from its recorded steps and every NIC is created exactly once on the controller.
import { randomUUID } from 'node:crypto';
import { connect, type DbHandle, jobsRepo } from '@netplane/db';
import { type CutMode, startTcpProxy, type TcpProxy, testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/index';
import { FAST, makeWorld, vpcWithTier, type World } from './world';

const NICS = 60;
const LEASE_MS = 3_000;

describe.skipIf(!testDialects().includes('mysql')).each<CutMode>(['reset', 'hold'])(
  'a database blip (%s) under a running job on MariaDB',
  (mode) => {
    let w: World;
    let proxy: TcpProxy;
    let through: DbHandle;
    let engine: Engine;

    beforeAll(async () => {
      w = await makeWorld('mysql', { controllers: [{ maxConcurrent: 2, callsPerSecond: 500 }] });
      const target = new URL(w.db.url);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
      through = connect(proxy.urlThrough(w.db.url));
      // This node reaches the database only through the proxy; the test reads the truth over the direct connection.
      // The lease is 3 s, not 1 s: on a machine at load ~30 a 1 s lease was lost again and again after the restore
      // (16 take-overs in 80 s, 25 of 60 NICs done when the wait gave up), which tests the machine, not the engine.
      engine = new Engine(
        { ...w.deps, db: through },
        { ...FAST, leaseMs: LEASE_MS, heartbeatMs: 250, nodeId: `blip-${randomUUID().slice(0, 4)}` },
      );
    });

    afterAll(async () => {
      proxy?.restore();
      await engine?.stop();
      await through?.close();
      await proxy?.close();
      await w?.cleanup();
    });

    it('resumes the job after the cut and creates every NIC exactly once', async () => {
      await engine.start();
      const { tier } = await vpcWithTier(w, engine, '10.70.0.0/16', '10.70.0.0/24');
      const impl = await engine.implementTier(tier.id, 't');
      const readJob = (id: string) => jobsRepo.getJob(w.db.db, id);
      const until = async (id: string, done: (j: jobsRepo.JobRow) => boolean, timeoutMs: number) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const j = await readJob(id);
          if (j && done(j)) return j;
          if (Date.now() > deadline) throw new Error(`job ${id}: ${JSON.stringify(j)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      expect((await until(impl.jobId, (j) => j.finishedAt !== null, 30_000)).state).toBe('succeeded');
      const c = w.controllerIds[0] as string;
      await w.hub.setProfile(c, { latencyMs: 30 });
      const { jobId, nics } = await engine.prepareNics(
        tier.id,
        Array.from({ length: NICS }, (_, i) => ({ vmName: `b${i}` })),
        't',
        { batchSize: 1 },
      );
      await until(jobId, (j) => j.progressDone >= 10, 30_000);
      proxy.cut(mode);
      // Longer than the lease: the job's lease expires while the node cannot renew it.
      await new Promise((r) => setTimeout(r, LEASE_MS + 2_000));
      proxy.restore();

      // A generous deadline: it only decides when a failing run gives up.
      const job = await until(jobId, (j) => j.finishedAt !== null, 150_000);
      expect(job.state, JSON.stringify(job)).toBe('succeeded');
      expect(job.progressDone).toBe(NICS);
      const stats = w.hub.stats(c);
      for (const n of nics) expect(stats.portCreations[n.id], `NIC ${n.id} created once`).toBe(1);
      expect((await engine.listNics(tier.id)).filter((n) => n.state !== 'Reserved')).toEqual([]);
      expect(w.logs.filter((l) => l.msg?.includes('Job loop failed'))).toEqual([]);
      await w.hub.setProfile(c, { latencyMs: 0 });
    }, 240_000);
  },
);
