// Keyset pagination shared by every growing list: one sort column plus the id as tiebreaker, an opaque cursor that
// carries the last row's key (and the sort it was made for), and a COUNT over the same filtered query. OFFSET is
// never used: page 200 costs what page 1 costs, and rows inserted meanwhile neither repeat nor vanish.
import { AppError } from '@netplane/domain';
import { type Expression, MysqlAdapter, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Db, DialectName } from '../connect';

export type SortDir = 'asc' | 'desc';

/**
 * One page of a list: the rows, the cursor of the next page (null on the last one), and the filtered total. A list
 * whose count is capped (the logs that grow without bound) sets `totalCapped` when more rows match than were counted:
 * `total` is then the cap, a lower bound, not the number of rows.
 */
export type Page<T> = { items: T[]; nextCursor: string | null; total: number; totalCapped?: boolean };

/** What a caller asks for: a page size, where to resume, and which sort (the list's default when absent). */
export type PageRequest<S extends string> = { limit: number; cursor?: string; sort?: S; dir?: SortDir };

/** A list's sortable keys: key -> column and the type of its values (checked when a cursor is decoded). */
export type SortSpec<S extends string> = {
  columns: Record<S, { column: string; type: 'number' | 'string' }>;
  /** The id column breaking ties; it must be unique. */
  id: { column: string; type: 'number' | 'string' };
  defaultSort: S;
  defaultDir: SortDir;
};

/**
 * The count cap of the lists that grow without bound (the job list, the element call log): their COUNT read every row
 * ever written on each page (100,000 calls: most of calls.recent's time on MariaDB, docs/benchmarks.md). Past it, a
 * page says `totalCapped` and the console shows "10,000+".
 */
export const LOG_COUNT_CAP = 10_000;

type CursorKey = { s: string; d: SortDir; v: string | number; id: string | number };

const MAX_CURSOR_LENGTH = 1024;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.s, key.d, key.v, key.id]), 'utf8').toString('base64url');
}

const badCursor = (why: string): AppError =>
  new AppError('BAD_INPUT', `The cursor is not valid for this list (${why}); start again without one`, {
    field: 'cursor',
    reason: 'BAD_CURSOR',
  });

/** Decodes and checks a cursor against the list's sort: anything else is a BAD_INPUT (HTTP 400), never a 500. */
export function decodeCursor<S extends string>(
  cursor: string,
  spec: SortSpec<S>,
  sort: S,
  dir: SortDir,
): CursorKey {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor('not a cursor');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor');
  }
  if (!Array.isArray(value) || value.length !== 4) throw badCursor('not a cursor');
  const [s, d, v, id] = value as unknown[];
  if (s !== sort || d !== dir) throw badCursor('made for another sort');
  const col = spec.columns[sort];
  const ok = (x: unknown, type: 'number' | 'string') =>
    type === 'number'
      ? typeof x === 'number' && Number.isFinite(x)
      : typeof x === 'string' && x.length <= 512;
  if (!ok(v, col.type) || !ok(id, spec.id.type)) throw badCursor('malformed key');
  return { s: sort, d: dir, v: v as string | number, id: id as string | number };
}

/** The dialect behind a Kysely instance (repositories take only the Db). */
export function dialectOfDb(db: Db): DialectName {
  return db.getExecutor().adapter instanceof MysqlAdapter ? 'mysql' : 'sqlite';
}

// biome-ignore lint/suspicious/noExplicitAny: the helper serves every table; callers keep their own row types.
type AnySelect = SelectQueryBuilder<any, any, any>;

/**
 * Runs one page of `filtered` (a query with every filter applied, nothing selected yet): ordered by the sort column
 * then the id, resumed after the cursor's key, `limit + 1` rows read to know whether a next page exists, and the
 * total counted over the same filters. `select` picks the columns of a row; `keyOf` reads a row's sort key and id.
 * With `countCap` (the cap, and the Db to run the wrapping query on), the count reads at most cap + 1 matching rows
 * (a LIMIT inside the COUNT), so its cost stops growing with the table; past the cap the page says `totalCapped` and
 * `total` is the cap.
 * With `countAfterPage`, the count runs after the page, and not at all when a first page holds every matching row.
 * With `keysFirst`, the page is read in two statements: the keys (sort column and id) of the page's rows, which an
 * index holding the filtered columns answers without reading a table row, then those rows by id. For a filter no
 * index can seek (the name search's `like '%text%'`), the one-statement page read the whole row of every VPC it
 * skipped (MariaDB: 20,000 pages for one search page of 10,000 VPCs, docs/benchmarks.md).
 */
