// Offerings: the list of network and VPC offerings, and the builder that validates against the matrix as you type.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Boxes, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { PageHeader } from '../../components/page';
import { StateBadge } from '../../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { formatAgo } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { OfferingBuilder } from './offering-builder';

type Offering = Outputs['offerings']['list'][number];

export function OfferingsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canEdit = useCan('inventory.edit');
  const [isBuilding, setBuilding] = useState(false);
  const offerings = useQuery(trpc.offerings.list.queryOptions({}));
  const remove = useMutation(
    trpc.offerings.delete.mutationOptions({
      onSuccess: () => {
        toast.success('Offering deleted');
        void queryClient.invalidateQueries({ queryKey: trpc.offerings.list.queryKey() });
      },
      onError: (e) => toast.error(e),
    }),
  );

  const columns: Column<Offering>[] = [
    {
      key: 'name',
      header: 'Name',
      sortValue: (o) => o.name,
      render: (o) => (
        <div>
          <div className="font-medium">{o.name}</div>
          {o.description && <div className="text-xs text-slate-500 dark:text-slate-400">{o.description}</div>}
        </div>
      ),
    },
    {
      key: 'kind',
      header: 'Kind',
      sortValue: (o) => o.kind,
      render: (o) => (o.kind === 'vpc' ? 'VPC' : 'Network'),
    },
    { key: 'guest', header: 'Guest type', sortValue: (o) => o.guestType, render: (o) => o.guestType },
    {
      key: 'iso',
      header: 'Isolation',
      sortValue: (o) => o.isolationMethod,
      render: (o) => o.isolationMethod,
    },
    {
      key: 'services',
      header: 'Services → adapter',
      render: (o) => (
        <ul className="flex flex-wrap gap-1">
          {Object.entries(o.serviceProviders).map(([s, a]) => (
            <li key={s} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
              {s} <span className="text-slate-600 dark:text-slate-300">→ {a}</span>
            </li>
          ))}
        </ul>
      ),
    },
    { key: 'tags', header: 'Labels', render: (o) => o.tags.join(', ') || '—' },
    {
      key: 'state',
      header: 'State',
      sortValue: (o) => o.state,
      render: (o) => <StateBadge state={o.state} />,
    },
    {
      key: 'created',
      header: 'Created',
      sortValue: (o) => o.createdAt,
      render: (o) => formatAgo(o.createdAt),
    },
    ...(canEdit
      ? [
          {
            key: 'actions',
            header: 'Actions',
            render: (o: Offering) => (
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Delete offering ${o.name}`}
                onClick={() => {
                  if (window.confirm(`Delete offering ${o.name}?`)) remove.mutate({ id: o.id });
                }}
                icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title="Offerings"
        description="Network and VPC offerings: which adapter gives each service, which labels and isolation method they need. The builder checks every change against the capability matrix."
        actions={
          canEdit &&
          !isBuilding && (
            <Button
              variant="primary"
              onClick={() => setBuilding(true)}
              icon={<Plus aria-hidden className="size-4" />}
            >
              New offering
            </Button>
          )
        }
      />
      {isBuilding && <OfferingBuilder onClose={() => setBuilding(false)} />}
      {offerings.isPending ? (
        <LoadingRows />
      ) : offerings.error ? (
        <ErrorState error={offerings.error} onRetry={() => void offerings.refetch()} />
      ) : offerings.data.length === 0 ? (
        <EmptyState title="No offerings yet" icon={<Boxes className="size-8" />}>
          An offering says which services a network or VPC gets and who provides them. VPCs are created from
          one.
        </EmptyState>
      ) : (
        <Table
          caption="Offerings"
          columns={columns}
          rows={offerings.data}
          rowKey={(o) => o.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
        />
      )}
    </>
  );
}
