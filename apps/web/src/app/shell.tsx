// The application frame: skip link, sidebar navigation, top bar with user, role, theme and logout.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { KeyRound, LogOut, Menu, Moon, Sun, Waypoints } from 'lucide-react';
import { useState } from 'react';
import { NavLink, Outlet, useNavigate, useNavigation } from 'react-router';
import { Button } from '../components/button';
import { useToast } from '../components/toasts';
import { cx } from '../lib/cx';
import { forgetSession } from '../lib/session-store';
import { useTheme } from '../lib/theme';
import { useTRPC } from '../lib/trpc';
import { CredentialsBanner } from './credentials-banner';
import { NAV } from './nav';
import { RoleBadge } from './role-badge';
import { useSession } from './session';

export function Shell() {
  const [isNavOpen, setNavOpen] = useState(false);
  const navigation = useNavigation();
  return (
    <div className="min-h-screen lg:flex">
      <a
        href="#main"
        className="sr-only z-50 rounded bg-sky-700 px-3 py-2 text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <Sidebar isOpen={isNavOpen} onNavigate={() => setNavOpen(false)} />
      <div className="flex min-w-0 flex-1 flex-col">
        <TopBar onMenu={() => setNavOpen((o) => !o)} isNavOpen={isNavOpen} />
        <CredentialsBanner />
        {navigation.state === 'loading' && (
          <div role="status" className="h-0.5 w-full animate-pulse bg-sky-500">
            <span className="sr-only">Loading page…</span>
          </div>
        )}
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 outline-none md:px-6"
        >
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function Sidebar({ isOpen, onNavigate }: { isOpen: boolean; onNavigate: () => void }) {
  return (
    <div
      id="sidebar"
      className={cx(
        'w-60 shrink-0 border-r border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900',
        'lg:block',
        isOpen ? 'fixed inset-y-0 left-0 z-40 block shadow-xl' : 'hidden',
      )}
    >
      <nav aria-label="Main" className="flex h-screen flex-col lg:sticky lg:top-0">
        <div className="flex h-14 items-center gap-2 border-b border-slate-200 px-4 dark:border-slate-800">
          <Waypoints aria-hidden className="size-6 text-sky-600" />
          <span className="text-lg font-semibold tracking-tight">Netplane</span>
        </div>
        <div className="flex-1 overflow-y-auto px-2 py-3">
          {NAV.map((group) => (
            <div key={group.label} className="mb-4">
              <p className="px-2 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
                {group.label}
              </p>
              <ul>
                {group.items.map(({ to, label, icon: Icon }) => (
                  <li key={to}>
                    <NavLink
                      to={to}
                      end={to === '/'}
                      onClick={onNavigate}
                      className={({ isActive }) =>
                        cx(
                          'flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm',
                          isActive
                            ? 'bg-sky-50 font-medium text-sky-800 dark:bg-sky-950 dark:text-sky-200'
                            : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
                        )
                      }
                    >
                      <Icon aria-hidden className="size-4" />
                      {label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </nav>
    </div>
  );
}

function TopBar({ onMenu, isNavOpen }: { onMenu: () => void; isNavOpen: boolean }) {
  const session = useSession();
  const { theme, toggle } = useTheme();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        forgetSession();
        queryClient.clear();
        void navigate('/login', { replace: true });
      },
      onError: (e) => toast.error(e),
    }),
  );
  return (
    <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-slate-200 bg-white/90 px-4 backdrop-blur md:px-6 dark:border-slate-800 dark:bg-slate-900/90">
      <Button
        variant="ghost"
        size="sm"
        className="lg:hidden"
        onClick={onMenu}
        aria-expanded={isNavOpen}
        aria-controls="sidebar"
        aria-label="Toggle navigation"
        icon={<Menu aria-hidden className="size-5" />}
      />
      <div className="flex-1" />
      <Button
        variant="ghost"
        size="sm"
        onClick={toggle}
        aria-label={theme === 'dark' ? 'Switch to light mode' : 'Switch to dark mode'}
        icon={
          theme === 'dark' ? <Sun aria-hidden className="size-4" /> : <Moon aria-hidden className="size-4" />
        }
      />
      {session && (
        <div className="flex items-center gap-2 text-sm">
          <span className="font-medium">{session.user.username}</span>
          <RoleBadge role={session.user.role} />
        </div>
      )}
      {session && (
        <NavLink
          to="/tokens"
          className="inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm text-slate-700 hover:bg-slate-200/70 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          <KeyRound aria-hidden className="size-4" />
          API tokens
        </NavLink>
      )}
      <Button
        variant="ghost"
        size="sm"
        onClick={() => logout.mutate()}
        isBusy={logout.isPending}
        icon={<LogOut aria-hidden className="size-4" />}
      >
        Log out
      </Button>
    </header>
  );
}
