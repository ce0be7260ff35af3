// Infrastructure: zones → physical networks → providers → controllers, on one page, drilled into by zone.
import { useQuery } from '@tanstack/react-query';
import { Map as MapIcon, Plus } from 'lucide-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '../../components/button';
import { PageHeader } from '../../components/page';
import { StateBadge } from '../../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { useCan } from '../../lib/can';
import { cx } from '../../lib/cx';
import { useTRPC } from '../../lib/trpc';
import { ZoneDetail } from './zone-detail';
import { ZoneDialog } from './zone-dialog';

export function InfrastructurePage() {
  const trpc = useTRPC();
  const canEdit = useCan('inventory.edit');
  const [params, setParams] = useSearchParams();
  const [isCreating, setCreating] = useState(false);
  const zones = useQuery(trpc.zones.list.queryOptions());
  const selectedId = params.get('zone') ?? zones.data?.[0]?.id;
  const selected = zones.data?.find((z) => z.id === selectedId);

  return (
    <>
      <PageHeader
        title="Infrastructure"
        description="Zones hold physical networks; each physical network has providers backed by adapters; each provider talks to its controllers."
        actions={
          canEdit && (
            <Button
              variant="primary"
              onClick={() => setCreating(true)}
              icon={<Plus aria-hidden className="size-4" />}
            >
              New zone
            </Button>
          )
        }
      />
      {zones.isPending ? (
        <LoadingRows />
      ) : zones.error ? (
        <ErrorState error={zones.error} onRetry={() => void zones.refetch()} />
      ) : zones.data.length === 0 ? (
        <EmptyState
          title="No zones yet"
          icon={<MapIcon className="size-8" />}
          action={
            canEdit && (
              <Button
                variant="primary"
                onClick={() => setCreating(true)}
                icon={<Plus aria-hidden className="size-4" />}
              >
                Create the first zone
              </Button>
            )
          }
        >
          A zone is the top of the inventory: a data centre or an availability zone with its own physical
          networks.
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[13rem_1fr]">
          <nav aria-label="Zones">
            <ul className="flex flex-wrap gap-1 lg:block lg:space-y-1">
              {zones.data.map((z) => (
                <li key={z.id}>
                  <button
                    type="button"
                    aria-current={z.id === selectedId ? 'true' : undefined}
                    onClick={() => setParams({ zone: z.id })}
                    className={cx(
                      'flex items-center justify-between gap-2 rounded-md px-3 py-2 text-left text-sm lg:w-full',
                      z.id === selectedId
                        ? 'bg-white font-medium shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700'
                        : 'hover:bg-slate-100 dark:hover:bg-slate-800',
                    )}
                  >
                    <span className="truncate">{z.name}</span>
                    {z.state !== 'Enabled' && <StateBadge state={z.state} />}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {selected ? <ZoneDetail zone={selected} /> : <EmptyState title="Choose a zone" />}
        </div>
      )}
      <ZoneDialog
        isOpen={isCreating}
        onClose={() => setCreating(false)}
        onSaved={(z) => setParams({ zone: z.id })}
      />
    </>
  );
}
