// Shown when a route fails to load or render: says what happened and offers a reload.
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Button } from '../components/button';

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <main className="mx-auto max-w-xl p-8" role="alert">
      <h1 className="text-lg font-semibold">This page failed</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{message}</p>
      <Button className="mt-4" variant="primary" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </main>
  );
}
