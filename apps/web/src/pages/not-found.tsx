// Unknown console path.
import { Compass } from 'lucide-react';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="flex flex-col items-center py-16 text-center">
      <Compass aria-hidden className="mb-3 size-10 text-slate-400" />
      <h1 className="text-xl font-semibold">There is no such page</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        The address may be mistyped, or the page was moved.
      </p>
      <Link to="/" className="mt-4 text-sm text-sky-700 underline dark:text-sky-400">
        Go to the dashboard
      </Link>
    </div>
  );
}
