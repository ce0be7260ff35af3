// The controllers of a provider: endpoint, resource state, health with a latency sparkline, limits and actions.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Pencil, PlugZap, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { Sparkline } from '../../components/sparkline';
import { StateBadge } from '../../components/state-badge';
import { ErrorState, LoadingRows } from '../../components/states';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { formatAgo } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { ControllerDialog, RotateCredentialsDialog } from './controller-dialogs';

type Provider = Outputs['providers']['list'][number];
type Controller = Outputs['controllers']['list'][number];

export function ControllersTable({ provider }: { provider: Provider }) {
  const trpc = useTRPC();
  const canEdit = useCan('inventory.edit');
  const [editing, setEditing] = useState<Controller | 'new' | null>(null);
  const [rotating, setRotating] = useState<Controller | null>(null);
  const controllers = useQuery(trpc.controllers.list.queryOptions({ providerId: provider.id }));
  return (
    <div className="mt-3">
      <div className="mb-1 flex items-center justify-between">
        <h5 className="text-xs font-semibold text-slate-500 dark:text-slate-400">Controllers</h5>
        {canEdit && provider.state !== 'Shutdown' && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setEditing('new')}
            icon={<Plus aria-hidden className="size-4" />}
          >
            Add controller
          </Button>
        )}
      </div>
      {controllers.isPending ? (
        <LoadingRows rows={1} />
      ) : controllers.error ? (
        <ErrorState error={controllers.error} onRetry={() => void controllers.refetch()} />
      ) : controllers.data.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No controller: the provider cannot be enabled until it has one.
        </p>
      ) : (
        <ul
          className="divide-y divide-slate-100 dark:divide-slate-800"
          aria-label={`Controllers of ${provider.name}`}
        >
          {controllers.data.map((c) => (
            <ControllerRow
              key={c.id}
              controller={c}
              onEdit={() => setEditing(c)}
              onRotate={() => setRotating(c)}
            />
          ))}
        </ul>
      )}
      <ControllerDialog
        isOpen={editing !== null}
        onClose={() => setEditing(null)}
        provider={provider}
        controller={editing === 'new' || editing === null ? undefined : editing}
      />
      <RotateCredentialsDialog controller={rotating} onClose={() => setRotating(null)} />
    </div>
  );
}

function ControllerRow({
  controller: c,
  onEdit,
  onRotate,
}: {
  controller: Controller;
  onEdit: () => void;
  onRotate: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canEdit = useCan('inventory.edit');
  const history = useQuery(trpc.controllers.healthHistory.queryOptions({ id: c.id, limit: 40 }));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.controllers.list.queryKey() });
    void queryClient.invalidateQueries({
      queryKey: trpc.controllers.healthHistory.queryKey({ id: c.id, limit: 40 }),
    });
  };
  const test = useMutation(
    trpc.controllers.testConnection.mutationOptions({
      onSuccess: (r) => {
        if (r.ok)
          toast.success(
            `${c.name} answered in ${r.latencyMs} ms${r.version ? ` (version ${r.version})` : ''}`,
          );
        else toast.error(`${c.name}: ${r.category ?? 'failed'}${r.detail ? ` — ${r.detail}` : ''}`);
        refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const setState = useMutation(
    trpc.controllers.setResourceState.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e) }),
  );
  const remove = useMutation(
    trpc.controllers.delete.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e) }),
  );
  const h = c.health;
  return (
    <li className="flex flex-wrap items-center gap-x-5 gap-y-2 py-2">
      <div className="min-w-44 flex-1">
        <div className="flex items-center gap-2 font-medium">
          {c.name} <StateBadge state={c.resourceState} />
        </div>
        <div className="font-mono text-xs text-slate-500 dark:text-slate-400">
          {c.protocol} · {c.endpoint}
        </div>
        <div className="text-xs tabular-nums text-slate-600 dark:text-slate-300">
          {c.limits.maxConcurrent} concurrent · {c.limits.callsPerSecond} calls/s ·{' '}
          {c.limits.timeoutMs / 1000} s timeout · credentials set
        </div>
        {/* What the last health check reported of the controller (e.g. a router host's kernel and tools). */}
        {h.version && (
          <div className="text-xs text-slate-600 dark:text-slate-300">
            <span className="text-slate-500 dark:text-slate-400">Version </span>
            <span className="font-mono">{h.version}</span>
          </div>
        )}
      </div>
      <div className="w-40 text-xs">
        {h.ok === null ? (
          <span className="text-slate-500 dark:text-slate-400">Health not checked yet</span>
        ) : (
          <>
            <span
              className={
                h.ok
                  ? 'font-medium text-emerald-700 dark:text-emerald-400'
                  : 'font-medium text-red-700 dark:text-red-400'
              }
            >
              {h.ok ? 'Healthy' : 'Failing'}
            </span>
            {h.latencyMs !== null && <span> · {h.latencyMs} ms</span>}
            <div className="text-slate-500 dark:text-slate-400">checked {formatAgo(h.checkedAt)}</div>
            {h.lastError && (
              <div className="truncate text-red-700 dark:text-red-400" title={h.lastError}>
                {h.lastError}
              </div>
            )}
          </>
        )}
      </div>
      <div className="w-40">
        {history.data ? (
          <Sparkline points={history.data} label={`Health checks of ${c.name}`} />
        ) : (
          <span className="text-xs text-slate-400">…</span>
        )}
      </div>
      {canEdit && (
        <div className="flex flex-wrap items-center gap-1">
          <Button
            size="sm"
            variant="ghost"
            onClick={() => test.mutate({ id: c.id })}
            isBusy={test.isPending}
            icon={<PlugZap aria-hidden className="size-4" />}
          >
            Test connection
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={onEdit}
            aria-label={`Edit ${c.name}`}
            icon={<Pencil aria-hidden className="size-4" />}
          />
          <Button
            size="sm"
            variant="ghost"
            onClick={onRotate}
            aria-label={`Rotate credentials of ${c.name}`}
            icon={<KeyRound aria-hidden className="size-4" />}
          />
          <select
            aria-label={`Resource state of ${c.name}`}
            value=""
            onChange={(e) => {
              const state = e.target.value as 'Enabled' | 'Disabled' | 'Maintenance';
              if (state) setState.mutate({ id: c.id, state });
            }}
            className="h-8 rounded-md border border-slate-300 bg-white px-1 text-xs dark:border-slate-600 dark:bg-slate-900"
          >
            <option value="">Set state…</option>
            <option value="Enabled">Enable</option>
            <option value="Disabled">Disable</option>
            <option value="Maintenance">Maintenance</option>
          </select>
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Delete ${c.name}`}
            onClick={() => {
              if (window.confirm(`Delete controller ${c.name}?`)) remove.mutate({ id: c.id });
            }}
            icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
          />
        </div>
      )}
    </li>
  );
}
