// The providers of a physical network: state changes (Enabled / Disabled / Shutdown), services, and their controllers.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { StateBadge } from '../../components/state-badge';
import { ErrorState, LoadingRows } from '../../components/states';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { ControllersTable } from './controllers-table';
import { Chip } from './physical-network-card';
import { ProviderDialog } from './provider-dialog';
import { ProviderEditDialog } from './provider-edit-dialog';

type PhysicalNetwork = Outputs['physicalNetworks']['list'][number];
type Provider = Outputs['providers']['list'][number];

export function ProvidersSection({ pn }: { pn: PhysicalNetwork }) {
  const trpc = useTRPC();
  const canEdit = useCan('inventory.edit');
  const [isAdding, setAdding] = useState(false);
  const providers = useQuery(trpc.providers.list.queryOptions({ physicalNetworkId: pn.id }));
  return (
    <div className="mt-4 border-t border-slate-200 pt-3 dark:border-slate-700">
      <div className="mb-2 flex items-center justify-between">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
          Providers
        </h4>
        {canEdit && (
          <Button size="sm" onClick={() => setAdding(true)} icon={<Plus aria-hidden className="size-4" />}>
            Add provider
          </Button>
        )}
      </div>
      {providers.isPending ? (
        <LoadingRows rows={2} />
      ) : providers.error ? (
        <ErrorState error={providers.error} onRetry={() => void providers.refetch()} />
      ) : providers.data.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No provider yet: add one backed by an adapter (for example the simulator) to offer services here.
        </p>
      ) : (
        <div className="space-y-3">
          {providers.data.map((p) => (
            <ProviderBlock key={p.id} provider={p} />
          ))}
        </div>
      )}
      <ProviderDialog isOpen={isAdding} onClose={() => setAdding(false)} physicalNetworkId={pn.id} />
    </div>
  );
}

function ProviderBlock({ provider }: { provider: Provider }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canEdit = useCan('inventory.edit');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey() });
  const setState = useMutation(
    trpc.providers.setState.mutationOptions({
      onSuccess: (p) => {
        toast.success(`${p.name} is now ${p.state}`);
        void refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const remove = useMutation(
    trpc.providers.delete.mutationOptions({
      onSuccess: () => void refresh(),
      onError: (e) => toast.error(e),
    }),
  );
  const [isEditing, setEditing] = useState(false);
  const isShutdown = provider.state === 'Shutdown';
  const narrowed = Object.keys(provider.capabilityOverrides).length > 0;
  return (
    <div className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{provider.name}</span>
          <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{provider.adapterId}</span>
          <StateBadge state={provider.state} />
        </div>
        {canEdit && (
          <div className="flex flex-wrap gap-1">
            {!isShutdown && (
              <Button
                size="sm"
                aria-label={`Edit provider ${provider.name}`}
                onClick={() => setEditing(true)}
                icon={<Pencil aria-hidden className="size-4" />}
              >
                Edit
              </Button>
            )}
            {provider.state !== 'Enabled' && !isShutdown && (
              <Button
                size="sm"
                onClick={() => setState.mutate({ id: provider.id, state: 'Enabled' })}
                isBusy={setState.isPending}
              >
                Enable
              </Button>
            )}
            {provider.state === 'Enabled' && (
              <Button
                size="sm"
                onClick={() => setState.mutate({ id: provider.id, state: 'Disabled' })}
                isBusy={setState.isPending}
              >
                Disable
              </Button>
            )}
            {!isShutdown && (
              <Button
                size="sm"
                onClick={() => {
                  if (
                    window.confirm(
                      `Shut down ${provider.name}? This is final: the provider must be deleted and added again.`,
                    )
                  )
                    setState.mutate({ id: provider.id, state: 'Shutdown' });
                }}
              >
                Shut down
              </Button>
            )}
            {provider.state !== 'Enabled' && (
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Delete provider ${provider.name}`}
                onClick={() => {
                  if (window.confirm(`Delete provider ${provider.name}?`)) remove.mutate({ id: provider.id });
                }}
                icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
              />
            )}
          </div>
        )}
      </div>
      <div className="mt-2 flex flex-wrap gap-1">
        {provider.enabledServices.map((s) => (
          <Chip key={s}>{s}</Chip>
        ))}
        {narrowed && <Chip tone="sky">capabilities narrowed</Chip>}
      </div>
      <ControllersTable provider={provider} />
      {canEdit && (
        <ProviderEditDialog provider={provider} isOpen={isEditing} onClose={() => setEditing(false)} />
      )}
    </div>
  );
}
