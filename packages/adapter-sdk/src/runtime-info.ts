// How an adapter runs, as the server reports it (adapters page, `netplane adapters list`): inside the management
// process, or as a supervised child process speaking the wire protocol (docs/adapter-protocol.md).

export type AdapterProcessExit = {
  /** ISO time of the exit. */
  at: string;
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  signal: string | null;
  /** One line: "exited with code 1", "was killed by SIGKILL", "wrote a line that is not JSON-RPC", "missed 3 health pings". */
  reason: string;
};

export type AdapterRuntimeInfo =
  | { kind: 'in-process' }
  | {
      kind: 'process';
      /** The command line without secrets (credentials never reach argv). */
      command: string;
      state: 'starting' | 'running' | 'restarting' | 'stopped';
      pid: number | null;
      /** ISO time the current process started, null while none runs. */
      startedAt: string | null;
      /** Restarts after crashes since the server started (a reload is not a restart). */
      restarts: number;
      lastExit: AdapterProcessExit | null;
      /** Resident memory of the current process, read by the host (null when unknown). */
      rssBytes: number | null;
      protocolVersion: number | null;
    };

/** What a reload answered: the new version now serves new calls, or the old one keeps running and why. */
export type AdapterReloadResult =
  | { ok: true; previousVersion: string; version: string }
  | { ok: false; reason: string };
