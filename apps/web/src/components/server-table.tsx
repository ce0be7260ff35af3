// A table whose rows are one page from the server: sorting is a new query (header buttons with aria-sort), and the
// footer says where the page sits in the total ("51–100 of 10,000") with Previous and Next.
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight } from 'lucide-react';
import type { ReactNode } from 'react';
import { cx } from '../lib/cx';
import type { ServerPaging } from '../lib/server-paging';
import { Button } from './button';

export type ServerColumn<T, S extends string> = {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** The server's sort key for this column, when it can sort by it. */
  sortKey?: S;
  className?: string;
};

type Props<T, S extends string> = {
  caption: string;
  columns: ServerColumn<T, S>[];
  page: { items: T[]; nextCursor: string | null; total: number };
  rowKey: (row: T) => string;
  paging: ServerPaging<S>;
  /** The list's default sort, shown as such while the URL names none. */
  defaultSort: { key: S; dir: 'asc' | 'desc' };
  /** Set while the next page loads, so the buttons cannot fire twice. */
  isFetching?: boolean;
};

export function ServerTable<T, S extends string>({
  caption,
  columns,
  page,
  rowKey,
  paging,
  defaultSort,
  isFetching,
}: Props<T, S>) {
  const sort = paging.sort ?? defaultSort.key;
  const dir = paging.dir ?? (paging.sort ? 'asc' : defaultSort.dir);
  const from = page.items.length === 0 ? 0 : paging.offset + 1;
  const to = paging.offset + page.items.length;
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" aria-busy={isFetching || undefined}>
          <caption className="sr-only">
            {caption}, {from}–{to} of {page.total}
          </caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-800/60 dark:text-slate-300">
            <tr>
              {columns.map((c) => {
                const isSorted = c.sortKey !== undefined && c.sortKey === sort;
                const Icon = !isSorted ? ArrowUpDown : dir === 'asc' ? ArrowUp : ArrowDown;
                return (
                  <th
                    key={c.key}
                    scope="col"
                    aria-sort={
                      isSorted ? (dir === 'asc' ? 'ascending' : 'descending') : c.sortKey ? 'none' : undefined
                    }
                    className={cx('px-3 py-2 font-semibold', c.className)}
                  >
                    {c.sortKey ? (
                      <button
                        type="button"
                        onClick={() => c.sortKey && paging.setSort(c.sortKey)}
                        className="inline-flex items-center gap-1 rounded uppercase hover:text-slate-900 dark:hover:text-white"
                      >
                        {c.header}
                        <Icon aria-hidden className={cx('size-3.5', !isSorted && 'opacity-40')} />
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {page.items.map((row) => (
              <tr key={rowKey(row)} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                {columns.map((c) => (
                  <td key={c.key} className={cx('px-3 py-2 align-middle', c.className)}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav
        aria-label={`${caption} pages`}
        className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-sm dark:border-slate-700"
      >
        <span className="text-slate-600 dark:text-slate-300" aria-live="polite">
          {from}–{to} of {page.total.toLocaleString('en')}
        </span>
        <div className="flex gap-1">
          <Button
            size="sm"
            variant="ghost"
            onClick={() => paging.previous()}
            disabled={paging.cursor === undefined || isFetching}
            icon={<ChevronLeft aria-hidden className="size-4" />}
          >
            Previous
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => page.nextCursor && paging.next(page.nextCursor)}
            disabled={page.nextCursor === null || isFetching}
          >
            Next
            <ChevronRight aria-hidden className="size-4" />
          </Button>
        </div>
      </nav>
    </div>
  );
}
