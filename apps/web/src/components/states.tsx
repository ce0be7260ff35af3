// The three non-happy states every page has: loading skeletons, empty, and error (with the API's message and appCode).
import { AlertOctagon, Inbox, RefreshCw } from 'lucide-react';
import type { ReactNode } from 'react';
import { cx } from '../lib/cx';
import { readError } from '../lib/errors';
import { Button } from './button';

export function Skeleton({ className }: { className?: string }) {
  return (
    <div aria-hidden className={cx('animate-pulse rounded bg-slate-200 dark:bg-slate-800', className)} />
  );
}

export function LoadingRows({ rows = 5, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-2">
      <span className="sr-only">{label}…</span>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={i} className="h-9 w-full" />
      ))}
    </div>
  );
}

export function LoadingCards({ count = 4 }: { count?: number }) {
  return (
    <div role="status" className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <span className="sr-only">Loading…</span>
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={i} className="h-24" />
      ))}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
  icon,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
      <div className="mb-3 text-slate-400" aria-hidden>
        {icon ?? <Inbox className="size-8" />}
      </div>
      <h3 className="text-sm font-semibold">{title}</h3>
      {children && <p className="mt-1 max-w-md text-sm text-slate-600 dark:text-slate-300">{children}</p>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const e = readError(error);
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
    >
      <AlertOctagon aria-hidden className="mt-0.5 size-5 shrink-0" />
      <div className="flex-1">
        <p className="font-semibold">{title ?? 'This could not be loaded'}</p>
        <p className="mt-0.5">{e.message}</p>
        {e.appCode && (
          <p className="mt-1 font-mono text-xs opacity-80">
            code {e.appCode}
            {e.httpStatus ? ` · HTTP ${e.httpStatus}` : ''}
          </p>
        )}
      </div>
      {onRetry && (
        <Button size="sm" onClick={onRetry} icon={<RefreshCw aria-hidden className="size-4" />}>
          Retry
        </Button>
      )}
    </div>
  );
}

/** An inline error under a form, for a failed mutation. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const e = readError(error);
  return (
    <p
      role="alert"
      className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
    >
      {e.message}
      {e.appCode && <span className="ml-2 font-mono text-xs opacity-75">({e.appCode})</span>}
    </p>
  );
}
