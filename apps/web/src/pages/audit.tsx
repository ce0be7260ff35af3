// Audit log: every mutation with who, what, when and the before/after (already redacted by the server); one server
// page at a time, newest first, filters in the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ScrollText } from 'lucide-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { TextFilter } from '../components/field';
import { PageHeader } from '../components/page';
import { type ServerColumn, ServerTable } from '../components/server-table';
import { EmptyState, ErrorState, LoadingRows } from '../components/states';
import type { Outputs } from '../lib/api-types';
import { formatTime } from '../lib/format';
import { useServerPaging } from '../lib/server-paging';
import { useTRPC } from '../lib/trpc';

type AuditRow = Outputs['audit']['list']['items'][number];
const SORTS = ['at'] as const;
const DEFAULT_SORT = { sort: 'at', dir: 'desc' } as const;

export function AuditPage() {
  const trpc = useTRPC();
  const [params] = useSearchParams();
  const paging = useServerPaging(SORTS, DEFAULT_SORT);
  const actor = params.get('actor') ?? '';
  const target = params.get('targetType') ?? '';
  const action = params.get('action') ?? '';
  const [open, setOpen] = useState<AuditRow | null>(null);
  const input = {
    ...paging.input,
    ...(actor ? { actorName: actor } : {}),
    ...(target ? { targetType: target } : {}),
    ...(action ? { action } : {}),
  };
  const audit = useQuery(trpc.audit.list.queryOptions(input, { placeholderData: keepPreviousData }));

  const columns: ServerColumn<AuditRow, (typeof SORTS)[number]>[] = [
    {
      key: 'at',
      header: 'When',
      sortKey: 'at',
      render: (r) => <span className="whitespace-nowrap">{formatTime(r.at)}</span>,
    },
    {
      key: 'actor',
      header: 'Who',
      render: (r) => (
        <>
          {r.actorName}
          {r.actorTokenId && (
            <span
              className="ml-1 text-xs text-slate-500 dark:text-slate-400"
              title={`API token ${r.actorTokenId}`}
            >
              with an API token
            </span>
          )}
        </>
      ),
    },
    {
      key: 'action',
      header: 'Action',
      render: (r) => <code className="font-mono text-xs">{r.action}</code>,
    },
    {
      key: 'target',
      header: 'Target',
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
      <search className="mb-4 flex flex-wrap gap-3" aria-label="Filter the audit log">
        <TextFilter
          label="Who"
          value={actor}
          onChange={(v) => paging.setFilter('actor', v)}
          placeholder="username"
        />
        <TextFilter
          label="Target type"
          value={target}
          onChange={(v) => paging.setFilter('targetType', v)}
          placeholder="e.g. zone, controller, user"
        />
        <TextFilter
          label="Action"
          value={action}
          onChange={(v) => paging.setFilter('action', v)}
          placeholder="vpc.create, or vpc."
        />
      </search>
      {audit.isPending ? (
        <LoadingRows />
      ) : audit.error ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
      ) : audit.data.total === 0 ? (
        <EmptyState title="No audit entries" icon={<ScrollText className="size-8" />}>
          {actor || target || action
            ? 'Nothing matches these filters.'
            : 'Changes will be listed here as soon as someone makes one.'}
        </EmptyState>
      ) : (
        <ServerTable
          caption="Audit log"
          columns={columns}
          page={audit.data}
          rowKey={(r) => String(r.id)}
          paging={paging}
          defaultSort={{ key: DEFAULT_SORT.sort, dir: DEFAULT_SORT.dir }}
          isFetching={audit.isPlaceholderData}
        />
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
