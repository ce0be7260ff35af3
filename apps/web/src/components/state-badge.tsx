// One colour and icon per state, everywhere: Implemented green, Implementing blue with a spinner, Error red...
import {
  Ban,
  CheckCircle2,
  CircleDashed,
  CircleOff,
  Loader2,
  type LucideIcon,
  PauseCircle,
  PowerOff,
  Trash2,
  TriangleAlert,
  Wrench,
  XCircle,
} from 'lucide-react';
import { cx } from '../lib/cx';

type Tone = 'green' | 'blue' | 'red' | 'grey' | 'amber' | 'dark' | 'violet';
type Look = { tone: Tone; icon: LucideIcon; spin?: boolean };

// Keyed by the state words of domain vocabulary (network, NIC, provider, controller, job and rule states).
const LOOKS: Record<string, Look> = {
  Implemented: { tone: 'green', icon: CheckCircle2 },
  Active: { tone: 'green', icon: CheckCircle2 },
  Reserved: { tone: 'green', icon: CheckCircle2 },
  Enabled: { tone: 'green', icon: CheckCircle2 },
  succeeded: { tone: 'green', icon: CheckCircle2 },
  done: { tone: 'green', icon: CheckCircle2 },
  ok: { tone: 'green', icon: CheckCircle2 },
  'Fully Loaded': { tone: 'green', icon: CheckCircle2 },
  Implementing: { tone: 'blue', icon: Loader2, spin: true },
  Reserving: { tone: 'blue', icon: Loader2, spin: true },
  Releasing: { tone: 'blue', icon: Loader2, spin: true },
  Deallocating: { tone: 'blue', icon: Loader2, spin: true },
  Creating: { tone: 'blue', icon: Loader2, spin: true },
  // Rule states (static NAT, LB, port forwarding): a job is applying or revoking the rule.
  Add: { tone: 'blue', icon: Loader2, spin: true },
  Applying: { tone: 'blue', icon: Loader2, spin: true },
  Revoke: { tone: 'blue', icon: Loader2, spin: true },
  running: { tone: 'blue', icon: Loader2, spin: true },
  pending: { tone: 'grey', icon: CircleDashed },
  queued: { tone: 'grey', icon: CircleDashed },
  Allocated: { tone: 'grey', icon: CircleDashed },
  None: { tone: 'grey', icon: CircleDashed },
  Disabled: { tone: 'grey', icon: CircleOff },
  // API token states.
  Revoked: { tone: 'grey', icon: CircleOff },
  Expired: { tone: 'amber', icon: TriangleAlert },
  Shutdown: { tone: 'amber', icon: PowerOff },
  Maintenance: { tone: 'amber', icon: Wrench },
  Degraded: { tone: 'amber', icon: TriangleAlert },
  cancelled: { tone: 'amber', icon: Ban },
  stuck: { tone: 'amber', icon: PauseCircle },
  Destroy: { tone: 'dark', icon: Trash2 },
  Error: { tone: 'red', icon: XCircle },
  failed: { tone: 'red', icon: XCircle },
  error: { tone: 'red', icon: XCircle },
};

const TONES: Record<Tone, string> = {
  green:
    'bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-400/30',
  blue: 'bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-400/30',
  red: 'bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-300 dark:ring-red-400/30',
  grey: 'bg-slate-100 text-slate-700 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-400/30',
  amber:
    'bg-amber-50 text-amber-800 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-400/30',
  dark: 'bg-slate-800 text-slate-100 ring-slate-900/50 dark:bg-slate-200 dark:text-slate-900 dark:ring-slate-100/40',
  violet: 'bg-violet-50 text-violet-800 ring-violet-600/30 dark:bg-violet-950 dark:text-violet-300',
};

export function toneOf(state: string): Tone {
  return LOOKS[state]?.tone ?? 'grey';
}

export function StateBadge({ state, className }: { state: string; className?: string }) {
  const look = LOOKS[state] ?? { tone: 'violet' as const, icon: CircleDashed };
  const Icon = look.icon;
  return (
    <span
      className={cx(
        'inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        TONES[look.tone],
        className,
      )}
    >
      <Icon aria-hidden className={cx('size-3.5', look.spin && 'animate-spin motion-reduce:animate-none')} />
      {state}
    </span>
  );
}
