// The one way an entity changes state: check the transition, compare-and-set the row (version), record who and why,
// optionally fenced by the job's lease; entering Error calls the diagnostics hook.
import { type DbHandle, inReadCommitted, jobsRepo, transitionsRepo } from '@netplane/db';
import {
  AppError,
  type ConditionUpdate,
  checkTransition,
  type EntityType,
  parseConditions,
  setConditions,
} from '@netplane/domain';
import { type EntityErrorEvent, onEntityError } from './diagnostics/hook';
import { FencedError } from './errors';
import { BatchConflict, TABLE, writeBatch } from './state-batch';
import type { EngineLogger } from './types';

export type Fence = jobsRepo.Fence;

export type TransitionInput = {
  entity: EntityType;
  id: string;
  to: string;
  actor: string;
  reason: string;
  jobId?: string | null;
  /** Refuse unless the entity is in one of these states (INVALID_STATE). */
  from?: readonly string[];
  conditions?: readonly ConditionUpdate[];
  fence?: Fence;
  /** The row as the caller last saw it: saves the read; a stale one just costs a compare-and-set retry. */
  known?: { state: string; version: number; conditions: string; vpcId: string | null };
  /** A job step recorded in the same fenced transaction (with its progress), e.g. "this NIC is done". */
  step?: { key: string; seq: number; result: string | null; progress: number };
  /** Facts for the diagnostics hook when `to` is Error. */
  error?: Pick<
    EntityErrorEvent,
    'code' | 'category' | 'message' | 'rootCallId' | 'traceId' | 'controllerId' | 'lost' | 'capacity'
  >;
};

export type TransitionResult = {
  from: string;
  to: string;
  version: number;
  changed: boolean;
  /** The stored conditions JSON after the change, to chain another transition without a read. */
  conditions: string;
};

type Row = { state: string; version: number; conditions: string; vpcId: string | null };

const readRow = (db: DbHandle['db'], entity: EntityType, id: string): Promise<Row | undefined> =>
  transitionsRepo.readStateRow(db, TABLE[entity], id);

export class StateStore {
  constructor(
    private readonly db: DbHandle,
    private readonly logger: EngineLogger,
    private readonly now: () => number,
  ) {}

