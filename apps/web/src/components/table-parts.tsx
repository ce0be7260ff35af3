// The pieces Table (sorts and pages on the client) and ServerTable (one page from the server) draw alike: the frame,
// a header cell that sorts, the body rows and the pager. Each table keeps its own sort and page state.
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight } from 'lucide-react';
import type { ReactNode } from 'react';
import { cx } from '../lib/cx';
import { Button } from './button';

/** The rounded, bordered box around a table; `footer` (the pager) sits below the scrolling part. */
export function TableFrame({ children, footer }: { children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <div className="overflow-x-auto">{children}</div>
      {footer}
    </div>
  );
}

type HeaderCellProps = {
  header: string;
  className?: string;
  /** Whether the column sorts at all (then the header is a button). */
  sortable: boolean;
  /** The column's direction when the table is sorted by it. */
  direction?: 'ascending' | 'descending';
  onSort(): void;
};

/** A column header; a sortable one is a keyboard-operable button and carries aria-sort. */
export function HeaderCell({ header, className, sortable, direction, onSort }: HeaderCellProps) {
  const Icon = !direction ? ArrowUpDown : direction === 'ascending' ? ArrowUp : ArrowDown;
  return (
    <th
      scope="col"
      aria-sort={direction ?? (sortable ? 'none' : undefined)}
      className={cx('px-3 py-2 font-semibold', className)}
    >
      {sortable ? (
        <button
          type="button"
          onClick={onSort}
          className="inline-flex items-center gap-1 rounded uppercase hover:text-slate-900 dark:hover:text-white"
        >
          {header}
          <Icon aria-hidden className={cx('size-3.5', !direction && 'opacity-40')} />
        </button>
      ) : (
        header
      )}
    </th>
  );
}

export const HEAD_CLASS =
  'bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-800/60 dark:text-slate-300';

type BodyColumn<T> = { key: string; render: (row: T) => ReactNode; className?: string };

/** The rows, one cell a column. */
export function TableBody<T>({
  rows,
  columns,
  rowKey,
}: {
  rows: T[];
  columns: BodyColumn<T>[];
  rowKey: (row: T) => string;
}) {
  return (
    <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
      {rows.map((row) => (
        <tr key={rowKey(row)} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
          {columns.map((c) => (
            <td key={c.key} className={cx('px-3 py-2 align-middle', c.className)}>
              {c.render(row)}
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}

type PagerProps = {
  caption: string;
  /** Where the page sits ("51–100 of 10,000"). */
  position: ReactNode;
  /** Announce position changes (the server table, whose page arrives later than the click). */
  live?: boolean;
  onPrevious(): void;
  previousDisabled: boolean;
  onNext(): void;
  nextDisabled: boolean;
};

/** The footer with the page's position and Previous and Next. */
export function Pager({
  caption,
  position,
  live,
  onPrevious,
  previousDisabled,
  onNext,
  nextDisabled,
}: PagerProps) {
  return (
    <nav
      aria-label={`${caption} pages`}
      className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-sm dark:border-slate-700"
    >
      <span className="text-slate-600 dark:text-slate-300" aria-live={live ? 'polite' : undefined}>
        {position}
      </span>
      <div className="flex gap-1">
        <Button
          size="sm"
          variant="ghost"
          onClick={onPrevious}
          disabled={previousDisabled}
          icon={<ChevronLeft aria-hidden className="size-4" />}
        >
          Previous
        </Button>
        <Button size="sm" variant="ghost" onClick={onNext} disabled={nextDisabled}>
          Next
          <ChevronRight aria-hidden className="size-4" />
        </Button>
      </div>
    </nav>
  );
}
