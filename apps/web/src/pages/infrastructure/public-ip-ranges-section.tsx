// The zone's public IP ranges (its Public traffic): each range as a bar whose fill is the share of acquired
// addresses (publicIpRanges.list counts them), like the VLAN/VNI range bars; admins add and delete ranges.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Globe, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { PublicIpRangeDialog } from './public-ip-range-dialog';

type PublicIpRange = Outputs['publicIpRanges']['list'][number];

const spanLabel = (r: PublicIpRange) => `${r.startIp} – ${r.endIp}`;

function UsageBar({ range, widest }: { range: PublicIpRange; widest: number }) {
  // Widths are relative to the largest range (min 12 % so tiny ranges stay visible), as in RangeBars.
  const width = Math.max(12, (range.size / Math.max(widest, 1)) * 100);
  const pct = range.size === 0 ? 0 : (range.used / range.size) * 100;
  const full = range.used >= range.size;
  return (
    // A styled div, not <meter>: the bar's own width encodes the range size, which <meter> cannot.
    // biome-ignore lint/a11y/useSemanticElements: see above
    <div
      role="meter"
      aria-label={`Public IP range ${range.cidr} in use`}
      aria-valuemin={0}
      aria-valuemax={range.size}
      aria-valuenow={range.used}
      className="h-3 overflow-hidden rounded-sm bg-emerald-100 ring-1 ring-emerald-300 ring-inset dark:bg-emerald-950 dark:ring-emerald-800"
      style={{ width: `${width}%` }}
    >
      <div
        className={`h-full ${full ? 'bg-red-600 dark:bg-red-500' : 'bg-emerald-600 dark:bg-emerald-500'}`}
        style={{ width: `${Math.max(pct, range.used ? 1 : 0)}%` }}
      />
    </div>
  );
}

export function PublicIpRangesSection({ zoneId }: { zoneId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canEdit = useCan('inventory.edit');
  const [isAdding, setAdding] = useState(false);
  const ranges = useQuery(trpc.publicIpRanges.list.queryOptions({ zoneId }));
  const remove = useMutation(
    trpc.publicIpRanges.delete.mutationOptions({
      onSuccess: () => {
        toast.success('Public IP range deleted');
        void queryClient.invalidateQueries({ queryKey: trpc.publicIpRanges.list.queryKey({ zoneId }) });
      },
      onError: (e) => toast.error(e),
    }),
  );

  return (
    <section aria-labelledby={`public-ips-${zoneId}`} className="space-y-2">
      <div className="flex items-center justify-between">
        <h3
          id={`public-ips-${zoneId}`}
          className="text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400"
        >
          Public IP ranges
        </h3>
        {canEdit && (
          <Button size="sm" onClick={() => setAdding(true)} icon={<Plus aria-hidden className="size-4" />}>
            Add public IP range
          </Button>
        )}
      </div>
      {ranges.isPending ? (
        <LoadingRows rows={2} />
      ) : ranges.error ? (
        <ErrorState error={ranges.error} onRetry={() => void ranges.refetch()} />
      ) : ranges.data.length === 0 ? (
        <EmptyState title="No public IP ranges in this zone" icon={<Globe className="size-8" />}>
          VPCs take their source-NAT address and the public IPs they acquire from these ranges of the zone's
          Public traffic.
        </EmptyState>
      ) : (
        <ul className="space-y-1.5" aria-label="Public IP ranges">
          {ranges.data.map((r) => (
            <li key={r.id} className="flex items-center gap-2 text-xs">
              <span className="w-72 shrink-0">
                <span className="font-mono tabular-nums">{r.cidr}</span>{' '}
                <span className="text-slate-600 dark:text-slate-300">
                  {r.vlan === null ? 'untagged' : `VLAN ${r.vlan}`}
                </span>
                <span className="block font-mono tabular-nums text-slate-500 dark:text-slate-400">
                  {spanLabel(r)} · gw {r.gateway}
                </span>
              </span>
              <div className="flex-1">
                <UsageBar range={r} widest={Math.max(...ranges.data.map((x) => x.size))} />
              </div>
              <span className="w-28 shrink-0 text-right tabular-nums text-slate-600 dark:text-slate-300">
                {r.used} / {r.size.toLocaleString()} used
              </span>
              {canEdit && (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Delete public IP range ${r.cidr} ${spanLabel(r)}`}
                  isBusy={remove.isPending && remove.variables?.id === r.id}
                  onClick={() => {
                    if (window.confirm(`Delete public IP range ${r.cidr} (${spanLabel(r)})?`))
                      remove.mutate({ id: r.id });
                  }}
                  icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <PublicIpRangeDialog isOpen={isAdding} onClose={() => setAdding(false)} zoneId={zoneId} />
    </section>
  );
}
