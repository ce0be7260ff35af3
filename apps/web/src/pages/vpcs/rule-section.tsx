// The frame the static NAT, LB and port forwarding sections share, so each states only its own columns, texts and
// dialogs: the card with its count and add button, its loading / error / table / empty / not-offered states, the
// rules' state and actions columns with the Retry and remove buttons and the question before a removal, and the
// toast-and-refresh of the actions that start a job.

import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { type LucideIcon, Plus, RotateCcw, Trash2 } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Card } from '../../components/page';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { whyNotOffered } from './rule-checks';
import { type Job, RuleDiagnoses, RuleStatus, useOfferingNames, type Vpc } from './rule-parts';

type RuleRow = Parameters<typeof RuleStatus>[0]['rule'];

/** What every rule section is given by the VPC page. */
export type RuleSectionProps = { vpc: Vpc; jobs: Map<string, Job>; onChanged: () => void };

/**
 * A section's rule actions: the rule asked about before it is removed (`setToRemove`; `confirm` for ConfirmRemove), `refresh` after a change (its
 * list again, the page's `onChanged`, and where the section's dialogs pick addresses from the tiers' options, those:
 * the addresses' "used by" changes with the rules), and `started`, a mutation's callbacks for an action that starts
 * a job (a toast of `what` or of the error; on success the question closes and the section refreshes).
 */
export function useRuleSection<R>(
  listKey: QueryKey,
  onChanged: () => void,
  { refreshesOptions }: { refreshesOptions: boolean },
) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [toRemove, setToRemove] = useState<R | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: listKey });
    if (refreshesOptions)
      void queryClient.invalidateQueries({ queryKey: trpc.publicServices.options.queryKey() });
    onChanged();
  };
  const started = (what: string) => ({
    onSuccess: () => {
      toast.success(what);
      setToRemove(null);
      refresh();
    },
    onError: (e: unknown) => toast.error(e),
  });
  // ConfirmRemove's rule and its close, for a spread.
  const confirm = { rule: toRemove, onClose: () => setToRemove(null) };
  return { canProvision: useCan('provision'), setToRemove, confirm, refresh, started };
}

/** The question before a rule is removed (`rule` set: open); `children` says what stops working. */
export function ConfirmRemove<R extends { id: string }>({
  rule,
  onClose,
  remove,
  title,
  confirmLabel,
  children,
}: {
  rule: R | null;
  onClose: () => void;
  remove: { mutate: (v: { id: string }) => void; isPending: boolean };
  title: string;
  confirmLabel: string;
  children: (rule: R) => ReactNode;
}) {
  return (
    <ConfirmDialog
      isOpen={rule !== null}
      onClose={onClose}
      title={title}
      confirmLabel={confirmLabel}
      isBusy={remove.isPending}
      onConfirm={() => rule && remove.mutate({ id: rule.id })}
    >
      {rule && children(rule)}
    </ConfirmDialog>
  );
}

/** The rule's state with the job applying it, its Realized condition and its last error. */
export const stateColumn = <R extends RuleRow>(jobs: Map<string, Job>): Column<R> => ({
  key: 'state',
  header: 'State / last error',
  sortValue: (r) => r.state,
  render: (r) => <RuleStatus rule={r} job={r.jobId ? jobs.get(r.jobId) : undefined} />,
});

/** The actions column, only for roles that provision; it stays in view at the row's right on a narrow screen. */
export const actionsColumn = <R,>(canProvision: boolean, actions: (r: R) => ReactNode): Column<R>[] =>
  canProvision
    ? [
        {
          key: 'actions',
          header: 'Actions',
          className: 'sticky right-0 bg-white dark:bg-slate-900 [th&]:bg-slate-50 dark:[th&]:bg-slate-800',
          render: (r) => <div className="flex flex-wrap gap-1">{actions(r)}</div>,
        },
      ]
    : [];

