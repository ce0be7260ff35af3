// Scripted faults: which active fault a call hits, counting down the ones limited to the next N calls.
import { randomUUID } from 'node:crypto';
import type { ActiveFault, FaultSpec, SimOperation, SimResourceKind } from './types';

export class FaultBook {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...spec, id: randomUUID(), remaining: spec.count ?? null, fired: 0 };
    this.faults.push(fault);
    return { ...fault };
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /**
   * Consumes the faults this call triggers: every matching slowness adds its delay, and the first other matching
   * fault (in the order they were injected) decides the outcome.
   */
  draw(
    op: SimOperation,
    resource: SimResourceKind | undefined,
  ): { extraDelayMs: number; fault: ActiveFault | undefined; fired: number } {
    let extraDelayMs = 0;
    let fired = 0;
    let fault: ActiveFault | undefined;
    for (const f of this.faults) {
      // An unrealized fault never decides a call's outcome: unrealizedFor() reads it once the write succeeded.
      if (f.kind === 'unrealized' || !matches(f, op, resource)) continue;
      if (f.kind === 'slowness') {
        extraDelayMs += f.delayMs;
      } else if (!fault) {
        fault = f;
      } else {
        continue;
      }
      this.consume(f);
      fired++;
    }
    this.faults = this.faults.filter((f) => f.remaining === null || f.remaining > 0);
    return { extraDelayMs, fault, fired };
  }

  /** The first active `unrealized` fault for a write that succeeded, consumed like any other. */
  unrealizedFor(
    op: SimOperation,
    resource: SimResourceKind | undefined,
  ): Extract<ActiveFault, { kind: 'unrealized' }> | undefined {
    const f = this.faults.find(
      (x): x is Extract<ActiveFault, { kind: 'unrealized' }> =>
        x.kind === 'unrealized' && matches(x, op, resource),
    );
    if (!f) return undefined;
    this.consume(f);
    this.faults = this.faults.filter((x) => x.remaining === null || x.remaining > 0);
    return { ...f };
  }

  private consume(f: ActiveFault): void {
    f.fired++;
    if (f.remaining !== null) f.remaining--;
  }
}

const matches = (f: ActiveFault, op: SimOperation, resource: SimResourceKind | undefined) =>
  (f.operation === undefined || f.operation === op) && (f.resource === undefined || f.resource === resource);
