// A table whose rows are one page from the server: sorting is a new query (header buttons with aria-sort), and the
// footer says where the page sits in the total ("51–100 of 10,000") with Previous and Next. A capped total (the job
// and call logs count at most 10,000 rows) reads "of 10,000+".
import type { ReactNode } from 'react';
import type { ServerPaging } from '../lib/server-paging';
import { HEAD_CLASS, HeaderCell, Pager, TableBody, TableFrame } from './table-parts';

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
  page: { items: T[]; nextCursor: string | null; total: number; totalCapped?: boolean };
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
  const total = `${page.total.toLocaleString('en')}${page.totalCapped ? '+' : ''}`;
  return (
    <TableFrame
      footer={
        <Pager
          caption={caption}
          position={`${from}–${to} of ${total}`}
          live
          onPrevious={() => paging.previous()}
          previousDisabled={paging.cursor === undefined || !!isFetching}
          onNext={() => page.nextCursor && paging.next(page.nextCursor)}
          nextDisabled={page.nextCursor === null || !!isFetching}
        />
      }
    >
      <table className="w-full text-left text-sm" aria-busy={isFetching || undefined}>
        <caption className="sr-only">
          {caption}, {from}–{to} of {total}
        </caption>
        <thead className={HEAD_CLASS}>
          <tr>
            {columns.map((c) => (
              <HeaderCell
                key={c.key}
                header={c.header}
                className={c.className}
                sortable={Boolean(c.sortKey)}
                direction={
                  c.sortKey !== undefined && c.sortKey === sort
                    ? dir === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : undefined
                }
                onSort={() => c.sortKey && paging.setSort(c.sortKey)}
              />
            ))}
          </tr>
        </thead>
        <TableBody rows={page.items} columns={columns} rowKey={rowKey} />
      </table>
    </TableFrame>
  );
}
