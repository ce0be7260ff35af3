// The ordered rules of one ACL list: a table in number order with add / edit / move up and down / delete for
// operators on a list of the VPC (built-in lists are read-only, so they show the rules only).
import type { AclRuleView } from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, Crosshair, ListPlus, Pencil, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { matchText, moveOrder, nextRuleNumber, ruleSummary } from './acl-format';
import { AclRuleDialog } from './acl-rule-dialog';

export function AclRules({
  listId,
  vpcId,
  linkedRuleId = null,
  onChanged,
}: {
  listId: string;
  vpcId: string;
  /** The rule a connectivity check linked to: marked, scrolled to, its Edit button focused. */
  linkedRuleId?: string | null;
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canProvision = useCan('provision');
  const [editing, setEditing] = useState<{ rule?: AclRuleView } | null>(null);
  const [toDelete, setToDelete] = useState<AclRuleView | null>(null);
  const list = useQuery(
    trpc.networkAcls.get.queryOptions(
      { id: listId, vpcId },
      { refetchInterval: (q) => (q.state.data?.state === 'Applying' ? 1500 : 5000) },
    ),
  );
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.networkAcls.pathKey() });
    onChanged();
  };
  const opts = (what: string) => ({
    onSuccess: () => {
      toast.success(what);
      setToDelete(null);
      refresh();
    },
    onError: (e: unknown) => toast.error(e),
  });
  const isLoaded = list.data !== undefined;
  useEffect(() => {
    if (!linkedRuleId || !isLoaded) return;
    const edit = document.getElementById(editButtonId(linkedRuleId));
    edit?.closest('tr')?.scrollIntoView({ block: 'center' });
    edit?.focus({ preventScroll: true });
  }, [linkedRuleId, isLoaded]);
  const reorder = useMutation(trpc.networkAcls.reorderRules.mutationOptions(opts('Rules reordered')));
  const remove = useMutation(trpc.networkAcls.deleteRule.mutationOptions(opts('Rule deleted')));

  if (list.isPending) return <LoadingRows rows={3} label="Loading the rules" />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const l = list.data;
  const rules = [...l.rules].sort((a, b) => a.number - b.number);
  const canEdit = canProvision && !l.builtin;
  const move = (r: AclRuleView, direction: 'up' | 'down') => {
    const order = moveOrder(rules, r.id, direction);
    if (order) reorder.mutate({ listId: l.id, order });
  };

  const columns: Column<AclRuleView>[] = [
    {
      key: 'number',
      header: 'Number',
      render: (r) => (
        <span className="inline-flex items-center gap-1.5">
          <span className="font-mono">{r.number}</span>
          {r.id === linkedRuleId && (
            <span className="inline-flex items-center gap-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
              <Crosshair aria-hidden className="size-3" /> decided the check
            </span>
          )}
        </span>
      ),
    },
    {
      key: 'action',
      header: 'Action',
      render: (r) => (
        <span
          className={
            r.action === 'allow' ? 'text-green-800 dark:text-green-300' : 'text-red-700 dark:text-red-400'
          }
        >
          {r.action === 'allow' ? 'Allow' : 'Deny'}
        </span>
      ),
    },
    {
      key: 'protocol',
      header: 'Protocol',
      render: (r) => (r.protocol === 'all' ? 'All' : r.protocol.toUpperCase()),
    },
    { key: 'match', header: 'Ports / ICMP', render: (r) => matchText(r) },
    {
      key: 'cidrs',
      header: 'CIDRs',
      render: (r) => <span className="font-mono text-xs">{r.cidrs.join(', ')}</span>,
    },
    { key: 'traffic', header: 'Traffic type', render: (r) => r.trafficType },
    { key: 'description', header: 'Description', render: (r) => r.description },
    ...(canEdit
      ? [
          {
            key: 'actions',
            header: 'Actions',
            className: 'sticky right-0 bg-white dark:bg-slate-900 [th&]:bg-slate-50 dark:[th&]:bg-slate-800',
            render: (r: AclRuleView) => {
              const i = rules.indexOf(r);
              const isMoving = reorder.isPending && reorder.variables?.order.some((o) => o.ruleId === r.id);
              return (
                <div className="flex gap-1">
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={i === 0 || reorder.isPending}
                    isBusy={isMoving}
                    onClick={() => move(r, 'up')}
                    icon={<ArrowUp aria-hidden className="size-4" />}
                    aria-label={`Move rule ${r.number} up`}
                  />
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={i === rules.length - 1 || reorder.isPending}
                    onClick={() => move(r, 'down')}
                    icon={<ArrowDown aria-hidden className="size-4" />}
                    aria-label={`Move rule ${r.number} down`}
                  />
                  <Button
                    id={editButtonId(r.id)}
                    size="sm"
                    variant="ghost"
                    onClick={() => setEditing({ rule: r })}
                    icon={<Pencil aria-hidden className="size-4" />}
                    aria-label={`Edit rule ${r.number}`}
                  />
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setToDelete(r)}
                    icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
                    aria-label={`Delete rule ${r.number}`}
                  />
                </div>
              );
            },
          },
        ]
      : []),
  ];

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">
          Rules of {l.name} ({rules.length})
          {l.builtin && <span className="font-normal"> · built-in, read-only</span>}
        </h3>
        {canEdit && (
          <Button
            size="sm"
            variant="primary"
            onClick={() => setEditing({})}
            icon={<ListPlus aria-hidden className="size-4" />}
          >
            Add rule
          </Button>
        )}
      </div>
      {rules.length === 0 ? (
        <EmptyState title="No rule yet">
          With no rule, ingress to the tiers using {l.name} is dropped and egress is allowed.
        </EmptyState>
      ) : (
        <Table
          caption={`Rules of ACL list ${l.name}, in evaluation order`}
          columns={columns}
          rows={rules}
          rowKey={(r) => r.id}
          pageSize={50}
        />
      )}
      <AclRuleDialog
        isOpen={editing !== null}
        onClose={() => setEditing(null)}
        listId={l.id}
        listName={l.name}
        rule={editing?.rule}
        nextNumber={nextRuleNumber(rules)}
        onDone={refresh}
      />
      <ConfirmDialog
        isOpen={toDelete !== null}
        onClose={() => setToDelete(null)}
        title="Delete rule?"
        confirmLabel="Delete rule"
        isBusy={remove.isPending}
        onConfirm={() => toDelete && remove.mutate({ id: toDelete.id })}
      >
        {toDelete && (
          <p>
            {ruleSummary(toDelete)} leaves {l.name}; the list is applied again to every tier that uses it.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

const editButtonId = (ruleId: string) => `acl-rule-edit-${ruleId}`;
