// A small coloured badge naming a role, so everyone can see with which powers they are looking.
import type { Role } from '@netplane/domain';
import { cx } from '../lib/cx';

const ROLE_TONE: Record<Role, string> = {
  admin: 'bg-violet-100 text-violet-800 dark:bg-violet-900/60 dark:text-violet-200',
  operator: 'bg-sky-100 text-sky-800 dark:bg-sky-900/60 dark:text-sky-200',
  support: 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100',
  viewer: 'bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200',
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span
      className={cx('rounded px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide', ROLE_TONE[role])}
    >
      {role}
    </span>
  );
}
