// A data table that sorts (keyboard-operable header buttons with aria-sort) and pages on the client.
import { type ReactNode, useMemo, useState } from 'react';
import { HEAD_CLASS, HeaderCell, Pager, TableBody, TableFrame } from './table-parts';

export type Column<T> = {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** When given, the column sorts by this value. */
  sortValue?: (row: T) => string | number | null | undefined;
  className?: string;
};

type TableProps<T> = {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  pageSize?: number;
  initialSort?: { key: string; direction: 'ascending' | 'descending' };
};

function compare(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (a == null && b == null) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function Table<T>({ caption, columns, rows, rowKey, pageSize = 20, initialSort }: TableProps<T>) {
  const [sort, setSort] = useState(initialSort);
  const [page, setPage] = useState(0);

  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort?.key);
    if (!sort || !column?.sortValue) return rows;
    const get = column.sortValue;
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => sign * compare(get(a), get(b)));
  }, [rows, columns, sort]);

  const pageCount = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pageCount - 1);
  const visible = sorted.slice(current * pageSize, (current + 1) * pageSize);

  function toggleSort(key: string) {
    setSort((s) =>
      s?.key === key
        ? { key, direction: s.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: 'ascending' },
    );
    setPage(0);
  }

  return (
    <TableFrame
      footer={
        sorted.length > pageSize && (
          <Pager
            caption={caption}
            position={`${current * pageSize + 1}–${Math.min(sorted.length, (current + 1) * pageSize)} of ${sorted.length}`}
            onPrevious={() => setPage(current - 1)}
            previousDisabled={current === 0}
            onNext={() => setPage(current + 1)}
            nextDisabled={current >= pageCount - 1}
          />
        )
      }
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className={HEAD_CLASS}>
          <tr>
            {columns.map((c) => (
              <HeaderCell
                key={c.key}
                header={c.header}
                className={c.className}
                sortable={c.sortValue !== undefined}
                direction={sort?.key === c.key ? sort.direction : undefined}
                onSort={() => toggleSort(c.key)}
              />
            ))}
          </tr>
        </thead>
        <TableBody rows={visible} columns={columns} rowKey={rowKey} />
      </table>
    </TableFrame>
  );
}
