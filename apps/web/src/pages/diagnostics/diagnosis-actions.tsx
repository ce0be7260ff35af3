// The actions a diagnosis offers, wired to the engine: retry / adopt / re-run negotiation re-run the failed job
// (a retry adopts what a timed-out call created, and an implement re-negotiates), release frees the NIC, and open
// controller links to the inventory.
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
  const canRelease = useCan('provision');
  const after = (what: string) => ({
    onSuccess: () => {
      toast.success(`${what} started; follow it under Jobs or on the VPC`);
      void queryClient.invalidateQueries({ queryKey: trpc.diagnostics.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey() });
    },
    onError: (e: unknown) => toast.error(e),
  });
  const retry = useMutation(trpc.jobs.retry.mutationOptions(after('Retry')));
  const release = useMutation(trpc.nics.release.mutationOptions(after('Release')));
  if (d.actions.length === 0 || d.resolvedAt) return null;
  const retryInput =
    d.targetType === 'job' ? { jobId: d.targetId } : d.jobId ? { jobId: d.jobId } : { targetId: d.targetId };

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
                {d.evidence.call?.controllerName ? ` ${d.evidence.call.controllerName}` : ''}
              </Link>
            );
          case 'release':
            return canRelease && d.targetType === 'nic' ? (
              <Button
                key={a}
                size="sm"
                onClick={() => release.mutate({ id: d.targetId })}
                isBusy={release.isPending}
              >
                {LABELS[a]}
              </Button>
            ) : null;
          case 'retry':
          case 'adopt':
          case 'rerun-negotiation':
            // Adopting is what a retry does after a timeout (observe finds what was made): one button, not two.
            if (a === 'adopt' && d.actions.includes('retry')) return null;
            return canAct ? (
              <Button
                key={a}
                size="sm"
                variant={a === 'adopt' ? 'secondary' : 'primary'}
                onClick={() => retry.mutate(retryInput)}
                isBusy={retry.isPending}
              >
                {a === 'retry' && d.actions.includes('adopt')
                  ? 'Retry (adopts what was already made)'
                  : LABELS[a]}
              </Button>
            ) : null;
          default:
            return null;
        }
      })}
    </div>
  );
}
