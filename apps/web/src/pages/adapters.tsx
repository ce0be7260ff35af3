// Adapters: every adapter found at start with its version, status (Fully Loaded or why not), where it came from
// (built-in or installed), the adapter-sdk range it declares, how it runs (in process, or a supervised process with
// pid, uptime, restarts, last crash, memory; refreshed while the page is open), services and capabilities; admins
// reload an out-of-process adapter (adapters-runtime.tsx).
import { useQuery } from '@tanstack/react-query';
import { Plug } from 'lucide-react';
import { CapabilityValueView } from '../components/capability-value';
import { Card, PageHeader } from '../components/page';
import { StateBadge } from '../components/state-badge';
import { EmptyState, ErrorState, LoadingCards } from '../components/states';
import type { Outputs } from '../lib/api-types';
import { useCan } from '../lib/can';
import { useTRPC } from '../lib/trpc';
import { ReloadControl, RuntimeSection } from './adapters-runtime';
import { canReload } from './adapters-runtime-model';

type Adapter = Outputs['adapters']['list'][number];

/** Pid, uptime and restarts move while the page is open; a crash or a reload elsewhere shows within this. */
const REFRESH_MS = 5000;

export function AdaptersPage() {
  const trpc = useTRPC();
  const adapters = useQuery(trpc.adapters.list.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const mayReload = useCan('inventory.edit');
  return (
    <>
      <PageHeader
        title="Adapters"
        description="Vendor adapters registered at start: built in, or installed (NETPLANE_ADAPTERS, <data dir>/adapters/). Each one is our NetworkElement for one kind of controller."
      />
      {adapters.isPending ? (
        <LoadingCards count={2} />
      ) : adapters.error ? (
        <ErrorState error={adapters.error} onRetry={() => void adapters.refetch()} />
      ) : adapters.data.length === 0 ? (
        <EmptyState title="No adapters registered" icon={<Plug className="size-8" />}>
          The server found no adapter package at start; check its log for "Unable to load".
        </EmptyState>
      ) : (
        <div className="space-y-4">
          {adapters.data.map((a) => (
            <AdapterCard key={a.id} adapter={a} mayReload={mayReload} />
          ))}
        </div>
      )}
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-sm break-words">{children}</dd>
    </div>
  );
}

/** The line the server logs, e.g. `Unable to load adapter acme 1.2.0: built for adapter-sdk ^2.0, this server implements 1.0.0`. */
const refusalLine = (a: Adapter) =>
  `Unable to load adapter ${a.id}${a.version ? ` ${a.version}` : ''}: ${a.reason}`;

function Origin({ adapter: a }: { adapter: Adapter }) {
  return (
    <>
      <Fact label="Source">
        <span className="wrap-anywhere">{a.source}</span>
      </Fact>
      <Fact label="SDK range">
        {a.sdkRange ? <code className="font-mono text-xs">{a.sdkRange}</code> : 'compiled with the server'}
      </Fact>
    </>
  );
}

function AdapterCard({ adapter: a, mayReload }: { adapter: Adapter; mayReload: boolean }) {
  const m = a.manifest;
  return (
    <Card
      actions={mayReload && canReload(a) ? <ReloadControl adapter={a} /> : undefined}
      title={
        <span className="flex flex-wrap items-center gap-2">
          {m?.displayName ?? a.id}
          <span className="font-mono text-xs font-normal text-slate-500 dark:text-slate-400">
            {a.id}
            {a.version && ` ${a.version}`}
          </span>
          <StateBadge state={a.status === 'Fully Loaded' ? 'Fully Loaded' : 'Error'} />
        </span>
      }
    >
      {!m ? (
        <div className="space-y-3">
          <p role="alert" className="text-sm break-words text-red-700 dark:text-red-400">
            {refusalLine(a)}
          </p>
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Origin adapter={a} />
          </dl>
        </div>
      ) : (
        <div className="space-y-4">
          <p className="text-sm text-slate-600 dark:text-slate-300">{m.description}</p>
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Fact label="Vendor">{m.vendor}</Fact>
            <Fact label="Version">{m.version}</Fact>
            <Origin adapter={a} />
            <Fact label="Protocol">{m.protocol}</Fact>
            <Fact label="Isolation methods">{m.isolationMethods.join(', ')}</Fact>
            <Fact label="Endpoint">
              <code className="font-mono text-xs wrap-anywhere">{m.endpointHint}</code>
            </Fact>
            <Fact label="Credential fields">{m.credentialFields.join(', ') || 'none'}</Fact>
            <Fact label="Recommended limits">
              {m.limits.recommendedConcurrency} concurrent · {m.limits.recommendedCallsPerSecond}/s · batch{' '}
              {m.limits.maxBatchSize}
            </Fact>
            <Fact label="Idempotent by key">{m.idempotentByKey ? 'yes' : 'no'}</Fact>
            <Fact label="Batch prepare">{m.supportsBatchPrepare ? 'yes' : 'no'}</Fact>
          </dl>
          <RuntimeSection adapter={a} />
          {(m.serviceDependencies.length > 0 || !m.canEnableIndividualServices) && (
            <ul className="list-inside list-disc text-sm text-slate-600 dark:text-slate-300">
              {!m.canEnableIndividualServices && <li>Its services are enabled together, not one by one.</li>}
              {m.serviceGroups.map((g) => (
                <li key={g.join('+')}>Enabled together: {g.join(', ')}</li>
              ))}
              {m.serviceDependencies.map((d) => (
                <li key={d.service}>
                  {d.service} needs {d.requires.join(', ')}
                </li>
              ))}
            </ul>
          )}
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Services and capabilities of {m.displayName}</caption>
              <thead className="text-xs text-slate-500 dark:text-slate-400">
                <tr>
                  <th scope="col" className="w-40 py-1 pr-3 font-medium">
                    Service
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Capabilities
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {Object.entries(m.services).map(([service, caps]) => (
                  <tr key={service}>
                    <th scope="row" className="py-1.5 pr-3 font-medium">
                      {service}
                    </th>
                    <td className="py-1.5">
                      {Object.keys(caps ?? {}).length === 0 ? (
                        <span className="text-slate-500 dark:text-slate-400">—</span>
                      ) : (
                        <ul className="flex flex-wrap gap-x-4 gap-y-1">
                          {Object.entries(caps ?? {}).map(([name, value]) => (
                            <li key={name} className="text-xs">
                              <span className="text-slate-500 dark:text-slate-400">{name}:</span>{' '}
                              <CapabilityValueView value={value} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Card>
  );
}
