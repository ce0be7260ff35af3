// VPCs: the list with filters by state, zone and condition, and creation from a VPC offering.
import { NETWORK_STATES } from '@netplane/domain';
import { useQuery } from '@tanstack/react-query';
import { Cloud, Plus } from 'lucide-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../components/button';
import { ConditionPills } from '../../components/condition-pills';
import { FilterSelect } from '../../components/field';
import { PageHeader } from '../../components/page';
import { StateBadge } from '../../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import type { Inputs, Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { formatAgo } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { CreateVpcDialog } from './create-vpc-dialog';

type Vpc = Outputs['vpcs']['list'][number];

const CONDITION_FILTERS = [
  { value: 'Ready:True', label: 'Ready' },
  { value: 'Ready:False', label: 'Not Ready' },
  { value: 'Synced:False', label: 'Not Synced (drift)' },
  { value: 'Synced:Unknown', label: 'Never reconciled' },
];

export function VpcsPage() {
  const trpc = useTRPC();
  const canProvision = useCan('provision');
  const [params, setParams] = useSearchParams();
  const [isCreating, setCreating] = useState(false);
  const state = params.get('state') ?? '';
  const zoneId = params.get('zone') ?? '';
  const condition = params.get('condition') ?? '';
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const zones = useQuery(trpc.zones.list.queryOptions());
  const [condType, condStatus] = condition.split(':');
  const input: Inputs['vpcs']['list'] = {
    ...(state ? { state } : {}),
    ...(zoneId ? { zoneId } : {}),
    ...(condType && condStatus
      ? {
          condition: {
            type: condType as 'Ready' | 'Synced',
            status: condStatus as 'True' | 'False' | 'Unknown',
          },
        }
      : {}),
    includeDestroyed: state === 'Destroy',
  };
  const vpcs = useQuery(trpc.vpcs.list.queryOptions(input, { refetchInterval: 5000 }));
  const zoneName = (id: string) => zones.data?.find((z) => z.id === id)?.name ?? id.slice(0, 8);

  const columns: Column<Vpc>[] = [
    {
      key: 'name',
      header: 'Name',
      sortValue: (v) => v.name,
      render: (v) => (
        <Link to={`/vpcs/${v.id}`} className="font-medium text-sky-700 underline dark:text-sky-400">
          {v.name}
        </Link>
      ),
    },
    {
      key: 'state',
      header: 'State',
      sortValue: (v) => v.state,
      render: (v) => <StateBadge state={v.state} />,
    },
    { key: 'conditions', header: 'Conditions', render: (v) => <ConditionPills conditions={v.conditions} /> },
    { key: 'zone', header: 'Zone', sortValue: (v) => zoneName(v.zoneId), render: (v) => zoneName(v.zoneId) },
    {
      key: 'cidr',
      header: 'CIDR',
      sortValue: (v) => v.cidr,
      render: (v) => <span className="font-mono text-xs">{v.cidr}</span>,
    },
    { key: 'by', header: 'Created by', sortValue: (v) => v.createdBy, render: (v) => v.createdBy },
    {
      key: 'updated',
      header: 'Changed',
      sortValue: (v) => v.updatedAt,
      render: (v) => formatAgo(v.updatedAt),
    },
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
      </search>
      {vpcs.isPending ? (
        <LoadingRows />
      ) : vpcs.error ? (
        <ErrorState error={vpcs.error} onRetry={() => void vpcs.refetch()} />
      ) : vpcs.data.length === 0 ? (
        <EmptyState
          title={state || zoneId || condition ? 'No VPC matches these filters' : 'No VPCs yet'}
          icon={<Cloud className="size-8" />}
          action={
            canProvision &&
            !(state || zoneId || condition) && (
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
        <Table
          caption="VPCs"
          columns={columns}
          rows={vpcs.data}
          rowKey={(v) => v.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
        />
      )}
      <CreateVpcDialog isOpen={isCreating} onClose={() => setCreating(false)} />
    </>
  );
}
