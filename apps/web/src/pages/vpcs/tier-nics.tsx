// The NICs of a tier: a table with release, and a bulk prepare form (N NICs named prefix-1..N).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { ConditionPills } from '../../components/condition-pills';
import { StateBadge } from '../../components/state-badge';
import { ErrorState } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';

type Tier = Outputs['vpcs']['get']['tiers'][number];
type Nic = Outputs['nics']['list'][number];

const BUSY = new Set(['Reserving', 'Releasing', 'Deallocating']);

export function TierNics({ tier, onChanged }: { tier: Tier; onChanged: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canProvision = useCan('provision');
  const [count, setCount] = useState('20');
  const [prefix, setPrefix] = useState('vm');
  const nics = useQuery(
    trpc.nics.list.queryOptions(
      { tierId: tier.id },
      { refetchInterval: (q) => (q.state.data?.some((n) => BUSY.has(n.state)) ? 1500 : 5000) },
    ),
  );
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.nics.list.queryKey({ tierId: tier.id }) });
    onChanged();
  };
  const prepare = useMutation(
    trpc.nics.prepareBulk.mutationOptions({
      onSuccess: (r) => {
        toast.success(`Preparing ${r.nics.length} NICs`);
        refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const release = useMutation(
    trpc.nics.release.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e) }),
  );
  const releaseAll = useMutation(
    trpc.nics.releaseBulk.mutationOptions({
      onSuccess: () => {
        toast.success('Releasing the NICs');
        refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const n = Number(count);
  const isCountOk = Number.isInteger(n) && n >= 1 && n <= 1000;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!isCountOk) return;
    const start = (nics.data?.length ?? 0) + 1;
    prepare.mutate({
      tierId: tier.id,
      nics: Array.from({ length: n }, (_, i) => ({ vmName: `${prefix.trim() || 'vm'}-${start + i}` })),
    });
  }

  const reserved = (nics.data ?? []).filter((x) => x.state === 'Reserved');
  const columns: Column<Nic>[] = [
    {
      key: 'vm',
      header: 'VM',
      sortValue: (x) => x.vmName,
      render: (x) => <span className="whitespace-nowrap">{x.vmName}</span>,
    },
    {
      key: 'state',
      header: 'State',
      sortValue: (x) => x.state,
      render: (x) => <StateBadge state={x.state} />,
    },
    {
      key: 'ip',
      header: 'IP',
      sortValue: (x) => x.ip,
      render: (x) => <span className="font-mono text-xs">{x.ip}</span>,
    },
    {
      key: 'mac',
      header: 'MAC',
      // Secondary at 768 px: the row keeps its Actions in view instead.
      className: 'hidden lg:table-cell',
      render: (x) => <span className="font-mono text-xs">{x.mac}</span>,
    },
    { key: 'cond', header: 'Conditions', render: (x) => <ConditionPills conditions={x.conditions} /> },
    {
      key: 'adopted',
      header: 'Adopted',
      sortValue: (x) => (x.adopted ? 1 : 0),
      render: (x) => (x.adopted ? 'yes' : ''),
    },
    ...(canProvision
      ? [
          {
            key: 'actions',
            header: 'Actions',
            // Pinned to the right edge so a narrow screen never scrolls the row's action out of view.
            className: 'sticky right-0 bg-white dark:bg-slate-900 [th&]:bg-slate-50 dark:[th&]:bg-slate-800',
            render: (x: Nic) =>
              x.state === 'Reserved' || x.state === 'Error' ? (
                <Button size="sm" variant="ghost" onClick={() => release.mutate({ id: x.id })}>
                  Release
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div className="mt-4 border-t border-slate-200 pt-3 dark:border-slate-700">
      <div className="mb-2 flex flex-wrap items-end justify-between gap-3">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
          NICs ({nics.data?.length ?? '…'})
        </h3>
        {canProvision && tier.state === 'Implemented' && (
          <form
            onSubmit={submit}
            className="flex flex-wrap items-end gap-2"
            aria-label={`Prepare NICs on ${tier.name}`}
          >
            <label className="text-xs">
              <span className="block text-slate-600 dark:text-slate-300">How many</span>
              <input
                type="number"
                min={1}
                max={1000}
                value={count}
                onChange={(e) => setCount(e.target.value)}
                aria-invalid={!isCountOk || undefined}
                className="w-20 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
              />
            </label>
            <label className="text-xs">
              <span className="block text-slate-600 dark:text-slate-300">VM name prefix</span>
              <input
                value={prefix}
                onChange={(e) => setPrefix(e.target.value)}
                className="w-28 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
              />
            </label>
            <Button
              type="submit"
              size="sm"
              variant="primary"
              disabled={!isCountOk}
              isBusy={prepare.isPending}
              icon={<Plus aria-hidden className="size-4" />}
            >
              Prepare NICs
            </Button>
            {reserved.length > 0 && (
              <Button
                size="sm"
                onClick={() => releaseAll.mutate({ ids: reserved.map((x) => x.id) })}
                isBusy={releaseAll.isPending}
              >
                Release all {reserved.length}
              </Button>
            )}
          </form>
        )}
      </div>
      {nics.error ? (
        <ErrorState error={nics.error} onRetry={() => void nics.refetch()} />
      ) : nics.data && nics.data.length > 0 ? (
        <Table
          caption={`NICs of ${tier.name}`}
          columns={columns}
          rows={nics.data}
          rowKey={(x) => x.id}
          pageSize={10}
        />
      ) : (
        nics.data && <p className="text-sm text-slate-500 dark:text-slate-400">No NICs on this tier.</p>
      )}
    </div>
  );
}
