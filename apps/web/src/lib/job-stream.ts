// Live job progress over the jobs.watch subscription (SSE): one stream per running job, pushed as the job moves.
// Polling stays the fallback: while any stream is down (not yet connected, dropped, refused), `isLive` is false and
// pages poll fast as before; a refused stream is asked again with a growing pause. Many running jobs at once
// (a boot storm) are polled, not streamed: see MAX_STREAMS.
import { useEffect, useRef, useState } from 'react';
import type { Outputs } from './api-types';
import { useTRPCClient } from './trpc';

export type StreamedJob = Outputs['jobs']['list']['items'][number];

/**
 * Each stream holds one HTTP/1.1 connection, and a browser gives an origin only six: more running jobs than this
 * are not streamed (the page polls instead), so queries and mutations always keep a connection.
 */
export const MAX_STREAMS = 3;

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
export const isJobEnded = (j: { state: string }) => TERMINAL.has(j.state);

/**
 * Watches the given jobs; `onJob` gets every pushed version of each (the last one when it ends).
 * Returns whether every stream is connected (then polling can slow to a heartbeat).
 */
export function useJobStreams(
  jobIds: readonly string[],
  onJob: (job: StreamedJob) => void,
): { isLive: boolean } {
  const client = useTRPCClient();
  const onJobRef = useRef(onJob);
  onJobRef.current = onJob;
  const unique = [...new Set(jobIds)].sort();
  const isTooMany = unique.length > MAX_STREAMS;
  const key = isTooMany ? '' : unique.join(',');
  const [connected, setConnected] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    if (!key) return undefined;
    const ids = key.split(',');
    const subscriptions = new Map<string, { unsubscribe: () => void }>();
    const timers = new Set<ReturnType<typeof setTimeout>>();
    let isStopped = false;
    const mark = (id: string, isUp: boolean) =>
      setConnected((prev) => {
        if (prev.has(id) === isUp) return prev;
        const next = new Set(prev);
        if (isUp) next.add(id);
        else next.delete(id);
        return next;
      });

    const start = (id: string, attempt: number) => {
      subscriptions.get(id)?.unsubscribe();
      const sub = client.jobs.watch.subscribe(
        { id },
        {
          onConnectionStateChange: (s) => mark(id, s.state === 'pending'),
          onStarted: () => mark(id, true),
          onData: (job) => {
            mark(id, true);
            onJobRef.current(job as StreamedJob);
          },
          onComplete: () => mark(id, false),
          onError: () => {
            mark(id, false);
            if (isStopped) return;
            // Refused or broken beyond the link's own reconnect: ask again later, polling covers the gap.
            const t = setTimeout(
              () => {
                timers.delete(t);
                if (!isStopped) start(id, attempt + 1);
              },
              Math.min(30_000, 1000 * 2 ** attempt),
            );
            timers.add(t);
          },
        },
      );
      subscriptions.set(id, sub);
    };
    for (const id of ids) start(id, 0);
    return () => {
      isStopped = true;
      for (const t of timers) clearTimeout(t);
      for (const s of subscriptions.values()) s.unsubscribe();
      setConnected(new Set());
    };
  }, [key, client]);

  const ids = key ? key.split(',') : [];
  return { isLive: !isTooMany && ids.length > 0 && ids.every((id) => connected.has(id)) };
}

/** A job list with one job replaced by its pushed version (same list when the job is not in it). */
export function withJob<T extends { id: string }>(list: T[] | undefined, job: Partial<T> & { id: string }) {
  if (!list?.some((j) => j.id === job.id)) return list;
  return list.map((j) => (j.id === job.id ? { ...j, ...job } : j));
}

/** The same for one server page of a list ({ items, nextCursor, total }). */
export function withJobInPage<P extends { items: { id: string }[] }>(
  page: P | undefined,
  job: { id: string },
): P | undefined {
  const items = withJob(page?.items, job);
  return page && items !== page.items ? { ...page, items: items ?? [] } : page;
}