export async function keysetPage<S extends string, R>(
  filtered: AnySelect,
  spec: SortSpec<S>,
  req: PageRequest<S>,
  select: (q: AnySelect) => AnySelect,
  toItem: (row: Record<string, unknown>) => R,
  opts: { countCap?: { db: Db; cap: number }; keysFirst?: boolean; countAfterPage?: boolean } = {},
): Promise<Page<R>> {
  const sort = req.sort ?? spec.defaultSort;
  const dir = req.dir ?? spec.defaultDir;
  const col = spec.columns[sort];
  if (!col) throw new AppError('BAD_INPUT', `Unknown sort key ${String(sort)}`, { field: 'sort' });
  const sortRef = sql.ref(col.column);
  const idRef = sql.ref(spec.id.column);
  let q: AnySelect = opts.keysFirst ? filtered : select(filtered);
  if (req.cursor !== undefined) {
    const key = decodeCursor(req.cursor, spec, sort, dir);
    // The leading `<=` / `>=` is implied by the OR after it; it is there for the planners: neither turns the OR into
    // an index range, so without it a deep page walked the index from the list's start to the cursor.
    const after: Expression<SqlBool> =
      dir === 'desc'
        ? sql<SqlBool>`(${sortRef} <= ${key.v} and (${sortRef} < ${key.v} or (${sortRef} = ${key.v} and ${idRef} < ${key.id})))`
        : sql<SqlBool>`(${sortRef} >= ${key.v} and (${sortRef} > ${key.v} or (${sortRef} = ${key.v} and ${idRef} > ${key.id})))`;
    q = q.where(after);
  }
  q = q
    .select([sql`${sortRef}`.as('__sort_key'), sql`${idRef}`.as('__sort_id')])
    .orderBy(sortRef, dir)
    .orderBy(idRef, dir)
    .limit(req.limit + 1);
  let found: Record<string, unknown>[];
  let count: Pick<Page<unknown>, 'total' | 'totalCapped'>;
  if (opts.countAfterPage) {
    // A first page that holds every match is its own count: one scan instead of two for the filters that read every
    // row anyway (a narrow name search), at the price of running the count after the page instead of beside it.
    found = (await q.execute()) as Record<string, unknown>[];
    count =
      req.cursor === undefined && found.length <= req.limit
        ? { total: found.length }
        : await countOf(filtered, opts.countCap);
  } else
    [found, count] = await Promise.all([
      q.execute() as Promise<Record<string, unknown>[]>,
      countOf(filtered, opts.countCap),
    ]);
  const more = found.length > req.limit;
  const pageKeys = more ? found.slice(0, req.limit) : found;
  // The cursor is the last key read, whatever the second read of keysFirst found.
  const last = pageKeys.at(-1);
  const pageRows = opts.keysFirst ? await rowsOfKeys(filtered, select, idRef, pageKeys) : pageKeys;
  const norm = (v: unknown, type: 'number' | 'string') => (type === 'number' ? Number(v) : String(v));
  return {
    items: pageRows.map(toItem),
    nextCursor:
      more && last
        ? encodeCursor({
            s: sort,
            d: dir,
            v: norm(last.__sort_key, col.type),
            id: norm(last.__sort_id, spec.id.type),
          })
        : null,
    ...count,
  };
}

/** The rows of `keys`, in their order, read by id with the same filters (a row changed meanwhile drops out). */
async function rowsOfKeys(
  filtered: AnySelect,
  select: (q: AnySelect) => AnySelect,
  idRef: ReturnType<typeof sql.ref>,
  keys: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  if (keys.length === 0) return [];
  const rows = (await select(filtered)
    .select(sql`${idRef}`.as('__sort_id'))
    .where(
      idRef,
      'in',
      keys.map((k) => k.__sort_id),
    )
    .execute()) as Record<string, unknown>[];
  const byId = new Map(rows.map((r) => [String(r.__sort_id), r]));
  return keys.flatMap((k) => {
    const r = byId.get(String(k.__sort_id));
    return r ? [r] : [];
  });
}

/** COUNT(*) of the filtered rows, or of at most cap + 1 of them (`select count(*) from (select 1 ... limit cap+1)`). */
async function countOf(
  filtered: AnySelect,
  countCap: { db: Db; cap: number } | undefined,
): Promise<Pick<Page<unknown>, 'total' | 'totalCapped'>> {
  if (countCap === undefined) {
    const r = (await filtered.select(sql<number>`count(*)`.as('n')).executeTakeFirst()) as
      | { n: unknown }
      | undefined;
    return { total: Number(r?.n ?? 0) };
  }
  const { db, cap } = countCap;
  const bounded = filtered.select(sql`1`.as('one')).limit(cap + 1);
  const r = (await db
    .selectFrom(bounded.as('capped'))
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirst()) as { n: unknown } | undefined;
  const n = Number(r?.n ?? 0);
  return n > cap ? { total: cap, totalCapped: true } : { total: n };
}

/** Walks every page of a list (the scheduled reconcile, exports): yields each page's items in order. */
export async function* allPages<T>(
  pageOf: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  do {
    const page = await pageOf(cursor);
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
