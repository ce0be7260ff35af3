// The in-memory replica of monitored tables, kept up to date from update2/update3 notifications.
import { applyMapDiff, applySetDiff, isMap, isSet, type Row, toAtoms, type Value } from './encoding';
import { type ColumnKind, columnKind, type DatabaseSchema } from './schema';

/** RFC 7047 update2 row change: exactly one of these keys. */
export type RowUpdate2 = { initial?: Row; insert?: Row; modify?: Row; delete?: null };
export type TableUpdates2 = Record<string, Record<string, RowUpdate2>>;

export type CachedRow = Row & { _uuid: string };
export type CacheChange = { table: string; uuid: string; kind: 'insert' | 'modify' | 'delete' };

export class TableCache {
  private readonly tables = new Map<string, Map<string, CachedRow>>();
  private readonly kinds = new Map<string, Map<string, ColumnKind>>();

  constructor(schema: DatabaseSchema) {
    for (const [table, ts] of Object.entries(schema.tables)) {
      this.kinds.set(table, new Map(Object.entries(ts.columns).map(([c, cs]) => [c, columnKind(cs)])));
    }
  }

  /** Rows of a table (empty when the table is not monitored). */
  rows(table: string): IterableIterator<CachedRow> {
    return (this.tables.get(table) ?? new Map<string, CachedRow>()).values();
  }

  get(table: string, uuid: string): CachedRow | undefined {
    return this.tables.get(table)?.get(uuid);
  }

  size(table: string): number {
    return this.tables.get(table)?.size ?? 0;
  }

  clear(): void {
    this.tables.clear();
  }

  /** Applies one table-updates2 object; returns what changed, in order. */
  apply(updates: TableUpdates2): CacheChange[] {
    const changes: CacheChange[] = [];
    for (const [table, rows] of Object.entries(updates)) {
      let t = this.tables.get(table);
      if (!t) {
        t = new Map();
        this.tables.set(table, t);
      }
      for (const [uuid, u] of Object.entries(rows)) {
        const fresh = u.initial ?? u.insert;
        if (fresh !== undefined) {
          t.set(uuid, { ...this.normalise(table, fresh), _uuid: uuid });
          changes.push({ table, uuid, kind: 'insert' });
        } else if (u.modify !== undefined) {
          const old = t.get(uuid);
          if (!old) continue; // a modify of a row we never saw: nothing to patch, the next full resync fixes it
          t.set(uuid, this.patch(table, old, u.modify));
          changes.push({ table, uuid, kind: 'modify' });
        } else if ('delete' in u) {
          if (t.delete(uuid)) changes.push({ table, uuid, kind: 'delete' });
        }
      }
    }
    return changes;
  }

  private kind(table: string, column: string): ColumnKind {
    return this.kinds.get(table)?.get(column) ?? 'atom';
  }

  /** Stores sets always as ["set", [...]] so readers need not know the one-element shorthand. */
  private normalise(table: string, row: Row): Row {
    const out: Row = {};
    for (const [c, v] of Object.entries(row)) {
      out[c] = this.kind(table, c) === 'set' && !isSet(v) ? ['set', toAtoms(v)] : v;
    }
    return out;
  }

  private patch(table: string, old: CachedRow, diff: Row): CachedRow {
    const next: CachedRow = { ...old };
    for (const [c, d] of Object.entries(diff)) {
      const kind = this.kind(table, c);
      const cur: Value | undefined = old[c];
      if (kind === 'set') next[c] = ['set', applySetDiff(toAtoms(cur), toAtoms(d))];
      else if (kind === 'map' && isMap(d)) next[c] = ['map', applyMapDiff(isMap(cur) ? cur[1] : [], d[1])];
      else next[c] = d;
    }
    return next;
  }
}
