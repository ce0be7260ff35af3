// The controller timeout must end a call that never answers even when the garbage collector runs while it hangs.
// Regression: the timeout was AbortSignal.any([outer, AbortSignal.timeout(ms)]); on Node 20 nothing holds the
// timeout signal strongly, a GC collects it, its timer is cleared and the call hangs until the controller gives up
// (the simulator after 10 minutes): "Job … still running after 30000 ms" in guards.test.ts whenever a GC landed in
// those 300 ms. Here the GC is forced at exactly that point, so the test fails every time without the fix.
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isAdapterError } from '@netplane/adapter-sdk';
import { expect, it } from 'vitest';
import { ControllerGuard } from '../src/guards/controller-guard';
import { DEFAULT_OPTIONS } from '../src/types';
import { describeDatabase } from './describe-world';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A controller that never answers on its own: it only stops when the caller's signal aborts. */
function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    // A later task, so the GC may clear weak references made while the call started (they survive their own job).
    setTimeout(gc, 0);
  });
}

/** Far longer than the 100 ms timeout: reaching it means the timeout never fired, not that the machine was slow. */
const HUNG_AFTER_MS = 20_000;

describeDatabase('call timeout', (db) => {
  it('ends a call that never answers with TIMEOUT although a GC runs while it hangs', async () => {
    const guard = new ControllerGuard(db.db, db.dialect, randomUUID(), 'node-a', {
      ...DEFAULT_OPTIONS,
      nodeId: 'node-a',
    });
    const limits = { maxConcurrent: 1, callsPerSecond: 0, timeoutMs: 100 };
    for (let i = 0; i < 3; i++) {
      let hungTimer: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>((r) => {
        hungTimer = setTimeout(() => r('hung'), HUNG_AFTER_MS);
      });
      const outcome = await Promise.race([
        guard.run(limits, new AbortController().signal, hang).then(
          () => 'answered',
          (e: unknown) => e,
        ),
        hung,
      ]);
      clearTimeout(hungTimer);
      expect(outcome).toSatisfy((e) => isAdapterError(e) && e.category === 'TIMEOUT');
    }
    await guard.slots.close();
  }, 90_000);

  it('ends a hung call at once when its job is aborted (drain, cancel, lost lease)', async () => {
    const guard = new ControllerGuard(db.db, db.dialect, randomUUID(), 'node-a', {
      ...DEFAULT_OPTIONS,
      nodeId: 'node-a',
    });
    const job = new AbortController();
    const reason = new Error('draining');
    const run = guard.run({ maxConcurrent: 1, callsPerSecond: 0, timeoutMs: 60_000 }, job.signal, (s) => {
      queueMicrotask(() => job.abort(reason));
      return hang(s);
    });
    await expect(run).rejects.toMatchObject({ category: 'TIMEOUT', cause: reason });
    await guard.slots.close();
  });
});
