// One zone: its header with actions, then its physical networks and its public IP ranges.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Network, Pencil, Plus, Power, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { StateBadge } from '../../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { PhysicalNetworkCard } from './physical-network-card';
import { PhysicalNetworkDialog } from './physical-network-dialog';
import { PublicIpRangesSection } from './public-ip-ranges-section';
import { ZoneDialog } from './zone-dialog';

type Zone = Outputs['zones']['list'][number];

export function ZoneDetail({ zone }: { zone: Zone }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canEdit = useCan('inventory.edit');
  const [isEditing, setEditing] = useState(false);
  const [isAddingPn, setAddingPn] = useState(false);
  const pns = useQuery(trpc.physicalNetworks.list.queryOptions({ zoneId: zone.id }));
  const refreshZones = () => queryClient.invalidateQueries({ queryKey: trpc.zones.list.queryKey() });
  const setState = useMutation(
    trpc.zones.update.mutationOptions({
      onSuccess: () => void refreshZones(),
      onError: (e) => toast.error(e),
    }),
  );
  const remove = useMutation(
    trpc.zones.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Zone ${zone.name} deleted`);
        void refreshZones();
      },
      onError: (e) => toast.error(e),
    }),
  );

  return (
    <div className="min-w-0 space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="flex items-center gap-2 text-lg font-semibold">
            {zone.name} <StateBadge state={zone.state} />
          </h2>
          {zone.description && (
            <p className="text-sm text-slate-600 dark:text-slate-300">{zone.description}</p>
          )}
          <p className="text-sm text-slate-600 dark:text-slate-300">
            DNS {zone.dnsServers.join(', ')}
            {zone.dnsDomain ? ` · domain ${zone.dnsDomain}` : ''}
          </p>
        </div>
        {canEdit && (
          <div className="flex flex-wrap gap-2">
            <Button
              size="sm"
              onClick={() => setEditing(true)}
              icon={<Pencil aria-hidden className="size-4" />}
            >
              Edit
            </Button>
            <Button
              size="sm"
              isBusy={setState.isPending}
              onClick={() =>
                setState.mutate({
                  id: zone.id,
                  version: zone.version,
                  state: zone.state === 'Enabled' ? 'Disabled' : 'Enabled',
                })
              }
              icon={<Power aria-hidden className="size-4" />}
            >
              {zone.state === 'Enabled' ? 'Disable' : 'Enable'}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              isBusy={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete zone ${zone.name}?`)) remove.mutate({ id: zone.id });
              }}
              icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
            >
              Delete
            </Button>
          </div>
        )}
      </div>

      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
          Physical networks
        </h3>
        {canEdit && (
          <Button
            size="sm"
            variant="primary"
            onClick={() => setAddingPn(true)}
            icon={<Plus aria-hidden className="size-4" />}
          >
            Add physical network
          </Button>
        )}
      </div>
      {pns.isPending ? (
        <LoadingRows rows={3} />
      ) : pns.error ? (
        <ErrorState error={pns.error} onRetry={() => void pns.refetch()} />
      ) : pns.data.length === 0 ? (
        <EmptyState title="No physical networks in this zone" icon={<Network className="size-8" />}>
          A physical network carries guest traffic with an isolation method (VLAN, VXLAN, ...), labels, and
          ranges of VLAN ids or VNIs.
        </EmptyState>
      ) : (
        pns.data.map((pn) => <PhysicalNetworkCard key={pn.id} pn={pn} />)
      )}
      <PublicIpRangesSection zoneId={zone.id} />
      <ZoneDialog isOpen={isEditing} onClose={() => setEditing(false)} zone={zone} />
      <PhysicalNetworkDialog isOpen={isAddingPn} onClose={() => setAddingPn(false)} zoneId={zone.id} />
    </div>
  );
}
