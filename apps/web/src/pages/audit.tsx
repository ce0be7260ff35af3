// Audit log: every mutation with who, what, when and the before/after (already redacted by the server).
import { useInfiniteQuery } from '@tanstack/react-query';
import { ScrollText } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { PageHeader } from '../components/page';
import { EmptyState, ErrorState, LoadingRows } from '../components/states';
import { type Column, Table } from '../components/table';
import type { Outputs } from '../lib/api-types';
import { formatTime } from '../lib/format';
import { useTRPC } from '../lib/trpc';

type AuditRow = Outputs['audit']['list']['items'][number];

export function AuditPage() {
  const trpc = useTRPC();
  const [actor, setActor] = useState('');
  const [target, setTarget] = useState('');
  const [open, setOpen] = useState<AuditRow | null>(null);
  const input = {
    limit: 100,
    ...(actor.trim() ? { actorName: actor.trim() } : {}),
    ...(target.trim() ? { targetType: target.trim() } : {}),
  };
  const audit = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: Column<AuditRow>[] = [
    {
      key: 'at',
      header: 'When',
      sortValue: (r) => r.at,
      render: (r) => <span className="whitespace-nowrap">{formatTime(r.at)}</span>,
    },
    { key: 'actor', header: 'Who', sortValue: (r) => r.actorName, render: (r) => r.actorName },
    {
      key: 'action',
      header: 'Action',
      sortValue: (r) => r.action,
      render: (r) => <code className="font-mono text-xs">{r.action}</code>,
    },
    {
      key: 'target',
      header: 'Target',
      sortValue: (r) => r.targetType,
      render: (r) => (
        <span>
          {r.targetType}
          {r.targetId && (
            <span className="ml-1 font-mono text-xs text-slate-500 dark:text-slate-400">
              {r.targetId.slice(0, 8)}
            </span>
          )}
        </span>
      ),
    },
    {
      key: 'change',
      header: 'Change',
      render: (r) => (
        <Button size="sm" variant="ghost" onClick={() => setOpen(r)}>
          Show change
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through the API, newest first. Secrets are redacted before they are written."
      />
      <form
        className="mb-4 flex flex-wrap gap-3"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Filter the audit log"
      >
        <FilterInput label="Who" value={actor} onChange={setActor} placeholder="username" />
        <FilterInput
          label="Target type"
          value={target}
          onChange={setTarget}
          placeholder="e.g. zone, controller, user"
        />
      </form>
      {audit.isPending ? (
        <LoadingRows />
      ) : audit.error ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No audit entries" icon={<ScrollText className="size-8" />}>
          {actor || target
            ? 'Nothing matches these filters.'
            : 'Changes will be listed here as soon as someone makes one.'}
        </EmptyState>
      ) : (
        <>
          <Table
            caption="Audit log"
            columns={columns}
            rows={rows}
            rowKey={(r) => String(r.id)}
            pageSize={50}
          />
          {audit.hasNextPage && (
            <div className="mt-3 flex justify-center">
              <Button onClick={() => void audit.fetchNextPage()} isBusy={audit.isFetchingNextPage}>
                Load older entries
              </Button>
            </div>
          )}
        </>
      )}
      <Dialog
        isOpen={open !== null}
        onClose={() => setOpen(null)}
        title={open ? `${open.action} by ${open.actorName}` : ''}
        size="lg"
      >
        {open && (
          <div className="grid gap-3 md:grid-cols-2">
            <JsonBlock title="Before" value={open.before} />
            <JsonBlock title="After" value={open.after} />
          </div>
        )}
      </Dialog>
    </>
  );
}

function FilterInput({
  label,
  value,
  onChange,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
}) {
  const id = `audit-filter-${label.replace(/\s/g, '-').toLowerCase()}`;
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="text-slate-600 dark:text-slate-300">
        {label}
      </label>
      <input
        id={id}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
      />
    </div>
  );
}

export function JsonBlock({ title, value }: { title: string; value: unknown }) {
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {title}
      </h3>
      <pre className="max-h-96 overflow-auto rounded-md bg-slate-100 p-3 font-mono text-xs dark:bg-slate-800">
        {value == null ? '—' : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}
