// The actions a diagnosis offers. Open controller is a link; the others call the engine's VPC actions once its API is
// on this server (until then they are shown disabled with the reason, never faked).
import { ExternalLink } from 'lucide-react';
import { Link } from 'react-router';
import { Button } from '../../components/button';
import { useCan } from '../../lib/can';
import type { DiagnosisView } from './diagnosis-card';

const LABELS = {
  retry: 'Retry',
  adopt: 'Adopt existing resource',
  release: 'Release',
  'rerun-negotiation': 'Re-run negotiation',
  'open-controller': 'Open controller',
} as const;

export function DiagnosisActions({ diagnosis }: { diagnosis: DiagnosisView }) {
  const canAct = useCan('diagnostics.act');
  if (diagnosis.actions.length === 0 || diagnosis.resolvedAt) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {diagnosis.actions.map((a) =>
        a === 'open-controller' ? (
          <Link
            key={a}
            to="/infrastructure"
            className="inline-flex h-8 items-center gap-1.5 rounded-md border border-slate-300 px-2.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            <ExternalLink aria-hidden className="size-4" /> {LABELS[a]}
          </Link>
        ) : canAct ? (
          <Button
            key={a}
            size="sm"
            variant={a === 'retry' ? 'primary' : 'secondary'}
            disabled
            title="The engine's action API is not on this server yet"
          >
            {LABELS[a]}
          </Button>
        ) : null,
      )}
    </div>
  );
}
