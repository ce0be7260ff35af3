// Drain hooks run on SIGTERM/SIGINT after the HTTP server stops accepting (e.g. the engine hands back job leases).
export type DrainHook = { name: string; run(signal: AbortSignal): Promise<void> };

const hooks: DrainHook[] = [];

export function registerDrainHook(name: string, run: DrainHook['run']): void {
  hooks.push({ name, run });
}

/** Runs every hook in reverse registration order; an abort signal fires at the deadline. Returns the failures. */
export async function runDrainHooks(deadlineMs: number): Promise<{ name: string; error: unknown }[]> {
  const failures: { name: string; error: unknown }[] = [];
  const signal = AbortSignal.timeout(Math.max(1, deadlineMs));
  for (const h of [...hooks].reverse()) {
    try {
      await h.run(signal);
    } catch (error) {
      failures.push({ name: h.name, error });
    }
  }
  return failures;
}
