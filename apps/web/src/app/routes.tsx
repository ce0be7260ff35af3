// The route table: every page is a lazy route so the first load only carries the shell.
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RequireSession } from './require-session';
import { RouteError } from './route-error';

type PageModule = Record<string, unknown>;

/** Loads a page module on first visit and uses its named export as the route component. */
function page(load: () => Promise<PageModule>, name: string): RouteObject['lazy'] {
  return async () => {
    const mod = await load();
    return { Component: mod[name] as React.ComponentType };
  };
}

const routes: RouteObject[] = [
  { path: '/login', lazy: page(() => import('../pages/login'), 'LoginPage'), errorElement: <RouteError /> },
  { path: '/setup', lazy: page(() => import('../pages/setup'), 'SetupPage'), errorElement: <RouteError /> },
  {
    path: '/',
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, lazy: page(() => import('../pages/dashboard'), 'DashboardPage') },
          {
            path: 'infrastructure',
            lazy: page(() => import('../pages/infrastructure'), 'InfrastructurePage'),
          },
          { path: 'adapters', lazy: page(() => import('../pages/adapters'), 'AdaptersPage') },
          { path: 'capabilities', lazy: page(() => import('../pages/capabilities'), 'CapabilitiesPage') },
          { path: 'offerings', lazy: page(() => import('../pages/offerings'), 'OfferingsPage') },
          { path: 'vpcs', lazy: page(() => import('../pages/vpcs'), 'VpcsPage') },
          { path: 'vpcs/:id', lazy: page(() => import('../pages/vpcs/detail'), 'VpcDetailPage') },
          { path: 'jobs', lazy: page(() => import('../pages/jobs'), 'JobsPage') },
          { path: 'diagnostics', lazy: page(() => import('../pages/diagnostics'), 'DiagnosticsPage') },
          { path: 'triage', lazy: page(() => import('../pages/triage'), 'TriagePage') },
          { path: 'simulator', lazy: page(() => import('../pages/simulator'), 'SimulatorPage') },
          { path: 'audit', lazy: page(() => import('../pages/audit'), 'AuditPage') },
          { path: 'users', lazy: page(() => import('../pages/users'), 'UsersPage') },
          { path: 'tokens', lazy: page(() => import('../pages/api-tokens'), 'ApiTokensPage') },
          { path: 'api-reference', lazy: page(() => import('../pages/api-reference'), 'ApiReferencePage') },
          { path: '*', lazy: page(() => import('../pages/not-found'), 'NotFoundPage') },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
