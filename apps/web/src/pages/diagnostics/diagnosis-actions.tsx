// The actions a diagnosis offers, each one diagnostics.* call on the diagnosis itself (the server checks that it
// applies and audits it): retry / adopt re-run the failed operation (adopting what a timed-out call created),
// release frees the NIC, re-run negotiation implements the tier again; open controller links to the inventory.
import { assertNever } from '@netplane/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ExternalLink } from 'lucide-react';
import { Link } from 'react-router';
import { Button } from '../../components/button';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import type { DiagnosisView } from './diagnosis-card';

const LABELS = {
  retry: 'Retry',
  adopt: 'Retry and adopt',
  release: 'Release NIC',
  'rerun-negotiation': 'Re-run negotiation',
  'open-controller': 'Open controller',
} as const;

export function DiagnosisActions({ diagnosis: d }: { diagnosis: DiagnosisView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canAct = useCan('diagnostics.act');
  const after = (what: string) => ({
    onSuccess: () => {
      toast.success(`${what} started; follow it under Jobs or on the VPC`);
      void queryClient.invalidateQueries({ queryKey: trpc.diagnostics.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey() });
    },
    onError: (e: unknown) => toast.error(e),
  });
  const retry = useMutation(trpc.diagnostics.retry.mutationOptions(after('Retry')));
  const adopt = useMutation(trpc.diagnostics.adopt.mutationOptions(after('Retry')));
  const release = useMutation(trpc.diagnostics.release.mutationOptions(after('Release')));
  const rerun = useMutation(trpc.diagnostics.rerunNegotiation.mutationOptions(after('Negotiation')));
  if (d.actions.length === 0 || d.resolvedAt) return null;
  const input = { diagnosisId: d.id };
  // A failed call names its controller; unreadable credentials name theirs in evidence.controller.
  const controllerName = d.evidence.call?.controllerName ?? d.evidence.controller?.name;
  const isBusy = retry.isPending || adopt.isPending || release.isPending || rerun.isPending;

  return (
    <div className="flex flex-wrap gap-2">
      {d.actions.map((a) => {
        switch (a) {
          case 'open-controller':
            return (
              <Link
                key={a}
                to="/infrastructure"
                className="inline-flex h-8 items-center gap-1.5 rounded-md border border-slate-300 px-2.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
              >
                <ExternalLink aria-hidden className="size-4" /> {LABELS[a]}
                {controllerName ? ` ${controllerName}` : ''}
              </Link>
            );
          case 'release':
            return canAct && d.targetType === 'nic' ? (
              <Button
                key={a}
                size="sm"
                onClick={() => release.mutate(input)}
                isBusy={release.isPending}
                disabled={isBusy}
              >
                {LABELS[a]}
              </Button>
            ) : null;
          case 'rerun-negotiation':
            return canAct && d.targetType === 'network' ? (
              <Button
                key={a}
                size="sm"
                variant="primary"
                onClick={() => rerun.mutate(input)}
                isBusy={rerun.isPending}
                disabled={isBusy}
              >
                {LABELS[a]}
              </Button>
            ) : null;
          case 'retry':
            return canAct ? (
              <Button
                key={a}
                size="sm"
                variant="primary"
                onClick={() => retry.mutate(input)}
                isBusy={retry.isPending}
                disabled={isBusy}
              >
                {d.actions.includes('adopt') ? 'Retry (adopts what was already made)' : LABELS[a]}
              </Button>
            ) : null;
          case 'adopt':
            // Adopting is what a retry does after a timeout (observe finds what was made): one button, not two.
            return canAct && !d.actions.includes('retry') ? (
              <Button
                key={a}
                size="sm"
                variant="primary"
                onClick={() => adopt.mutate(input)}
                isBusy={adopt.isPending}
                disabled={isBusy}
              >
                {LABELS[a]}
              </Button>
            ) : null;
          default:
            return assertNever(a, 'DiagnosisAction');
        }
      })}
    </div>
  );
}
