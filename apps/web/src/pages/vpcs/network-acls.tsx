// Network ACL lists of a VPC: the built-ins (read-only) and its own, each with its state (Active / Applying / Error
// with its last error and diagnosis) and the tiers that use it; the selected list's ordered rules; which list each
// tier uses. Operators create and delete lists, edit rules, retry a failed apply and switch a tier's list.
import type { AclListView } from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Eye, Plus, RotateCcw, ShieldCheck, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Card } from '../../components/page';
import { StateBadge } from '../../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { AclAssignments } from './acl-assign';
import { CreateAclListDialog } from './acl-list-dialog';
import { AclRules } from './acl-rules';
import { RuleDiagnoses, RuleError, type Vpc } from './rule-parts';

export function NetworkAclsSection({ vpc, onChanged }: { vpc: Vpc; onChanged: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canProvision = useCan('provision');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // ?acl=<listId>&rule=<ruleId>: a connectivity check's link to the rule that decided it opens that list here.
  const [params] = useSearchParams();
  const linkedList = params.get('acl');
  const linkedRule = params.get('rule');
  useEffect(() => {
    if (linkedList) setSelectedId(linkedList);
  }, [linkedList]);
  const [isCreating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<AclListView | null>(null);
  const lists = useQuery(
    trpc.networkAcls.list.queryOptions(
      { vpcId: vpc.id, limit: 200, sort: 'name' },
      { refetchInterval: (q) => (q.state.data?.items.some((l) => l.state === 'Applying') ? 1500 : 5000) },
    ),
  );
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.networkAcls.pathKey() });
    onChanged();
  };
  const opts = (what: string) => ({
    onSuccess: () => {
      toast.success(what);
      refresh();
    },
    onError: (e: unknown) => toast.error(e),
  });
  const retry = useMutation(trpc.networkAcls.retry.mutationOptions(opts('Applying the ACL list again')));
  const remove = useMutation(
    trpc.networkAcls.delete.mutationOptions({
      ...opts('ACL list deleted'),
      onSuccess: () => {
        toast.success('ACL list deleted');
        if (toDelete?.id === selectedId) setSelectedId(null);
        setToDelete(null);
        refresh();
      },
    }),
  );
  const items = lists.data?.items ?? [];
  // The built-ins first (every VPC has them), then the VPC's own lists by name.
  const ordered = [...items].sort(
    (a, b) => Number(b.builtin) - Number(a.builtin) || a.name.localeCompare(b.name),
  );
  // Shown first: the one chosen, else the VPC's own first list, else the built-in its tiers use.
  const selected =
    ordered.find((l) => l.id === selectedId) ??
    ordered.find((l) => !l.builtin) ??
    ordered.find((l) => l.tiers.length > 0) ??
    ordered[0];

  const columns: Column<AclListView>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (l) => (
        <span className="space-x-1.5">
          <span className="font-medium">{l.name}</span>{' '}
          {l.builtin && (
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-200">
              built-in, read-only
            </span>
          )}
          {l.description && (
            <span className="block text-xs text-slate-600 dark:text-slate-300">{l.description}</span>
          )}
        </span>
      ),
    },
    {
      key: 'state',
      header: 'State / last error',
      render: (l) => (
        <div className="min-w-32 space-y-1">
          <StateBadge state={l.state} />
          <RuleError rule={l} />
        </div>
      ),
    },
    {
      key: 'tiers',
      header: 'Used by',
      render: (l) =>
        l.tiers.length === 0 ? (
          <span className="text-slate-500 dark:text-slate-400">no tier</span>
        ) : (
          l.tiers.map((t) => t.name).join(', ')
        ),
    },
    {
      key: 'actions',
      header: 'Actions',
      className: 'sticky right-0 bg-white dark:bg-slate-900 [th&]:bg-slate-50 dark:[th&]:bg-slate-800',
      render: (l) => (
        <div className="flex flex-wrap gap-1">
          <Button
            size="sm"
            variant={l.id === selected?.id ? 'primary' : 'ghost'}
            aria-pressed={l.id === selected?.id}
            onClick={() => setSelectedId(l.id)}
            icon={<Eye aria-hidden className="size-4" />}
            aria-label={`Show rules of ${l.name}`}
          >
            Rules
          </Button>
          {canProvision && l.state === 'Error' && (
            <Button
              size="sm"
              variant="primary"
              onClick={() => retry.mutate({ id: l.id })}
              isBusy={retry.isPending && retry.variables?.id === l.id}
              icon={<RotateCcw aria-hidden className="size-4" />}
              aria-label={`Retry ACL list ${l.name}`}
            >
              Retry
            </Button>
          )}
          {canProvision && !l.builtin && (
            <Button
              size="sm"
              variant="ghost"
              disabled={l.tiers.length > 0}
              title={l.tiers.length > 0 ? 'A list some tier uses cannot be deleted' : undefined}
              onClick={() => setToDelete(l)}
              icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
              aria-label={`Delete ACL list ${l.name}`}
            />
          )}
        </div>
      ),
    },
  ];

  return (
    <Card
      id="network-acls"
      title={`Network ACLs${lists.data ? ` (${items.length})` : ''}`}
      actions={
        canProvision &&
        vpc.state !== 'Destroy' && (
          <Button
            size="sm"
            variant="primary"
            onClick={() => setCreating(true)}
            icon={<Plus aria-hidden className="size-4" />}
          >
            New ACL list
          </Button>
        )
      }
    >
      {lists.isPending ? (
        <LoadingRows rows={2} label="Loading ACL lists" />
      ) : lists.error ? (
        <ErrorState error={lists.error} onRetry={() => void lists.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No ACL list" icon={<ShieldCheck className="size-8" />}>
          The built-in lists default_allow and default_deny could not be read.
        </EmptyState>
      ) : (
        <div className="space-y-5">
          <Table
            caption={`Network ACL lists of ${vpc.name}`}
            columns={columns}
            rows={ordered}
            rowKey={(l) => l.id}
            pageSize={20}
          />
          <RuleDiagnoses vpcId={vpc.id} rules={items} />
          <AclAssignments tiers={vpc.tiers} lists={ordered} onChanged={refresh} />
          {selected && (
            <AclRules
              key={selected.id}
              listId={selected.id}
              vpcId={vpc.id}
              linkedRuleId={selected.id === linkedList ? linkedRule : null}
              onChanged={refresh}
            />
          )}
        </div>
      )}
      <CreateAclListDialog
        isOpen={isCreating}
        onClose={() => setCreating(false)}
        vpcId={vpc.id}
        onDone={(id) => {
          setSelectedId(id);
          refresh();
        }}
      />
      <ConfirmDialog
        isOpen={toDelete !== null}
        onClose={() => setToDelete(null)}
        title="Delete ACL list?"
        confirmLabel="Delete ACL list"
        isBusy={remove.isPending}
        onConfirm={() => toDelete && remove.mutate({ id: toDelete.id })}
      >
        {toDelete && <p>{toDelete.name} and its rules are deleted. No tier uses it.</p>}
      </ConfirmDialog>
    </Card>
  );
}
