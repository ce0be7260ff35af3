// VPCs: one server page of the list (sorted, filtered by state, zone, conditions and name on the server, the view
// in the URL), and creation from a VPC offering.
import { NETWORK_STATES } from '@netplane/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Cloud, Plus } from 'lucide-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../components/button';
import { ConditionPills } from '../../components/condition-pills';
import { FilterSelect, TextFilter } from '../../components/field';
import { PageHeader } from '../../components/page';
import { type ServerColumn, ServerTable } from '../../components/server-table';
import { StateBadge } from '../../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import type { Inputs, Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { formatAgo } from '../../lib/format';
import { useServerPaging } from '../../lib/server-paging';
import { useTRPC } from '../../lib/trpc';
import { parseConditionFilter, SYNCED_NOT_REALIZED } from './condition-filter';
import { CreateVpcDialog } from './create-vpc-dialog';

type Vpc = Outputs['vpcs']['list']['items'][number];

const SORTS = ['name', 'state', 'createdAt', 'updatedAt'] as const;
const DEFAULT_SORT = { sort: 'createdAt', dir: 'desc' } as const;

const CONDITION_FILTERS = [
  { value: 'Ready:True', label: 'Ready' },
  { value: 'Ready:False', label: 'Not Ready' },
  { value: 'Synced:False', label: 'Not Synced (drift)' },
  { value: 'Synced:Unknown', label: 'Never reconciled' },
  { value: 'Realized:False', label: 'Not Realized' },
  { value: SYNCED_NOT_REALIZED, label: 'Implemented and Synced but not Realized' },
  { value: 'Realized:Unknown', label: 'Realized unknown' },
];

export function VpcsPage() {
  const trpc = useTRPC();
  const canProvision = useCan('provision');
  const [params] = useSearchParams();
  const [isCreating, setCreating] = useState(false);
  const paging = useServerPaging(SORTS, DEFAULT_SORT);
  const setFilter = paging.setFilter;
  const state = params.get('state') ?? '';
  const zoneId = params.get('zone') ?? '';
  const condition = params.get('condition') ?? '';
  const name = params.get('name') ?? '';
  const zones = useQuery(trpc.zones.list.queryOptions());
  const conditions = parseConditionFilter(condition);
  const input: Inputs['vpcs']['list'] = {
    ...(state ? { state } : {}),
    ...(zoneId ? { zoneId } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
    ...(name ? { name } : {}),
    includeDestroyed: state === 'Destroy',
    ...paging.input,
  };
  const vpcs = useQuery(
    trpc.vpcs.list.queryOptions(input, { refetchInterval: 5000, placeholderData: keepPreviousData }),
  );
  const zoneName = (id: string) => zones.data?.find((z) => z.id === id)?.name ?? id.slice(0, 8);

  const columns: ServerColumn<Vpc, (typeof SORTS)[number]>[] = [
    {
      key: 'name',
      header: 'Name',
      sortKey: 'name',
      render: (v) => (
        <Link to={`/vpcs/${v.id}`} className="font-medium text-sky-700 underline dark:text-sky-400">
          {v.name}
        </Link>
      ),
    },
    {
      key: 'state',
      header: 'State',
      sortKey: 'state',
      render: (v) => <StateBadge state={v.state} />,
    },
    { key: 'conditions', header: 'Conditions', render: (v) => <ConditionPills conditions={v.conditions} /> },
    { key: 'zone', header: 'Zone', render: (v) => zoneName(v.zoneId) },
    { key: 'cidr', header: 'CIDR', render: (v) => <span className="font-mono text-xs">{v.cidr}</span> },
    { key: 'by', header: 'Created by', render: (v) => v.createdBy },
    { key: 'created', header: 'Created', sortKey: 'createdAt', render: (v) => formatAgo(v.createdAt) },
    { key: 'updated', header: 'Changed', sortKey: 'updatedAt', render: (v) => formatAgo(v.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title="VPCs"
        description="Virtual private clouds with their tiers and NICs. Open one to see its calls, negotiation and conditions."
        actions={
          canProvision && (
            <Button
              variant="primary"
              onClick={() => setCreating(true)}
              icon={<Plus aria-hidden className="size-4" />}
            >
              New VPC
            </Button>
          )
        }
      />
      <search className="mb-4 flex flex-wrap gap-4" aria-label="Filter VPCs">
        <FilterSelect
          label="State"
          value={state}
          onChange={(v) => setFilter('state', v)}
          options={NETWORK_STATES}
        />
        <FilterSelect
          label="Zone"
          value={zoneId}
          onChange={(v) => setFilter('zone', v)}
          options={(zones.data ?? []).map((z) => ({ value: z.id, label: z.name }))}
        />
        <FilterSelect
          label="Condition"
          value={condition}
          onChange={(v) => setFilter('condition', v)}
          options={CONDITION_FILTERS}
        />
        <TextFilter label="Name" value={name} onChange={(v) => setFilter('name', v)} />
      </search>
      {vpcs.isPending ? (
        <LoadingRows />
      ) : vpcs.error ? (
        <ErrorState error={vpcs.error} onRetry={() => void vpcs.refetch()} />
      ) : vpcs.data.total === 0 ? (
        <EmptyState
          title={state || zoneId || condition || name ? 'No VPC matches these filters' : 'No VPCs yet'}
          icon={<Cloud className="size-8" />}
          action={
            canProvision &&
            !(state || zoneId || condition || name) && (
              <Button
                variant="primary"
                onClick={() => setCreating(true)}
                icon={<Plus aria-hidden className="size-4" />}
              >
                Create a VPC
              </Button>
            )
          }
        >
          A VPC is created from a VPC offering in a zone; its tiers are then implemented on the chosen
          providers.
        </EmptyState>
      ) : (
        <ServerTable
          caption="VPCs"
          columns={columns}
          page={vpcs.data}
          rowKey={(v) => v.id}
          paging={paging}
          defaultSort={{ key: DEFAULT_SORT.sort, dir: DEFAULT_SORT.dir }}
          isFetching={vpcs.isPlaceholderData}
        />
      )}
      <CreateVpcDialog isOpen={isCreating} onClose={() => setCreating(false)} />
    </>
  );
}
