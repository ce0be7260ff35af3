// Transient notifications in an aria-live region; success ones fade after 5 s, errors stay until dismissed.
import { CheckCircle2, X, XCircle } from 'lucide-react';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { cx } from '../lib/cx';
import { readError } from '../lib/errors';

type Toast = { id: number; tone: 'success' | 'error'; text: string };
type ToastApi = { success: (text: string) => void; error: (errorOrText: unknown) => void };

const ToastContext = createContext<ToastApi | null>(null);
let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (tone: Toast['tone'], text: string) => {
      const id = nextId++;
      setToasts((ts) => [...ts.slice(-4), { id, tone, text }]);
      if (tone === 'success') setTimeout(() => dismiss(id), 5000);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({
      success: (text) => push('success', text),
      error: (e) => {
        const r = readError(e);
        push('error', typeof e === 'string' ? e : r.appCode ? `${r.message} (${r.appCode})` : r.message);
      },
    }),
    [push],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <section
        aria-label="Notifications"
        aria-live="polite"
        className="fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.tone === 'error' ? 'alert' : 'status'}
            className={cx(
              'flex items-start gap-2 rounded-lg border p-3 text-sm shadow-lg',
              t.tone === 'success'
                ? 'border-emerald-200 bg-white text-slate-900 dark:border-emerald-800 dark:bg-slate-900 dark:text-slate-100'
                : 'border-red-200 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100',
            )}
          >
            {t.tone === 'success' ? (
              <CheckCircle2 aria-hidden className="size-4 shrink-0 text-emerald-600" />
            ) : (
              <XCircle aria-hidden className="size-4 shrink-0 text-red-600" />
            )}
            <p className="flex-1">{t.text}</p>
            <button
              type="button"
              onClick={() => dismiss(t.id)}
              aria-label="Dismiss notification"
              className="rounded"
            >
              <X aria-hidden className="size-4" />
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast outside ToastProvider');
  return api;
}
