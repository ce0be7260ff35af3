// The public addresses a VPC holds (publicIps of the VPC): its source-NAT address and those acquired for static NAT
// and load balancers, each with the rules on it; acquire a new one, release a free one (asked first). The static NAT
// and LB dialogs pick from these, and offer the same "Acquire a new address" when none is free.
import type { RuleAddress } from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MapPin, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Card } from '../../components/page';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { addressUseText } from './rule-checks';
import { useVpcAddresses, type Vpc } from './rule-parts';

type Row = { id: string; address: string; purpose: 'SourceNat' | 'User'; use: RuleAddress | undefined };

/** After an acquire or a release: the VPC's address list and every tier's options (their address picks) again. */
function useRefreshAddresses(vpcId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.publicIps.list.queryKey({ vpcId, limit: 200 }) });
    void queryClient.invalidateQueries({ queryKey: trpc.publicServices.options.queryKey() });
  };
}

/** Acquires the next free address of the zone's public IP ranges for the VPC; says why when there is none. */
export function AcquireAddressButton({
  vpcId,
  onAcquired,
}: {
  vpcId: string;
  onAcquired?: (ip: { id: string; address: string }) => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshAddresses(vpcId);
  const acquire = useMutation(
    trpc.publicIps.acquire.mutationOptions({
      onSuccess: (ip) => {
        toast.success(`Acquired ${ip.address}`);
        refresh();
        onAcquired?.(ip);
      },
      onError: (e) => toast.error(e),
    }),
  );
  return (
    <Button
      size="sm"
      variant="secondary"
      onClick={() => acquire.mutate({ vpcId })}
      isBusy={acquire.isPending}
      icon={<Plus aria-hidden className="size-4" />}
    >
      Acquire a new address
    </Button>
  );
}

export function VpcAddressesSection({ vpc }: { vpc: Vpc }) {
  const trpc = useTRPC();
  const toast = useToast();
  const canProvision = useCan('provision');
  const refresh = useRefreshAddresses(vpc.id);
  const [toRelease, setToRelease] = useState<Row | null>(null);
  // Polled like the rule sections: the page invalidates everything when a job it watches ends, but an implement that
  // starts and ends between two polls of the VPC is never watched, and its source-NAT address would never show.
  const list = useQuery(
    trpc.publicIps.list.queryOptions({ vpcId: vpc.id, limit: 200 }, { refetchInterval: 5000 }),
  );
  const { addresses: uses } = useVpcAddresses(vpc);
  const release = useMutation(
    trpc.publicIps.release.mutationOptions({
      onSuccess: () => {
        toast.success(`Released ${toRelease?.address ?? 'the address'}`);
        setToRelease(null);
        refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const rows: Row[] = (list.data?.items ?? []).map((ip) => ({
    id: ip.id,
    address: ip.address,
    purpose: ip.purpose,
    use: uses.find((u) => u.id === ip.id),
  }));
  const columns: Column<Row>[] = [
    {
      key: 'address',
      header: 'Address',
      sortValue: (r) => r.address,
      render: (r) => <span className="font-mono text-xs">{r.address}</span>,
    },
    {
      key: 'purpose',
      header: 'Purpose',
      sortValue: (r) => r.purpose,
      render: (r) => (r.purpose === 'SourceNat' ? 'Source NAT' : 'Static NAT / load balancers'),
    },
    {
      key: 'use',
      header: 'Used by',
      render: (r) =>
        r.use ? addressUseText(r.use) : r.purpose === 'SourceNat' ? 'Source NAT of the VPC' : '…',
    },
    ...(canProvision
      ? [
          {
            key: 'actions',
            header: 'Actions',
            render: (r: Row) =>
              r.purpose === 'User' && (r.use?.usedBy.length ?? 0) === 0 ? (
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => setToRelease(r)}
                  icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
                  aria-label={`Release ${r.address}`}
                >
                  Release
                </Button>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <Card
      id="public-addresses"
      title={`Public addresses${list.data ? ` (${list.data.items.length})` : ''}`}
      actions={canProvision && <AcquireAddressButton vpcId={vpc.id} />}
    >
      {list.isPending ? (
        <LoadingRows rows={2} label="Loading public addresses" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length > 0 ? (
        <Table
          caption={`Public addresses of ${vpc.name}`}
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          pageSize={10}
          initialSort={{ key: 'address', direction: 'ascending' }}
        />
      ) : (
        <EmptyState title="No public address yet" icon={<MapPin className="size-8" />}>
          Static NAT and load balancers take an address the VPC acquired from its zone's public IP ranges.
          {canProvision ? ' Acquire one to start.' : ''}
        </EmptyState>
      )}
      <ConfirmDialog
        isOpen={toRelease !== null}
        onClose={() => setToRelease(null)}
        title="Release this address?"
        confirmLabel="Release address"
        isBusy={release.isPending}
        onConfirm={() => toRelease && release.mutate({ id: toRelease.id })}
      >
        {toRelease && <p>{toRelease.address} goes back to the zone's public IP ranges.</p>}
      </ConfirmDialog>
    </Card>
  );
}
