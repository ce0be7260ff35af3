// Capability matrix: providers × services as a grid; every empty cell says why (not offered, disabled, label mismatch).
import { type EmptyCellReason, SERVICES } from '@netplane/domain';
import { useQuery } from '@tanstack/react-query';
import { Ban, Check, CircleOff, Grid3x3, PlugZap, Tag, ToggleLeft } from 'lucide-react';
import { useState } from 'react';
import { CapabilityValueView } from '../components/capability-value';
import { Card, PageHeader } from '../components/page';
import { StateBadge } from '../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../components/states';
import type { Outputs } from '../lib/api-types';
import { cx } from '../lib/cx';
import { useTRPC } from '../lib/trpc';

type Matrix = Outputs['capabilities']['matrix'];
type Cell = Matrix['rows'][number]['cells'][number];

const REASON_LOOK: Record<EmptyCellReason, { short: string; icon: typeof Ban; className: string }> = {
  NOT_OFFERED: { short: 'not offered', icon: Ban, className: 'text-slate-600 dark:text-slate-300' },
  DISABLED: { short: 'disabled', icon: ToggleLeft, className: 'text-amber-700 dark:text-amber-400' },
  PROVIDER_DISABLED: {
    short: 'provider off',
    icon: CircleOff,
    className: 'text-amber-700 dark:text-amber-400',
  },
  LABEL_MISMATCH: { short: 'label mismatch', icon: Tag, className: 'text-red-700 dark:text-red-400' },
  ADAPTER_UNAVAILABLE: { short: 'no adapter', icon: PlugZap, className: 'text-red-700 dark:text-red-400' },
};

