// The admins' banner for controller credentials this server cannot decrypt (their master key is not held here):
// until the key is restored or the credentials re-entered, every job on those controllers fails.
import { useQuery } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { Link } from 'react-router';
import { describeUnreadableCredentials } from '../lib/credentials-health';
import { useTRPC } from '../lib/trpc';
import { useSession } from './session';

export function CredentialsBanner() {
  const session = useSession();
  const isAdmin = session?.user.role === 'admin';
  const trpc = useTRPC();
  const health = useQuery(
    trpc.controllers.credentialsHealth.queryOptions(undefined, { enabled: isAdmin, refetchInterval: 60_000 }),
  );
  const text = health.data ? describeUnreadableCredentials(health.data) : undefined;
  if (!isAdmin || !text) return null;
  return (
    <div
      role="alert"
      className="flex items-start gap-2 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 md:px-6 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <KeyRound aria-hidden className="mt-0.5 size-4 shrink-0" />
      <p>
        <strong>{text.headline}</strong> {text.detail}{' '}
        <Link to="/infrastructure" className="font-medium underline">
          Infrastructure › Controllers
        </Link>
        .
      </p>
    </div>
  );
}
