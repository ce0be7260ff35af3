// One physical network: isolation, labels, ranges drawn with their use, traffic types, then its providers.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Power, Tag, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { Card } from '../../components/page';
import { RangeBars } from '../../components/range-bars';
import { StateBadge } from '../../components/state-badge';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { PhysicalNetworkDialog } from './physical-network-dialog';
import { ProvidersSection } from './providers-section';

type PhysicalNetwork = Outputs['physicalNetworks']['list'][number];

export function Chip({ children, tone = 'slate' }: { children: React.ReactNode; tone?: 'slate' | 'sky' }) {
  return (
    <span
      className={
        tone === 'sky'
          ? 'rounded bg-sky-100 px-1.5 py-0.5 font-mono text-xs text-sky-900 dark:bg-sky-900/50 dark:text-sky-100'
          : 'rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-200'
      }
    >
      {children}
    </span>
  );
}

export function PhysicalNetworkCard({ pn }: { pn: PhysicalNetwork }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canEdit = useCan('inventory.edit');
  const [isEditing, setEditing] = useState(false);
  const usage = useQuery(trpc.physicalNetworks.rangeUsage.queryOptions({ id: pn.id }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.physicalNetworks.list.queryKey() });
  const setState = useMutation(
    trpc.physicalNetworks.setState.mutationOptions({
      onSuccess: () => void refresh(),
      onError: (e) => toast.error(e),
    }),
  );
  const remove = useMutation(
    trpc.physicalNetworks.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Physical network ${pn.name} deleted`);
        void refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const rangesOf = (kind: 'vlan' | 'vni') =>
    usage.data
      ? usage.data.filter((r) => r.kind === kind)
      : (kind === 'vlan' ? pn.vlanRanges : pn.vniRanges).map((r) => ({ ...r, used: undefined }));

  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          {pn.name} <StateBadge state={pn.state} />
        </span>
      }
      actions={
        canEdit && (
          <>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setEditing(true)}
              icon={<Pencil aria-hidden className="size-4" />}
            >
              Edit
            </Button>
            <Button
              size="sm"
              variant="ghost"
              isBusy={setState.isPending}
              onClick={() =>
                setState.mutate({ id: pn.id, state: pn.state === 'Enabled' ? 'Disabled' : 'Enabled' })
              }
              icon={<Power aria-hidden className="size-4" />}
            >
              {pn.state === 'Enabled' ? 'Disable' : 'Enable'}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Delete ${pn.name}`}
              onClick={() => {
                if (window.confirm(`Delete physical network ${pn.name}?`)) remove.mutate({ id: pn.id });
              }}
              icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
            />
          </>
        )
      }
    >
      <div className="grid gap-4 lg:grid-cols-2">
        <dl className="space-y-2 text-sm">
          <div className="flex flex-wrap items-center gap-1.5">
            <dt className="w-28 text-slate-500 dark:text-slate-400">Isolation</dt>
            {pn.isolationMethods.map((m) => (
              <dd key={m}>
                <Chip tone="sky">{m}</Chip>
              </dd>
            ))}
          </div>
          <div className="flex flex-wrap items-center gap-1.5">
            <dt className="w-28 text-slate-500 dark:text-slate-400">Labels</dt>
            {pn.tags.length === 0 ? (
              <dd className="text-slate-500 dark:text-slate-400">none</dd>
            ) : (
              pn.tags.map((t) => (
                <dd key={t}>
                  <Chip>
                    <Tag aria-hidden className="mr-0.5 inline size-3" />
                    {t}
                  </Chip>
                </dd>
              ))
            )}
          </div>
          <div className="flex flex-wrap items-start gap-1.5">
            <dt className="w-28 text-slate-500 dark:text-slate-400">Traffic types</dt>
            <dd className="flex-1">
              {pn.trafficTypes.length === 0 ? (
                <span className="text-slate-500 dark:text-slate-400">none</span>
              ) : (
                <ul className="space-y-1">
                  {pn.trafficTypes.map((t) => (
                    <li key={t.type} className="flex flex-wrap items-center gap-1.5">
                      <span className="font-medium">{t.type}</span>
                      {Object.entries(t.labels).map(([hv, label]) => (
                        <Chip key={hv}>
                          {hv}: {label}
                        </Chip>
                      ))}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div className="flex flex-wrap items-start gap-1.5">
            <dt className="w-28 text-slate-500 dark:text-slate-400">MTU</dt>
            <dd className="flex-1">{pn.mtu}</dd>
          </div>
        </dl>
        <div className="space-y-3">
          {(pn.vlanRanges.length > 0 || pn.vniRanges.length === 0) && (
            <div>
              <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                VLAN ranges
              </p>
              <RangeBars kind="vlan" ranges={rangesOf('vlan')} />
            </div>
          )}
          {pn.vniRanges.length > 0 && (
            <div>
              <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                VNI ranges
              </p>
              <RangeBars kind="vni" ranges={rangesOf('vni')} />
            </div>
          )}
        </div>
      </div>
      <ProvidersSection pn={pn} />
      <PhysicalNetworkDialog
        isOpen={isEditing}
        onClose={() => setEditing(false)}
        zoneId={pn.zoneId}
        pn={pn}
      />
    </Card>
  );
}
