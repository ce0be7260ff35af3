// The NICs of a tier: one server page (sorted, filtered by state and VM/IP on the server, the view in the URL under
// the tier's name), release, and a bulk prepare form (N NICs named prefix-1..N).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { ConditionPills } from '../../components/condition-pills';
import { FilterSelect, TextFilter } from '../../components/field';
import { type ServerColumn, ServerTable } from '../../components/server-table';
import { StateBadge } from '../../components/state-badge';
import { ErrorState } from '../../components/states';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { useServerPaging } from '../../lib/server-paging';
import { useTRPC } from '../../lib/trpc';

type Tier = Outputs['vpcs']['get']['tiers'][number];
type Nic = Outputs['nics']['list']['items'][number];

const BUSY = new Set(['Reserving', 'Releasing', 'Deallocating']);
const SORTS = ['ipIndex', 'vmName', 'state', 'createdAt'] as const;
const DEFAULT_SORT = { sort: 'ipIndex', dir: 'asc' } as const;
const NIC_STATES = ['Allocated', 'Reserving', 'Reserved', 'Releasing', 'Error'];
/** releaseBulk takes at most this many ids; "Release all" sends one page of them. */
const RELEASE_BATCH = 200;

export function TierNics({ tier, onChanged }: { tier: Tier; onChanged: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canProvision = useCan('provision');
  const [count, setCount] = useState('20');
  const [prefix, setPrefix] = useState('vm');
  const paging = useServerPaging(SORTS, DEFAULT_SORT, 10, `${tier.name}.`);
  const stateFilter = paging.filter('state');
  const search = paging.filter('q');
  const nics = useQuery(
    trpc.nics.list.queryOptions(
      {
        tierId: tier.id,
        ...(stateFilter ? { state: stateFilter } : {}),
        ...(search ? { search } : {}),
        ...paging.input,
      },
      {
        placeholderData: keepPreviousData,
        refetchInterval: (q) => (q.state.data?.items.some((n) => BUSY.has(n.state)) ? 1500 : 5000),
      },
    ),
  );
  // Every Reserved NIC of the tier (up to one release batch), for "Release all", whatever page is shown.
  const reservedPage = useQuery(
    trpc.nics.list.queryOptions(
      { tierId: tier.id, state: 'Reserved', limit: RELEASE_BATCH },
      { enabled: canProvision, refetchInterval: 5000 },
    ),
  );
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.nics.list.queryKey() });
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
    const start = (tierTotal(tier) ?? nics.data?.total ?? 0) + 1;
    prepare.mutate({
      tierId: tier.id,
      nics: Array.from({ length: n }, (_, i) => ({ vmName: `${prefix.trim() || 'vm'}-${start + i}` })),
    });
  }

  const reserved = reservedPage.data?.items ?? [];
  const reservedTotal = reservedPage.data?.total ?? 0;
  const columns: ServerColumn<Nic, (typeof SORTS)[number]>[] = [
    {
      key: 'vm',
      header: 'VM',
      sortKey: 'vmName',
      render: (x) => <span className="whitespace-nowrap">{x.vmName}</span>,
    },
    {
      key: 'state',
      header: 'State',
      sortKey: 'state',
      render: (x) => <StateBadge state={x.state} />,
    },
    {
      key: 'ip',
      header: 'IP',
      sortKey: 'ipIndex',
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
          NICs ({(stateFilter || search ? tierTotal(tier) : nics.data?.total) ?? '…'})
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
                {reservedTotal > reserved.length
                  ? `Release ${reserved.length} of ${reservedTotal}`
                  : `Release all ${reserved.length}`}
              </Button>
            )}
          </form>
        )}
      </div>
      {((nics.data?.total ?? 0) > 0 || stateFilter || search) && (
        <search className="mb-2 flex flex-wrap gap-3" aria-label={`Filter the NICs of ${tier.name}`}>
          <FilterSelect
            label="State"
            value={stateFilter}
            onChange={(v) => paging.setFilter('state', v)}
            options={NIC_STATES}
          />
          <TextFilter
            label="VM or IP"
            value={search}
            onChange={(v) => paging.setFilter('q', v)}
            placeholder="vm-1, 10.0.1."
          />
        </search>
      )}
      {nics.error ? (
        <ErrorState error={nics.error} onRetry={() => void nics.refetch()} />
      ) : nics.data && nics.data.total > 0 ? (
        <ServerTable
          caption={`NICs of ${tier.name}`}
          columns={columns}
          page={nics.data}
          rowKey={(x) => x.id}
          paging={paging}
          defaultSort={{ key: DEFAULT_SORT.sort, dir: DEFAULT_SORT.dir }}
          isFetching={nics.isPlaceholderData}
        />
      ) : (
        nics.data && (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            {stateFilter || search ? 'No NIC matches these filters.' : 'No NICs on this tier.'}
          </p>
        )
      )}
    </div>
  );
}

/** The tier's NIC count from its per-state counts (undefined before they are known). */
function tierTotal(tier: Tier): number | undefined {
  const counts = Object.values(tier.nicCounts);
  return counts.length === 0 ? undefined : counts.reduce((a, b) => a + b, 0);
}
