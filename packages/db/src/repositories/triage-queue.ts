// The support triage queue as one SQL query: every VPC with an open diagnosis or stuck work (a job past its
// deadline or flagged stuck, a VPC, tier or NIC left in a transitional state), with when its trouble began, keyset
// paged oldest first. The counts come from the same union, so the total is the queue's length.
import { sql } from 'kysely';
import type { Db } from '../connect';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

export type QueueRow = { vpcId: string; since: number; openDiagnoses: number; stuckItems: number };

export type QueueRequest = PageRequest<'since'> & {
  now: number;
  /** How long an entity may sit in a transitional state before it counts as stuck. */
  entityThresholdMs: number;
  transitional: { vpcs: readonly string[]; networks: readonly string[]; nics: readonly string[] };
};

const QUEUE_SORT: SortSpec<'since'> = {
  columns: { since: { column: 'q.since', type: 'number' } },
  id: { column: 'q.vpc_id', type: 'string' },
  defaultSort: 'since',
  defaultDir: 'asc',
};

const inList = (states: readonly string[]) =>
  states.length === 0 ? sql`(null)` : sql`(${sql.join(states.map((s) => sql`${s}`))})`;

export function pageQueue(db: Db, r: QueueRequest): Promise<Page<QueueRow>> {
  const cutoff = r.now - r.entityThresholdMs;
  const union = sql`(
    select vpc_id, min(since) as since, sum(diag) as open_n, sum(stuck) as stuck_n from (
      select vpc_id, created_at as since, 1 as diag, 0 as stuck from diagnoses
        where resolved_at is null and vpc_id is not null
      union all
      select vpc_id, coalesce(started_at, created_at) as since, 0 as diag, 1 as stuck from jobs
        where finished_at is null and vpc_id is not null and (deadline_at < ${r.now} or stuck = 1)
      union all
      select id as vpc_id, updated_at as since, 0 as diag, 1 as stuck from vpcs
        where state in ${inList(r.transitional.vpcs)} and updated_at < ${cutoff}
      union all
      select vpc_id, updated_at as since, 0 as diag, 1 as stuck from networks
        where state in ${inList(r.transitional.networks)} and updated_at < ${cutoff}
      union all
      select vpc_id, updated_at as since, 0 as diag, 1 as stuck from nics
        where state in ${inList(r.transitional.nics)} and updated_at < ${cutoff}
    ) as t group by vpc_id
  )`;
  // biome-ignore lint/suspicious/noExplicitAny: a derived table has no schema type; rows are mapped below.
  const q = (db as any).selectFrom(union.as('q'));
  return keysetPage(
    q,
    QUEUE_SORT,
    r,
    (s) => s.selectAll('q'),
    (row) => ({
      vpcId: String(row.vpc_id),
      since: Number(row.since),
      openDiagnoses: Number(row.open_n),
      stuckItems: Number(row.stuck_n),
    }),
  );
}