/** The retry of a rule in Error (nothing for another state); `label` names the rule for a screen reader. */
export function RetryButton({
  rule,
  retry,
  label,
}: {
  rule: { id: string; state: string };
  retry: { mutate: (v: { id: string }) => void; isPending: boolean; variables: { id: string } | undefined };
  label: string;
}) {
  if (rule.state !== 'Error') return null;
  return (
    <Button
      size="sm"
      variant="primary"
      onClick={() => retry.mutate({ id: rule.id })}
      isBusy={retry.isPending && retry.variables?.id === rule.id}
      icon={<RotateCcw aria-hidden className="size-4" />}
      aria-label={label}
    >
      Retry
    </Button>
  );
}

/** The remove action of a rule (delete, or disable for static NAT), its red icon marking what it takes away. */
export function RemoveButton({
  label,
  onClick,
  text = 'Delete',
  icon: Icon = Trash2,
}: {
  /** The accessible name: the action and the rule ("Delete load balancer web"). */
  label: string;
  onClick: () => void;
  text?: string;
  icon?: LucideIcon;
}) {
  return (
    <Button
      size="sm"
      variant="ghost"
      onClick={onClick}
      icon={<Icon aria-hidden className="size-4 text-red-600" />}
      aria-label={label}
    >
      {text}
    </Button>
  );
}

/**
 * A rule section's card: its rules in a table with their diagnoses, or why there are none (a tier offers the
 * service: `empty`; none does: each tier's reason), with the add button for roles that provision where a tier offers
 * the service. `children` are the section's dialogs.
 */
export function RuleCard<R extends { id: string; state: string }>({
  vpc,
  id,
  title,
  service,
  icon,
  rules,
  rows,
  count = rows?.length,
  isOptionsPending,
  offeredOn,
  add,
  table,
  below,
  empty,
  children,
}: {
  vpc: Vpc;
  /** The card's anchor on the VPC page. */
  id: string;
  title: string;
  service: 'StaticNat' | 'Lb' | 'PortForwarding';
  icon: ReactNode;
  /** The rules' query, and its rows. */
  rules: { isPending: boolean; error: unknown; refetch: () => unknown };
  rows: R[] | undefined;
  /** The number of rules in the title once known (all of them, where `rows` is a page). */
  count?: number | undefined;
  /** Whether the tiers' public-service options are still loading (what is offered is not known yet). */
  isOptionsPending: boolean;
  /** The tiers whose provider offers the service. */
  offeredOn: readonly { name: string }[];
  add: { label: string; onClick: () => void };
  table: { caption: string; columns: Column<R>[]; sortKey: string; loading: string };
  /** Under the table, before the diagnoses (a note that the list is cut, say). */
  below?: ReactNode;
  /** The empty state where a tier offers the service (its text given the tiers' names), and the title where none does. */
  empty: { title: string; body: (tiers: string) => string; notOffered: string };
  children: ReactNode;
}) {
  const canProvision = useCan('provision');
  const offeringName = useOfferingNames();
  const isOffered = offeredOn.length > 0;
  const shown = rows ?? [];
  return (
    <Card
      id={id}
      title={`${title}${count !== undefined ? ` (${count})` : ''}`}
      actions={
        canProvision &&
        isOffered && (
          <Button
            size="sm"
            variant="primary"
            onClick={add.onClick}
            icon={<Plus aria-hidden className="size-4" />}
          >
            {add.label}
          </Button>
        )
      }
    >
      {rules.isPending || isOptionsPending ? (
        <LoadingRows rows={2} label={table.loading} />
      ) : rules.error ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : shown.length > 0 ? (
        <>
          <Table
            caption={table.caption}
            columns={table.columns}
            rows={shown}
            rowKey={(r) => r.id}
            pageSize={10}
            initialSort={{ key: table.sortKey, direction: 'ascending' }}
          />
          {below}
          <RuleDiagnoses vpcId={vpc.id} rules={shown} />
        </>
      ) : isOffered ? (
        <EmptyState title={empty.title} icon={icon}>
          {empty.body(offeredOn.map((t) => t.name).join(', '))}
        </EmptyState>
      ) : (
        <EmptyState title={empty.notOffered} icon={icon}>
          {vpc.tiers.length === 0
            ? 'This VPC has no tiers yet.'
            : vpc.tiers.map((t) => whyNotOffered(t, service, offeringName)).join(' ')}
        </EmptyState>
      )}
      {children}
    </Card>
  );
}
