// Server-side paging state for a table: sort, direction and the current page's cursor live in the URL search params
// (a view is linkable), the cursors of the pages before it in memory (for Previous). Filters reset the cursor.
import { useCallback, useRef } from 'react';
import { useSearchParams } from 'react-router';

export type SortDirection = 'asc' | 'desc';

export type ServerPaging<S extends string> = {
  sort: S | undefined;
  dir: SortDirection | undefined;
  cursor: string | undefined;
  /** How many rows come before this page (for "51–100 of 10,000"). */
  offset: number;
  limit: number;
  /** The page fields of the list's input. */
  input: { limit: number; sort?: S; dir?: SortDirection; cursor?: string };
  setSort(key: S): void;
  next(cursor: string): void;
  previous(): void;
  /** Sets (or clears, for '') a filter and goes back to the first page. */
  setFilter(key: string, value: string): void;
  /** A filter's value from the URL ('' when absent). */
  filter(key: string): string;
};

/** `prefix` names the params apart when a page holds several tables (the NICs of each tier: `web.sort`). */
export function useServerPaging<S extends string>(
  sorts: readonly S[],
  defaults: { sort: S; dir: SortDirection },
  limit = 50,
  prefix = '',
): ServerPaging<S> {
  const [params, setParams] = useSearchParams();
  const previousCursors = useRef<(string | undefined)[]>([]);
  const rawSort = params.get(`${prefix}sort`);
  const sort = sorts.find((s) => s === rawSort);
  const rawDir = params.get(`${prefix}dir`);
  const dir = rawDir === 'asc' || rawDir === 'desc' ? rawDir : undefined;
  const cursor = params.get(`${prefix}cursor`) ?? undefined;
  const update = useCallback(
    (change: (next: URLSearchParams) => void) => {
      const next = new URLSearchParams(params);
      change(next);
      setParams(next, { replace: true });
    },
    [params, setParams],
  );
  return {
    sort,
    dir,
    cursor,
    offset: previousCursors.current.length * limit,
    limit,
    input: { limit, ...(sort ? { sort } : {}), ...(dir ? { dir } : {}), ...(cursor ? { cursor } : {}) },
    setSort(key) {
      const current = sort ?? defaults.sort;
      const currentDir = dir ?? (sort ? 'asc' : defaults.dir);
      const nextDir: SortDirection = current === key ? (currentDir === 'asc' ? 'desc' : 'asc') : 'asc';
      previousCursors.current = [];
      update((n) => {
        n.set(`${prefix}sort`, key);
        n.set(`${prefix}dir`, nextDir);
        n.delete(`${prefix}cursor`);
      });
    },
    next(nextCursor) {
      previousCursors.current.push(cursor);
      update((n) => n.set(`${prefix}cursor`, nextCursor));
    },
    previous() {
      const before = previousCursors.current.pop();
      update((n) => (before ? n.set(`${prefix}cursor`, before) : n.delete(`${prefix}cursor`)));
    },
    filter(key) {
      return params.get(`${prefix}${key}`) ?? '';
    },
    setFilter(key, value) {
      previousCursors.current = [];
      update((n) => {
        if (value) n.set(`${prefix}${key}`, value);
        else n.delete(`${prefix}${key}`);
        n.delete(`${prefix}cursor`);
      });
    },
  };
}
