// The offering builder: a form checked locally with the domain's offeringDraftSchema and live by offerings.validate.
import {
  GUEST_TYPES,
  ISOLATION_METHODS,
  offeringDraftSchema,
  SERVICES,
  type Service,
} from '@netplane/domain';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Loader2, XCircle } from 'lucide-react';
import { type FormEvent, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { Input, Select } from '../../components/field';
import { Card } from '../../components/page';
import { FormError } from '../../components/states';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { useDebounced } from '../../lib/use-debounced';
import { check, errorAt } from '../../lib/zod-form';

type Draft = {
  name: string;
  description: string;
  kind: 'network' | 'vpc';
  guestType: (typeof GUEST_TYPES)[number];
  isolationMethod: (typeof ISOLATION_METHODS)[number];
  tags: string;
  serviceProviders: Partial<Record<Service, string>>;
};

export function OfferingBuilder({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const adapters = useQuery(trpc.adapters.list.queryOptions());
  const [draft, setDraft] = useState<Draft>({
    name: '',
    description: '',
    kind: 'vpc',
    guestType: 'Isolated',
    isolationMethod: 'VLAN',
    tags: '',
    serviceProviders: {},
  });
  const [isSubmitted, setSubmitted] = useState(false);
  const input = useMemo(
    () => ({
      ...draft,
      tags: draft.tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    }),
    [draft],
  );
  const local = check(offeringDraftSchema, input);
  // The live check needs no name yet: the matrix does not care what the offering is called.
  const live = check(offeringDraftSchema, { ...input, name: input.name.trim() || 'untitled' });
  const settled = useDebounced(live.ok ? live.data : null, 350);
  const validation = useQuery(
    trpc.offerings.validate.queryOptions(settled ?? { name: 'x', kind: 'vpc', serviceProviders: {} }, {
      enabled: settled !== null,
      placeholderData: keepPreviousData,
      staleTime: 0,
    }),
  );
  const create = useMutation(
    trpc.offerings.create.mutationOptions({
      onSuccess: (o) => {
        toast.success(`Offering ${o.name} created`);
        void queryClient.invalidateQueries({ queryKey: trpc.offerings.list.queryKey() });
        onClose();
      },
    }),
  );
  const serverErrors = create.error ? readError(create.error).fieldErrors : {};
  const localErrors = local.ok ? {} : local.errors;
  const liveErrors = live.ok ? {} : live.errors;
  const shownError = (path: string) =>
    (isSubmitted || path !== 'name' ? errorAt(localErrors, path) : undefined) ?? errorAt(serverErrors, path);

  const loaded = (adapters.data ?? []).flatMap((a) =>
    a.manifest ? [{ id: a.id, name: a.manifest.displayName, services: a.manifest.services }] : [],
  );
  const problems = validation.data?.problems ?? [];

  function setService(service: Service, adapterId: string) {
    const next = { ...draft.serviceProviders };
    if (adapterId) next[service] = adapterId;
    else delete next[service];
    setDraft({ ...draft, serviceProviders: next });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (local.ok) create.mutate(local.data);
  }

  return (
    <Card title="New offering" className="mb-6">
      <form onSubmit={submit} noValidate className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="space-y-4">
          <div className="grid gap-4 md:grid-cols-2">
            <Input
              label="Name"
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              error={shownError('name')}
            />
            <Input
              label="Description"
              value={draft.description}
              onChange={(e) => setDraft({ ...draft, description: e.target.value })}
              error={shownError('description')}
            />
            <Select
              label="Kind"
              value={draft.kind}
              onChange={(e) => setDraft({ ...draft, kind: e.target.value as Draft['kind'] })}
              options={[
                { value: 'vpc', label: 'VPC offering' },
                { value: 'network', label: 'Network offering' },
              ]}
            />
            <Select
              label="Guest type"
              value={draft.guestType}
              onChange={(e) => setDraft({ ...draft, guestType: e.target.value as Draft['guestType'] })}
              options={GUEST_TYPES}
              error={shownError('guestType')}
            />
            <Select
              label="Isolation method"
              value={draft.isolationMethod}
              onChange={(e) =>
                setDraft({ ...draft, isolationMethod: e.target.value as Draft['isolationMethod'] })
              }
              options={ISOLATION_METHODS}
            />
            <Input
              label="Required labels"
              value={draft.tags}
              onChange={(e) => setDraft({ ...draft, tags: e.target.value })}
              error={shownError('tags')}
              hint="Comma separated; every chosen provider's physical network must carry them."
            />
          </div>
          <fieldset>
            <legend className="text-sm font-medium">Services and the adapter that gives each</legend>
            <div className="mt-2 grid gap-2 md:grid-cols-2">
              {SERVICES.map((s) => {
                const problem = problems.find((p) => p.service === s);
                return (
                  <div key={s} className="flex min-w-0 items-center gap-2">
                    <label htmlFor={`svc-${s}`} className="w-28 text-sm">
                      {s}
                    </label>
                    <select
                      id={`svc-${s}`}
                      value={draft.serviceProviders[s] ?? ''}
                      onChange={(e) => setService(s, e.target.value)}
                      aria-invalid={problem ? true : undefined}
                      className={`min-w-0 flex-1 rounded-md border bg-white px-2 py-1 text-sm dark:bg-slate-900 ${problem ? 'border-red-600' : 'border-slate-300 dark:border-slate-600'}`}
                    >
                      <option value="">—</option>
                      {loaded.map((a) => (
                        <option key={a.id} value={a.id} disabled={!(s in a.services)}>
                          {a.name}
                          {s in a.services ? '' : ' (does not offer it)'}
                        </option>
                      ))}
                    </select>
                  </div>
                );
              })}
            </div>
          </fieldset>
          {create.error && Object.keys(serverErrors).length === 0 && <FormError error={create.error} />}
          <div className="flex gap-2">
            <Button type="submit" variant="primary" isBusy={create.isPending} disabled={problems.length > 0}>
              Create offering
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </div>
        <ValidationPanel
          isChecking={validation.isFetching}
          isReady={settled !== null && validation.data !== undefined}
          problems={problems}
          localProblems={Object.values(liveErrors)}
          error={validation.error}
        />
      </form>
    </Card>
  );
}

function ValidationPanel({
  isChecking,
  isReady,
  problems,
  localProblems,
  error,
}: {
  isChecking: boolean;
  isReady: boolean;
  problems: { service: string; adapterId: string; message: string; kind: string }[];
  localProblems: string[];
  error: unknown;
}) {
  return (
    <aside
      aria-live="polite"
      className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm dark:border-slate-700 dark:bg-slate-800/40"
    >
      <h3 className="mb-2 flex items-center gap-2 font-semibold">
        Live check {isChecking && <Loader2 aria-label="checking" className="size-4 animate-spin" />}
      </h3>
      {error ? (
        <FormError error={error} />
      ) : localProblems.length > 0 ? (
        <ul className="space-y-1 text-slate-600 dark:text-slate-300">
          {localProblems.map((p) => (
            <li key={p}>• {p}</li>
          ))}
        </ul>
      ) : !isReady ? (
        <p className="text-slate-500 dark:text-slate-400">Checking against the capability matrix…</p>
      ) : problems.length === 0 ? (
        <p className="flex items-center gap-2 text-emerald-700 dark:text-emerald-400">
          <CheckCircle2 aria-hidden className="size-4" /> Every service has an enabled provider with what it
          needs.
        </p>
      ) : (
        <ul className="space-y-2">
          {problems.map((p) => (
            <li
              key={`${p.kind}-${p.service}-${p.adapterId}`}
              className="flex gap-2 text-red-800 dark:text-red-300"
            >
              <XCircle aria-hidden className="mt-0.5 size-4 shrink-0" />
              <span>
                <strong>{p.service}</strong>: {p.message}
              </span>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
