// Running a diagnosis action the way an operator does (as sue) and waiting for the job it starts to succeed: the
// last step of most diagnosis tests.
import type { Db } from '@netplane/db';
import { expect } from 'vitest';
import { type Engine, runDiagnosisAction } from '../src/index';
import { waitForJob } from './world';

type Action = Parameters<typeof runDiagnosisAction>[2]['action'];

/** Runs `action` on diagnosis `diagnosisId` as sue and expects the job it starts to succeed. */
export async function actionSucceeds(
  engine: Engine,
  db: Db,
  diagnosisId: string,
  action: Action,
): Promise<void> {
  const { jobId } = await runDiagnosisAction(engine, db, { diagnosisId, action, actor: 'sue' });
  expect((await waitForJob(engine, jobId)).state).toBe('succeeded');
}