export function CapabilitiesPage() {
  const trpc = useTRPC();
  const [tagsText, setTagsText] = useState('');
  const [selected, setSelected] = useState<{ provider: string; cell: Cell } | null>(null);
  const requiredTags = tagsText
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const pns = useQuery(trpc.physicalNetworks.list.queryOptions({}));
  const pnName = (id: string) => pns.data?.find((p) => p.id === id)?.name;
  const matrix = useQuery(
    trpc.capabilities.matrix.queryOptions(requiredTags.length ? { requiredTags } : {}, {
      placeholderData: (prev) => prev,
    }),
  );

  return (
    <>
      <PageHeader
        title="Capability matrix"
        description="Which provider gives which service, with the capabilities it offers. An empty cell says why: the adapter does not offer it, an admin disabled it, the provider is not Enabled, or its physical network lacks a required label."
      />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <div className="text-sm">
          <label htmlFor="matrix-tags" className="block font-medium">
            Required labels
          </label>
          <input
            id="matrix-tags"
            value={tagsText}
            onChange={(e) => setTagsText(e.target.value)}
            placeholder="e.g. fast, ovn"
            aria-describedby="matrix-tags-hint"
            className="mt-1 w-64 rounded-md border border-slate-300 bg-white px-3 py-1.5 dark:border-slate-600 dark:bg-slate-900"
          />
          <p id="matrix-tags-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            As an offering would require them; cells of providers without them show a label mismatch.
          </p>
        </div>
        <Legend />
      </div>
      {matrix.isPending ? (
        <LoadingRows />
      ) : matrix.error ? (
        <ErrorState error={matrix.error} onRetry={() => void matrix.refetch()} />
      ) : matrix.data.rows.length === 0 ? (
        <EmptyState title="No providers yet" icon={<Grid3x3 className="size-8" />}>
          Add a provider to a physical network under Infrastructure; its services appear here.
        </EmptyState>
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
            <table className="w-full min-w-[900px] table-fixed text-sm">
              <caption className="sr-only">Capability matrix: providers by services</caption>
              <thead>
                <tr className="bg-slate-50 dark:bg-slate-800/60">
                  <th
                    scope="col"
                    className="sticky left-0 w-44 bg-slate-50 px-3 py-2 text-left text-xs font-semibold dark:bg-slate-800"
                  >
                    Provider
                  </th>
                  {matrix.data.services.map((s) => (
                    <th
                      key={s}
                      scope="col"
                      className="px-0.5 py-2 text-center align-bottom text-[11px] leading-tight font-semibold [overflow-wrap:anywhere]"
                    >
                      {breakCamel(s)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {matrix.data.rows.map((row) => (
                  <tr key={row.providerId}>
                    <th
                      scope="row"
                      className="sticky left-0 bg-white px-3 py-2 text-left font-medium break-words dark:bg-slate-900"
                    >
                      <div>{row.providerName}</div>
                      {pnName(row.physicalNetworkId) && (
                        <div className="text-xs font-normal text-slate-600 dark:text-slate-300">
                          on {pnName(row.physicalNetworkId)}
                        </div>
                      )}
                      <div className="flex flex-wrap items-center gap-1 text-xs font-normal text-slate-500 dark:text-slate-400">
                        {row.adapterId} <StateBadge state={row.state} />
                      </div>
                    </th>
                    {row.cells.map((cell) => (
                      <td key={cell.service} className="p-0.5 text-center">
                        <MatrixCell
                          cell={cell}
                          provider={row.providerName}
                          isSelected={selected?.cell === cell}
                          onSelect={() => setSelected({ provider: row.providerName, cell })}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {selected && <CellDetail provider={selected.provider} cell={selected.cell} />}
        </>
      )}
    </>
  );
}

/**
 * Words too wide for a column of the matrix at 1280 px, with their hyphenation points (soft hyphens: a hyphen shows
 * only where the line breaks, screen readers ignore them). Without them the header broke mid-syllable
 * ("Forwardi|ng", "Connecti|vity").
 */
const HYPHENATED: Record<string, string> = {
  Forwarding: 'Forward\u00ADing',
  Connectivity: 'Connec\u00ADtivity',
  Security: 'Secu\u00ADrity',
};

/** "PortForwarding" → Port<wbr>Forward­ing, so narrow columns wrap at word boundaries, then at syllables. */
function breakCamel(s: string) {
  const parts = s.split(/(?=[A-Z][a-z])/);
  return parts.map((p, i) => (
    <span key={p}>
      {i > 0 && <wbr />}
      {HYPHENATED[p] ?? p}
    </span>
  ));
}

const capsText = (n: number) => (n === 0 ? 'offered' : `${n} cap${n === 1 ? '' : 's'}`);

function MatrixCell({
  cell,
  provider,
  isSelected,
  onSelect,
}: {
  cell: Cell;
  provider: string;
  isSelected: boolean;
  onSelect: () => void;
}) {
  const label = cell.offered
    ? `${provider} offers ${cell.service} with ${Object.keys(cell.capabilities).length} capabilities`
    : `${provider}: ${cell.service} ${REASON_LOOK[cell.reason].short}. ${cell.detail}`;
  const look = cell.offered ? null : REASON_LOOK[cell.reason];
  const Icon = look?.icon ?? Check;
  return (
    <button
      type="button"
      onClick={onSelect}
      aria-label={label}
      aria-pressed={isSelected}
      title={cell.offered ? undefined : cell.detail}
      className={cx(
        'flex h-12 w-full flex-col items-center justify-center gap-0.5 rounded-md text-[10px] leading-tight',
        cell.offered
          ? 'bg-emerald-100 text-emerald-800 hover:bg-emerald-200 dark:bg-emerald-900/50 dark:text-emerald-200'
          : 'bg-slate-50 hover:bg-slate-100 dark:bg-slate-800/40 dark:hover:bg-slate-800',
        isSelected && 'ring-2 ring-sky-500',
      )}
    >
      <Icon aria-hidden className={cx('size-4', look?.className)} />
      <span className={look?.className}>
        {cell.offered ? capsText(Object.keys(cell.capabilities).length) : look?.short}
      </span>
    </button>
  );
}

function CellDetail({ provider, cell }: { provider: string; cell: Cell }) {
  return (
    <Card title={`${cell.service} on ${provider}`} className="mt-4">
      {cell.offered ? (
        Object.keys(cell.capabilities).length === 0 ? (
          <p className="text-sm">Offered, with no capability values.</p>
        ) : (
          <dl className="grid gap-2 text-sm md:grid-cols-2">
            {Object.entries(cell.capabilities).map(([name, value]) => (
              <div key={name}>
                <dt className="text-xs text-slate-500 dark:text-slate-400">{name}</dt>
                <dd>
                  <CapabilityValueView value={value} />
                </dd>
              </div>
            ))}
          </dl>
        )
      ) : (
        <p className="text-sm" aria-live="polite">
          <strong>{REASON_LOOK[cell.reason].short}:</strong> {cell.detail}
        </p>
      )}
    </Card>
  );
}

function Legend() {
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-slate-600 dark:text-slate-300" aria-label="Legend">
      <li className="inline-flex items-center gap-1">
        <Check aria-hidden className="size-3.5 text-emerald-700" /> offered
      </li>
      {Object.entries(REASON_LOOK).map(([reason, look]) => (
        <li key={reason} className="inline-flex items-center gap-1">
          <look.icon aria-hidden className={cx('size-3.5', look.className)} /> {look.short}
        </li>
      ))}
      <li className="sr-only">{SERVICES.length} services in all</li>
    </ul>
  );
}
