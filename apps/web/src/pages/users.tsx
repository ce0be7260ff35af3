// Users and roles: admins create accounts, change roles, disable, reset passwords and delete; others are told why not.
import { ROLES, type Role } from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, ShieldAlert, Trash2, UserPlus } from 'lucide-react';
import { useState } from 'react';
import { RoleBadge } from '../app/role-badge';
import { useSession } from '../app/session';
import { Button } from '../components/button';
import { PageHeader } from '../components/page';
import { StateBadge } from '../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../components/states';
import { type Column, Table } from '../components/table';
import { useToast } from '../components/toasts';
import type { Outputs } from '../lib/api-types';
import { useCan } from '../lib/can';
import { formatAgo } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { CreateUserDialog, ResetPasswordDialog } from './users-dialogs';

type UserRow = Outputs['users']['list'][number];

export function UsersPage() {
  const canManage = useCan('users.manage');
  if (!canManage) {
    return (
      <>
        <PageHeader title="Users and roles" />
        <EmptyState title="Only admins manage users" icon={<ShieldAlert className="size-8" />}>
          Your role can read the rest of the console. Ask an admin to change a role or create an account.
        </EmptyState>
      </>
    );
  }
  return <UsersAdmin />;
}

function UsersAdmin() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const session = useSession();
  const [isCreating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const users = useQuery(trpc.users.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const onError = (e: unknown) => toast.error(e);
  const updateRole = useMutation(trpc.users.updateRole.mutationOptions({ onSuccess: invalidate, onError }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: invalidate, onError }));
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess: () => {
        toast.success('User deleted');
        void invalidate();
      },
      onError,
    }),
  );

  const columns: Column<UserRow>[] = [
    {
      key: 'username',
      header: 'User',
      sortValue: (u) => u.username,
      render: (u) => <span className="font-medium">{u.username}</span>,
    },
    {
      key: 'role',
      header: 'Role',
      sortValue: (u) => u.role,
      render: (u) =>
        u.id === session?.user.id ? (
          <RoleBadge role={u.role} />
        ) : (
          <select
            aria-label={`Role of ${u.username}`}
            value={u.role}
            onChange={(e) => updateRole.mutate({ id: u.id, role: e.target.value as Role })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        ),
    },
    {
      key: 'status',
      header: 'Status',
      sortValue: (u) => (u.disabled ? 1 : 0),
      render: (u) => <StateBadge state={u.disabled ? 'Disabled' : 'Enabled'} />,
    },
    {
      key: 'last',
      header: 'Last login',
      sortValue: (u) => u.lastLoginAt ?? 0,
      render: (u) => formatAgo(u.lastLoginAt),
    },
    {
      key: 'created',
      header: 'Created',
      sortValue: (u) => u.createdAt,
      render: (u) => formatAgo(u.createdAt),
    },
    {
      key: 'actions',
      header: 'Actions',
      render: (u) =>
        u.id === session?.user.id ? (
          <span className="text-xs text-slate-500 dark:text-slate-400">you</span>
        ) : (
          <div className="flex gap-1">
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setDisabled.mutate({ id: u.id, disabled: !u.disabled })}
            >
              {u.disabled ? 'Enable' : 'Disable'}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setResetting(u)}
              icon={<KeyRound aria-hidden className="size-4" />}
            >
              Reset password
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Delete ${u.username}`}
              onClick={() => {
                if (window.confirm(`Delete the account ${u.username}? This cannot be undone.`))
                  remove.mutate({ id: u.id });
              }}
              icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
            />
          </div>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Users and roles"
        description="admin changes everything; operator provisions VPCs; support reads everything and acts on diagnostics; viewer only reads."
        actions={
          <Button
            variant="primary"
            onClick={() => setCreating(true)}
            icon={<UserPlus aria-hidden className="size-4" />}
          >
            New user
          </Button>
        }
      />
      {users.isPending ? (
        <LoadingRows />
      ) : users.error ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.length === 0 ? (
        <EmptyState title="No users yet" />
      ) : (
        <Table
          caption="Users"
          columns={columns}
          rows={users.data}
          rowKey={(u) => u.id}
          initialSort={{ key: 'username', direction: 'ascending' }}
        />
      )}
      <CreateUserDialog
        isOpen={isCreating}
        onClose={() => setCreating(false)}
        onCreated={() => void invalidate()}
      />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
