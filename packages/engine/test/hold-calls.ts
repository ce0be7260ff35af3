// Test helper: a simulated controller that holds chosen calls until the test opens the gate, so "this controller is
// busy while that happens" is a fact the test controls rather than a latency it hopes is long enough.
import type { SimulatedController } from '@netplane/adapter-simulator';
import type { World } from './world';

export type CallGate = {
  /** Resolves when the first matching call arrived and is being held. */
  firstHeld: Promise<void>;
  /** Calls held right now. */
  readonly held: number;
  /** Lets every held call (and every later one) through. */
  open(): void;
};

/** A promise (`done`) that resolves once `release` is called: a point in a test that another part waits for. */
export function latch(): { done: Promise<void>; release: () => void } {
  let release: () => void = () => {};
  const done = new Promise<void>((r) => {
    release = r;
  });
  return { done, release };
}

/** Holds the matching calls of `controllerId` after the first `passFirst` of them went through. */
export function holdCalls(w: World, controllerId: string, ops: readonly string[], passFirst = 0): CallGate {
  const controller: SimulatedController = w.hub.controller(controllerId);
  const execute = controller.execute.bind(controller);
  let isOpen = false;
  let held = 0;
  let passed = 0;
  const opened = latch();
  const arrived = latch();
  controller.execute = async (cmd, signal, meta) => {
    if (!isOpen && ops.includes(cmd.op) && passed++ >= passFirst) {
      held++;
      arrived.release();
      try {
        // A held call still honours its signal, like a real hung controller.
        await new Promise<void>((resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          void opened.done.then(resolve);
        });
      } finally {
        held--;
      }
    }
    return execute(cmd, signal, meta);
  };
  return {
    firstHeld: arrived.done,
    get held() {
      return held;
    },
    open() {
      isOpen = true;
      opened.release();
    },
  };
}