  async transition(t: TransitionInput): Promise<TransitionResult> {
    const db = this.db.db;
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = attempt === 0 && t.known ? t.known : await readRow(db, t.entity, t.id);
      if (!row) throw new AppError('NOT_FOUND', `${t.entity} ${t.id} does not exist`);
      if (t.from && !t.from.includes(row.state)) {
        throw new AppError(
          'INVALID_STATE',
          `The ${t.entity} is ${row.state}; this needs ${t.from.join(' or ')}`,
          {
            state: row.state,
          },
        );
      }
      if (row.state === t.to && !t.conditions && !t.step) {
        return {
          from: row.state,
          to: t.to,
          version: row.version,
          changed: false,
          conditions: row.conditions,
        };
      }
      if (row.state !== t.to) {
        const check = checkTransition(t.entity, row.state, t.to);
        if (!check.ok) throw new AppError('INVALID_STATE', check.message, { state: row.state });
      }
      const now = this.now();
      const conditions = t.conditions
        ? JSON.stringify(setConditions(parseConditions(row.conditions), t.conditions, now))
        : undefined;
      // READ COMMITTED: a compare-and-set needs no snapshot, and it must not wait on rows others are inserting.
      const ok = await inReadCommitted(this.db, async (trx) => {
        if (t.fence && !(await jobsRepo.touchIfHeld(trx, t.fence, now, t.step?.progress ?? 0))) {
          throw new FencedError(`Job ${t.fence.jobId} was taken over`);
        }
        const updated = await transitionsRepo.casState(trx, {
          table: TABLE[t.entity],
          id: t.id,
          version: row.version,
          to: t.to,
          now,
          ...(conditions !== undefined && { conditions }),
        });
        if (!updated) return false;
        if (t.step && t.fence) {
          const { key, seq, result } = t.step;
          await jobsRepo.insertSteps(trx, t.fence, [{ key, seq, state: 'done', result }], now);
        }
        if (row.state !== t.to) {
          await transitionsRepo.insertTransition(trx, {
            entityType: t.entity,
            entityId: t.id,
            from: row.state,
            to: t.to,
            at: now,
            actor: t.actor,
            reason: t.reason,
            jobId: t.jobId ?? null,
          });
        }
        return true;
      });
      if (!ok) continue;
      if (t.to === 'Error' && row.state !== 'Error') await this.reportError(t, row, now);
      return {
        from: row.state,
        to: t.to,
        version: row.version + 1,
        changed: row.state !== t.to,
        conditions: conditions ?? row.conditions,
      };
    }
    throw new AppError('CONFLICT', `The ${t.entity} ${t.id} changed under us repeatedly; try again`);
  }

  /**
   * Many transitions of one entity type in one fenced transaction (a chunk of NICs): per-row compare-and-set, then one
   * multi-row insert of the transition rows and of the steps. Any conflict or illegal move rolls the whole chunk back
   * and falls back to one `transition` per item, which re-reads and reports precisely.
   */
  async transitionMany(items: readonly TransitionInput[]): Promise<TransitionResult[]> {
    const first = items[0];
    if (!first) return [];
    const fence = first.fence;
    const sameFence = items.every(
      (t) => t.entity === first.entity && t.fence?.token === fence?.token && t.fence?.jobId === fence?.jobId,
    );
    if (items.length === 1 || !sameFence || items.some((t) => !t.known || t.to === 'Error' || t.from)) {
      const out: TransitionResult[] = [];
      for (const t of items) out.push(await this.transition(t));
      return out;
    }
    const now = this.now();
    const planned = items.map((t) => {
      const row = t.known as NonNullable<TransitionInput['known']>;
      const legal = row.state === t.to || checkTransition(t.entity, row.state, t.to).ok;
      const conditions = t.conditions
        ? JSON.stringify(setConditions(parseConditions(row.conditions), t.conditions, now))
        : undefined;
      return { t, row, legal, conditions };
    });
    if (planned.some((p) => !p.legal))
      return this.transitionMany(items.map((t) => ({ ...t, known: undefined })));
    const progress = items.reduce((n, t) => n + (t.step?.progress ?? 0), 0);
    try {
      await inReadCommitted(this.db, (trx) => writeBatch(trx, { first, fence, planned, progress, now }));
    } catch (e) {
      if (!(e instanceof BatchConflict)) throw e;
      const out: TransitionResult[] = [];
      for (const t of items) out.push(await this.transition({ ...t, known: undefined }));
      return out;
    }
    return planned.map((p) => ({
      from: p.row.state,
      to: p.t.to,
      version: p.row.version + 1,
      changed: p.row.state !== p.t.to,
      conditions: p.conditions ?? p.row.conditions,
    }));
  }

  /** Conditions only, compare-and-set with re-read on conflict. */
  async setConditions(entity: EntityType, id: string, updates: readonly ConditionUpdate[]): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await readRow(this.db.db, entity, id);
      if (!row) return;
      const now = this.now();
      const next = JSON.stringify(setConditions(parseConditions(row.conditions), updates, now));
      if (await transitionsRepo.casConditions(this.db.db, TABLE[entity], id, row.version, next, now)) return;
    }
    throw new AppError('CONFLICT', `The ${entity} ${id} changed under us repeatedly; try again`);
  }

  /**
   * The same conditions update on many rows whose version and conditions the caller read (the Realized check of a
   * tier's NICs): one READ COMMITTED transaction of compare-and-sets instead of a read and a write per row; a row that
   * changed since goes through setConditions (re-read, retried).
   */
  async setConditionsOfKnown(
    entity: EntityType,
    rows: readonly { id: string; version: number; conditions: string }[],
    updates: readonly ConditionUpdate[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const now = this.now();
    const lost = await inReadCommitted(this.db, async (trx) => {
      const out: string[] = [];
      for (const r of rows) {
        const next = JSON.stringify(setConditions(parseConditions(r.conditions), updates, now));
        if (!(await transitionsRepo.casConditions(trx, TABLE[entity], r.id, r.version, next, now)))
          out.push(r.id);
      }
      return out;
    });
    for (const id of lost) await this.setConditions(entity, id, updates);
  }

  private async reportError(t: TransitionInput, row: Row, at: number): Promise<void> {
    try {
      await onEntityError(this.db.db, {
        entityType: t.entity,
        entityId: t.id,
        vpcId: row.vpcId,
        jobId: t.jobId ?? null,
        fromState: row.state,
        code: t.error?.code ?? 'INTERNAL',
        message: t.error?.message ?? t.reason,
        ...(t.error?.category !== undefined && { category: t.error.category }),
        ...(t.error?.rootCallId !== undefined && { rootCallId: t.error.rootCallId }),
        ...(t.error?.traceId !== undefined && { traceId: t.error.traceId }),
        ...(t.error?.controllerId !== undefined && { controllerId: t.error.controllerId }),
        ...(t.error?.lost !== undefined && { lost: t.error.lost }),
        ...(t.error?.capacity !== undefined && { capacity: t.error.capacity }),
        at,
      });
    } catch (e) {
      this.logger.warn({ entity: t.entity, id: t.id, err: String(e) }, 'Diagnostics hook failed');
    }
  }
}
