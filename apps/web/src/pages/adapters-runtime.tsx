// How an adapter runs (in process, or a supervised process: pid, uptime, restarts, last crash, memory) and the
// admin's Reload: a confirm dialog that stays open through the reload and ends with its result (the new version, or
// the refusal and the version that keeps running) or the error, so nothing happens behind the admin's back.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { useToast } from '../components/toasts';
import { readError } from '../lib/errors';
import { formatTime } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import {
  type AdapterRow,
  exitWasCrash,
  formatBytes,
  formatUptime,
  lastExitText,
  type ProcessRuntime,
  processStateText,
  type ReloadAnswer,
  reloadMessage,
} from './adapters-runtime-model';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-sm break-words">{children}</dd>
    </div>
  );
}

function ProcessFacts({ runtime: r }: { runtime: ProcessRuntime }) {
  const crashed = exitWasCrash(r.lastExit);
  return (
    <>
      <Fact label="Kind">Process{r.pid !== null && <span className="font-mono"> pid {r.pid}</span>}</Fact>
      <Fact label="State">{processStateText(r)}</Fact>
      <Fact label="Uptime">{formatUptime(r.uptimeSeconds)}</Fact>
      <Fact label="Restarts">{r.restarts}</Fact>
      <Fact label="Memory (RSS)">{formatBytes(r.rssBytes)}</Fact>
      <Fact label="Protocol">{r.protocolVersion !== null ? `v${r.protocolVersion}` : '—'}</Fact>
      <div className="col-span-2 min-w-0">
        <dt className="text-xs text-slate-500 dark:text-slate-400">{crashed ? 'Last crash' : 'Last exit'}</dt>
        <dd className={`text-sm break-words ${crashed ? 'text-red-700 dark:text-red-400' : ''}`}>
          {lastExitText(r.lastExit)}
          {r.lastExit && (
            <span className="text-slate-500 dark:text-slate-400">
              {' '}
              ({formatTime(Date.parse(r.lastExit.at))})
            </span>
          )}
        </dd>
      </div>
      <div className="col-span-2 min-w-0 md:col-span-4">
        <dt className="text-xs text-slate-500 dark:text-slate-400">Command</dt>
        <dd>
          <code className="font-mono text-xs wrap-anywhere">{r.command}</code>
        </dd>
      </div>
    </>
  );
}

/** The card's Runtime block: one line in process, the process's facts otherwise. */
export function RuntimeSection({ adapter: a }: { adapter: AdapterRow }) {
  if (!a.runtime) return null;
  return (
    <div className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">
        Runtime
      </h3>
      {a.runtime.kind === 'in-process' ? (
        <p className="text-sm">
          In process: runs inside the management server; a new version needs a server restart.
        </p>
      ) : (
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <ProcessFacts runtime={a.runtime} />
        </dl>
      )}
    </div>
  );
}

type Phase =
  | { step: 'confirm' }
  | { step: 'running' }
  | { step: 'done'; answer: ReloadAnswer }
  | { step: 'error'; message: string };

/** The Reload button and its dialog, for admins, on an out-of-process adapter. */
export function ReloadControl({ adapter: a }: { adapter: AdapterRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [phase, setPhase] = useState<Phase | null>(null);
  const reload = useMutation(
    trpc.adapters.reload.mutationOptions({
      onMutate: () => setPhase({ step: 'running' }),
      onSuccess: (answer) => {
        setPhase({ step: 'done', answer });
        if (answer.ok) toast.success(reloadMessage(answer));
      },
      onError: (e) => {
        const r = readError(e);
        setPhase({ step: 'error', message: r.appCode ? `${r.message} (${r.appCode})` : r.message });
      },
      onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.adapters.list.queryKey() }),
    }),
  );
  // The pid that served when the dialog opened: the list refreshes during a reload and shows the new one.
  const [pid, setPid] = useState<number | null>(null);
  const close = () => {
    if (phase?.step !== 'running') setPhase(null);
  };
  const title = `Reload ${a.manifest?.displayName ?? a.id}?`;
  return (
    <>
      <Button
        size="sm"
        icon={<RefreshCw className="size-4" />}
        onClick={() => {
          setPid(a.runtime?.kind === 'process' ? a.runtime.pid : null);
          setPhase({ step: 'confirm' });
        }}
      >
        Reload
      </Button>
      <Dialog
        isOpen={phase !== null}
        onClose={close}
        title={title}
        footer={
          phase?.step === 'done' || phase?.step === 'error' ? (
            <Button variant="primary" onClick={close}>
              Close
            </Button>
          ) : (
            <>
              <Button onClick={close} disabled={phase?.step === 'running'}>
                Cancel
              </Button>
              <Button
                variant="primary"
                isBusy={phase?.step === 'running'}
                onClick={() => reload.mutate({ id: a.id })}
              >
                Reload adapter
              </Button>
            </>
          )
        }
      >
        <div className="space-y-3 text-sm text-slate-700 dark:text-slate-200">
          <p>
            Netplane starts the installed version of <strong>{a.id}</strong> in a new process, sends new calls
            to it, lets the calls in flight finish on the running process{pid !== null && ` (pid ${pid})`},
            then stops it. If the new version cannot load, {a.version ?? 'the current version'} keeps running.
            This applies to the server node that answers this console.
          </p>
          {phase?.step === 'running' && (
            <p role="status" className="flex items-center gap-2 text-sky-800 dark:text-sky-300">
              <Loader2 aria-hidden className="size-4 animate-spin" /> Reloading {a.id}: starting the new
              process and draining the old one…
            </p>
          )}
          {phase?.step === 'done' &&
            (phase.answer.ok ? (
              <p role="status" className="font-medium text-emerald-800 dark:text-emerald-300">
                {reloadMessage(phase.answer)}
              </p>
            ) : (
              <p role="alert" className="font-medium break-words text-red-700 dark:text-red-400">
                {reloadMessage(phase.answer)}
              </p>
            ))}
          {phase?.step === 'error' && (
            <p role="alert" className="font-medium break-words text-red-700 dark:text-red-400">
              The reload could not be asked: {phase.message}
            </p>
          )}
        </div>
      </Dialog>
    </>
  );
}
