// Engine.retry by target re-runs the job of the target's NEWEST move into Error, however long its history: it once
// read the oldest 1000 transitions and re-ran a job long superseded.
import { randomUUID } from 'node:crypto';
import { jobsRepo, transitionsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index';
import { makeWorld, type World } from './world';

describe.each(testDialects())('retry by target on %s', (dialect) => {
  let w: World;
  let engine: Engine;
  beforeAll(async () => {
    w = await makeWorld(dialect);
    // Not started: the retry's new job is only queued, which is all this test looks at.
    engine = w.engine();
  });
  afterAll(async () => {
    await w.cleanup();
  });

  const failedJob = async (targetId: string, at: number) => {
    const id = randomUUID();
    await jobsRepo.insertJob(w.db.db, {
      id,
      kind: 'network.implement',
      targetType: 'network',
      targetId,
      vpcId: null,
      payload: JSON.stringify({ attempt: at }),
      progressTotal: 0,
      deadlineAt: at + 600_000,
      createdBy: 't',
      now: at,
    });
    await w.db.db
      .updateTable('jobs')
      .set({ state: 'failed', finished_at: at })
      .where('id', '=', id)
      .execute();
    return id;
  };

  it('re-runs the job of the newest Error transition of a target with more than 1000 transitions', async () => {
    const target = randomUUID();
    const t0 = Date.now() - 1_000_000;
    const oldJob = await failedJob(target, t0);
    const newJob = await failedJob(target, t0 + 5_000);
    const move = (from: string, to: string, at: number, jobId: string | null) =>
      transitionsRepo.insertTransition(w.db.db, {
        entityType: 'network',
        entityId: target,
        from,
        to,
        at,
        actor: 't',
        reason: '',
        jobId,
      });
    await move('Implementing', 'Error', t0, oldJob);
    // 1200 later transitions (a tier retried and repaired many times), then the newest failure.
    for (let i = 0; i < 600; i++) {
      await move('Error', 'Implementing', t0 + 1 + 2 * i, null);
      await move('Implementing', 'Error', t0 + 2 + 2 * i, null);
    }
    await move('Implementing', 'Error', t0 + 5_000, newJob);

    const { jobId } = await engine.retry({ targetId: target }, 't');
    const retried = await jobsRepo.getJob(w.db.db, jobId);
    expect(JSON.parse(retried?.payload ?? '{}')).toMatchObject({ retryOf: newJob });
  }, 120_000);
});
