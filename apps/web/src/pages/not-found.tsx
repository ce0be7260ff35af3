// Unknown console path.
import { Link } from 'react-router';
import { EmptyState } from '../components/states';

export function NotFoundPage() {
  return (
    <EmptyState
      title="There is no such page"
      action={
        <Link to="/" className="text-sky-700 underline dark:text-sky-400">
          Go to the dashboard
        </Link>
      }
    >
      The address may be mistyped, or the page was moved.
    </EmptyState>
  );
}
