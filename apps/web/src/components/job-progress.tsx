// A job as one line: kind, state badge, a progress bar for bulk work, and its error when it failed.
import type { Outputs } from '../lib/api-types';
import { formatAgo, formatDuration } from '../lib/format';
import { ProgressBar } from './progress-bar';
import { StateBadge } from './state-badge';

type Job = Outputs['jobs']['list']['items'][number];

export function JobProgress({ job }: { job: Job }) {
  const isBulk = job.progressTotal > 0;
  const elapsed = job.startedAt ? (job.finishedAt ?? Date.now()) - job.startedAt : null;
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-mono text-xs">{job.kind}</span>
        <StateBadge state={job.stuck ? 'stuck' : job.state} />
        <span className="text-xs text-slate-500 dark:text-slate-400">
          by {job.createdBy} · {formatAgo(job.createdAt)}
          {elapsed !== null && ` · ${formatDuration(elapsed)}`}
          {job.attempts > 1 && ` · attempt ${job.attempts}`}
        </span>
      </div>
      {isBulk && (
        <ProgressBar
          label={`Progress of ${job.kind}`}
          value={job.progressDone}
          max={job.progressTotal}
          tone={job.state === 'failed' ? 'red' : job.state === 'succeeded' ? 'green' : 'blue'}
        />
      )}
      {job.error && (
        <p className="text-xs text-red-700 dark:text-red-400">
          {job.error.code}: {job.error.message}
        </p>
      )}
    </div>
  );
}

export const isJobActive = (j: { state: string }) => j.state === 'queued' || j.state === 'running';
