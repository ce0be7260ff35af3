// One keyset page of the job list (the console's jobs table and a VPC's jobs), every filter in the query.
import type { Db } from '../connect';
import type { JobsTable } from '../schema-engine';
import type { JobState } from './jobs';
import { type JobRow, toJob } from './jobs';
import { keysetPage, LOG_COUNT_CAP, type Page, type PageRequest, type SortSpec } from './keyset';

export const JOB_SORTS = ['createdAt', 'updatedAt', 'kind', 'state'] as const;
export type JobSort = (typeof JOB_SORTS)[number];

const JOB_SORT: SortSpec<JobSort> = {
  columns: {
    createdAt: { column: 'created_at', type: 'number' },
    updatedAt: { column: 'updated_at', type: 'number' },
    kind: { column: 'kind', type: 'string' },
    state: { column: 'state', type: 'string' },
  },
  id: { column: 'id', type: 'string' },
  defaultSort: 'createdAt',
  defaultDir: 'desc',
};

export type JobPageRequest = PageRequest<JobSort> & {
  state?: JobState;
  targetId?: string;
  vpcId?: string;
  kind?: string;
  stuck?: boolean;
};

export function pageJobs(db: Db, f: JobPageRequest): Promise<Page<JobRow>> {
  let q = db.selectFrom('jobs');
  if (f.state !== undefined) q = q.where('state', '=', f.state);
  if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
  if (f.vpcId !== undefined) q = q.where('vpc_id', '=', f.vpcId);
  if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
  if (f.stuck !== undefined) q = q.where('stuck', '=', f.stuck ? 1 : 0);
  return keysetPage(
    q,
    JOB_SORT,
    f,
    (s) => s.selectAll(),
    (r) => toJob(r as unknown as JobsTable),
    { countCap: { db, cap: LOG_COUNT_CAP } },
  );
}
