// Simulator: per simulated controller, its profile (latency, limits), scripted faults and call statistics, live.
import { useQuery } from '@tanstack/react-query';
import { FlaskConical } from 'lucide-react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { useTRPC } from '../../lib/trpc';
import { SimulatorPanel } from './simulator-panel';

export function SimulatorPage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const controllers = useQuery(trpc.controllers.list.queryOptions({}));
  const simulated = (controllers.data ?? []).filter((c) => c.protocol === 'SIMULATED');
  const selectedId = params.get('controller') ?? simulated[0]?.id;

  return (
    <>
      <PageHeader
        title="Simulator"
        description="Script the simulated controllers: add latency, rate limits and capacity, or inject a fault to provoke each diagnosis (timeout, conflict, auth failure, ...)."
      />
      {controllers.isPending ? (
        <LoadingRows />
      ) : controllers.error ? (
        <ErrorState error={controllers.error} onRetry={() => void controllers.refetch()} />
      ) : simulated.length === 0 ? (
        <EmptyState title="No simulated controllers" icon={<FlaskConical className="size-8" />}>
          Add a controller to a provider backed by the simulator adapter (endpoint sim://name) under
          Infrastructure.
        </EmptyState>
      ) : (
        <>
          <div className="mb-4 flex items-center gap-2 text-sm">
            <label htmlFor="sim-controller" className="font-medium">
              Controller
            </label>
            <select
              id="sim-controller"
              value={selectedId}
              onChange={(e) => setParams({ controller: e.target.value })}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
            >
              {simulated.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.endpoint})
                </option>
              ))}
            </select>
          </div>
          {selectedId && <SimulatorPanel key={selectedId} controllerId={selectedId} />}
        </>
      )}
    </>
  );
}
