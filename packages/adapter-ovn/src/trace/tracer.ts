// Which ovn-trace answers a trace: the element's daemon (daemon.ts) when it is provably fresh, else the one-shot run
// (run.ts), whose answer is always about the Southbound database as it is when it runs.
//
// Fresh means: the daemon's snapshot is the Southbound state at a generation (sb-generation.ts) at least the one the
// barrier gives at the start of this trace, i.e. it holds every change committed before the trace was asked. A
// daemon's generation is known only when the barrier before its start and the one after it agree (nothing changed
// while it loaded); otherwise it is never used. A stale, dead or exhausted daemon is replaced (one start shared by
// every trace waiting); when that cannot give a fresh one, the trace runs one-shot. Traces that pin a load balancer
// backend (--lb-dst, not available in daemon mode) always run one-shot.
import { type AdapterEnv, throwIfAborted } from '@netplane/adapter-sdk';
import { microflow, type OvsdbClient, type TracePacket } from '@netplane/ovsdb';
import { CT_EXHAUSTED, TraceDaemon } from './daemon';
import { runOvnTrace, shownCommand, TRACE_TIMEOUT_MS, type TraceRun, traceTail } from './run';
import { orAbort, SbGeneration } from './sb-generation';

type Southbound = { endpoint: string; credentials: Record<string, string> };

const TRACERS = new WeakMap<object, OvnTracer>();
/** The tracer of an element, for tests that look at its daemon (its pid, what answered). */
export const tracerOf = (element: object): OvnTracer | undefined => TRACERS.get(element);
export const registerTracer = (element: object, tracer: OvnTracer) => TRACERS.set(element, tracer);

export class OvnTracer {
  private daemon: { d: TraceDaemon; generation: number | undefined } | undefined;
  private starting: Promise<void> | undefined;
  private readonly stopping = new Set<Promise<void>>();
  private warned = false;
  private closed = false;
  private readonly generation: SbGeneration;
  /** What answered so far: tests read it to tell the daemon's answers from one-shot runs. */
  readonly stats = { daemonStarts: 0, daemonTraces: 0, oneShotRuns: 0 };

  constructor(
    private readonly southbound: Southbound,
    sbClient: OvsdbClient,
    private readonly logger: AdapterEnv['logger'],
    /** The daemon's --ct=new count; tests make it small to see a daemon run out. */
    private readonly ctStates?: number,
  ) {
    this.generation = new SbGeneration(sbClient);
  }

  /** The pid of the running daemon, if any (tests kill it). */
  get daemonPid(): number | undefined {
    return this.daemon?.d.alive ? this.daemon.d.pid : undefined;
  }

  async run(packet: TracePacket, lbDst: string | undefined, signal: AbortSignal): Promise<TraceRun> {
    const oneShot = () => {
      this.stats.oneShotRuns++;
      return runOvnTrace({ ...this.southbound, packet, ...(lbDst ? { lbDst } : {}) }, signal);
    };
    if (lbDst !== undefined || this.closed) return oneShot();
    const command = shownCommand(this.southbound.endpoint, this.southbound.credentials, traceTail(packet));
    // Twice at most: a daemon that died under us or ran out of --ct states is replaced once.
    for (let attempt = 0; attempt < 2; attempt++) {
      let d: TraceDaemon | undefined;
      try {
        const at = await this.generation.barrier(signal);
        d = await this.fresh(at, signal);
      } catch (e) {
        throwIfAborted(signal);
        this.logger.debug({ error: (e as Error).message }, 'ovn-trace daemon: no freshness barrier');
        return oneShot();
      }
      if (!d) return oneShot();
      try {
        const stdout = await d.query(packet.datapath, microflow(packet), signal, TRACE_TIMEOUT_MS);
        if (!stdout.includes(CT_EXHAUSTED)) {
          this.stats.daemonTraces++;
          return { ok: true, stdout, command };
        }
      } catch (e) {
        throwIfAborted(signal);
        this.logger.debug({ error: (e as Error).message }, 'ovn-trace daemon did not answer');
      }
      this.retire(d);
    }
    return oneShot();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => {});
    if (this.daemon) this.retire(this.daemon.d);
    await Promise.all(this.stopping);
    this.generation.close();
  }

  /** The daemon if it is alive and holds every change up to generation `at`; else a new one, if that one does. */
  private async fresh(at: number, signal: AbortSignal): Promise<TraceDaemon | undefined> {
    const usable = () => {
      const cur = this.daemon;
      return cur?.d.alive && cur.generation !== undefined && cur.generation >= at ? cur.d : undefined;
    };
    const now = usable();
    if (now) return now;
    this.starting ??= this.restart().finally(() => {
      this.starting = undefined;
    });
    await orAbort(this.starting, signal);
    return usable();
  }

  private async restart(): Promise<void> {
    if (this.daemon) this.retire(this.daemon.d);
    if (this.closed) return;
    const deadline = () => AbortSignal.timeout(TRACE_TIMEOUT_MS);
    const before = await this.generation.barrier(deadline());
    let d: TraceDaemon;
    try {
      d = await TraceDaemon.start(this.southbound, TRACE_TIMEOUT_MS, this.ctStates);
    } catch (e) {
      // Every trace tries again (a failed spawn is cheap); the log says it once per element.
      if (!this.warned)
        this.logger.warn({ error: (e as Error).message }, 'ovn-trace daemon did not start: tracing one-shot');
      this.warned = true;
      return;
    }
    this.stats.daemonStarts++;
    let after: number | undefined;
    try {
      after = await this.generation.barrier(deadline());
    } catch {
      // unknown: the daemon is kept, but never used
    }
    // Nothing changed while it loaded: its snapshot is the state at `before`. Else it is of no known generation.
    this.daemon = { d, generation: before === after ? before : undefined };
    if (this.closed) this.retire(d);
  }

  private retire(d: TraceDaemon): void {
    if (this.daemon?.d === d) this.daemon = undefined;
    const p = d.stop().catch((e: unknown) => {
      this.logger.warn({ error: (e as Error).message }, 'ovn-trace daemon did not stop cleanly');
    });
    this.stopping.add(p);
    void p.finally(() => this.stopping.delete(p));
  }
}
