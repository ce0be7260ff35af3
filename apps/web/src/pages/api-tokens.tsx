// API tokens: every user's own personal access tokens (admins can show everyone's): create one (shown once), see
// its last use, revoke it. The list never holds a token, only its public prefix.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Plus } from 'lucide-react';
import { useState } from 'react';
import { RoleBadge } from '../app/role-badge';
import { useSession } from '../app/session';
import { Button } from '../components/button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PageHeader } from '../components/page';
import { type ServerColumn, ServerTable } from '../components/server-table';
import { StateBadge } from '../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../components/states';
import { useToast } from '../components/toasts';
import type { Outputs } from '../lib/api-types';
import { formatAgo, formatTime } from '../lib/format';
import { useServerPaging } from '../lib/server-paging';
import { useTRPC } from '../lib/trpc';
import { CreateTokenDialog, NewTokenDialog } from './api-tokens-dialogs';

type TokenRow = Outputs['tokens']['list']['items'][number];
const STATUS_LABEL = { active: 'Active', expired: 'Expired', revoked: 'Revoked' } as const;

export function ApiTokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const session = useSession();
  const isAdmin = session?.user.role === 'admin';
  const paging = useServerPaging(['createdAt'] as const, { sort: 'createdAt', dir: 'desc' });
  const showAll = isAdmin && paging.filter('all') === '1';
  const [isCreating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const list = useQuery(
    trpc.tokens.list.queryOptions({ ...paging.input, all: showAll }, { placeholderData: keepPreviousData }),
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: (t) => {
        toast.success(`Token ${t.name} revoked`);
        setRevoking(null);
        void invalidate();
      },
      onError: (e) => toast.error(e),
    }),
  );

  const columns: ServerColumn<TokenRow, 'createdAt'>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (t) => <span className="font-medium">{t.name}</span>,
    },
    ...(showAll
      ? [
          {
            key: 'user',
            header: 'User',
            render: (t: TokenRow) => t.username,
          },
        ]
      : []),
    { key: 'prefix', header: 'Token', render: (t) => <code className="font-mono text-xs">{t.prefix}…</code> },
    { key: 'role', header: 'Role', render: (t) => <RoleBadge role={t.role} /> },
    {
      key: 'status',
      header: 'Status',
      render: (t) => <StateBadge state={STATUS_LABEL[t.status]} />,
    },
    {
      key: 'created',
      header: 'Created',
      sortKey: 'createdAt',
      render: (t) => formatAgo(t.createdAt),
    },
    {
      key: 'expires',
      header: 'Expires',
      render: (t) => <span title={formatTime(t.expiresAt)}>{formatAgo(t.expiresAt)}</span>,
    },
    {
      key: 'used',
      header: 'Last used',
      render: (t) => (
        <span title={t.lastUsedAt ? formatTime(t.lastUsedAt) : undefined}>
          {formatAgo(t.lastUsedAt)}
          {t.lastUsedIp && (
            <span className="ml-1 text-xs text-slate-500 dark:text-slate-400">from {t.lastUsedIp}</span>
          )}
        </span>
      ),
    },
    {
      key: 'actions',
      header: 'Actions',
      render: (t) =>
        t.status === 'active' ? (
          <Button size="sm" variant="ghost" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
            Revoke
          </Button>
        ) : null,
    },
  ];

  const newButton = (
    <Button
      variant="primary"
      onClick={() => setCreating(true)}
      icon={<Plus aria-hidden className="size-4" />}
    >
      New token
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal access tokens for scripts: send Authorization: Bearer <token> to /trpc (docs/api.md). A token acts as you, with at most your role, until it expires or is revoked."
        actions={newButton}
      />
      {isAdmin && (
        <label className="mb-3 flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={showAll}
            onChange={(e) => paging.setFilter('all', e.target.checked ? '1' : '')}
          />
          Show every user’s tokens
        </label>
      )}
      {list.isPending ? (
        <LoadingRows label="Loading tokens" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 && paging.cursor === undefined ? (
        <EmptyState title="No API tokens yet" icon={<KeyRound className="size-8" />} action={newButton}>
          Create one for each script or tool, so each can be revoked on its own.
        </EmptyState>
      ) : (
        <ServerTable
          caption="API tokens"
          columns={columns}
          page={list.data}
          rowKey={(t) => t.id}
          paging={paging}
          defaultSort={{ key: 'createdAt', dir: 'desc' }}
          isFetching={list.isFetching}
        />
      )}
      {session && (
        <CreateTokenDialog
          isOpen={isCreating}
          ownRole={session.user.role}
          onClose={() => setCreating(false)}
          onCreated={(token, name) => {
            setCreating(false);
            setCreated({ token, name });
            void invalidate();
          }}
        />
      )}
      <NewTokenDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        isOpen={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? 'the token'}?`}
        confirmLabel="Revoke token"
        isBusy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
      >
        Scripts using it get 401 from their next request. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
