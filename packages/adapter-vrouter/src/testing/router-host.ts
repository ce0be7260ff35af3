// One router host for a test file: a throw-away sshd, a work directory with the adapter's state dir, optionally a
// public network, the elements the test makes on it, and a stop() that undoes all of it. Each test file runs its own
// (its own prefix and VLAN range), so files running at once never share a name or a segment.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namesFor, type VrouterElement } from '..';
import { cleanupHost, element, testPrefix } from './host';
import { createPublicSide, type PublicSide } from './public';
import { vlanBase } from './seed';
import { type Sshd, startSshd } from './sshd';

export type RouterHost = {
  prefix: string;
  names: ReturnType<typeof namesFor>;
  sshd: Sshd;
  /** The test's scratch directory (leases, files), removed by stop(). */
  work: string;
  /** The adapter's stateDir on the host (`<work>/state`). */
  stateDir: string;
  /** The first of ten VLAN ids for the file's tiers, from a seed its label and prefix log. */
  vlan: number;
  /** The public network (bridge and upstream namespace) when asked for. */
  pub: PublicSide | null;
  /** An element on this host (closed by stop()); `over` adds to the adapter's config (publicBridge is preset). */
  element(over?: Record<string, unknown>): VrouterElement;
  /** Something of the test's own to undo first at stop() (servers, listeners, a world), last added first. */
  onStop(step: () => unknown): void;
  /** Undoes everything, each step even when one before failed; throws the first failure. */
  stop(): Promise<void>;
};

/** A router host; with `publicThird`, a public network 203.0.<third>.0/24 on the adapter's publicBridge. */
export async function startRouterHost(label: string, publicThird?: number): Promise<RouterHost> {
  const prefix = testPrefix();
  // The host's parts, kept as they are made, so a start that fails half-way is undone like a finished one.
  const undo: (() => unknown)[] = [];
  const own: (() => unknown)[] = [];
  const elements: VrouterElement[] = [];
  const stop = async () => {
    // A half clean-up leaves namespaces and an sshd behind: every step runs.
    const failed: unknown[] = [];
    const steps = [...own.reverse(), ...elements.map((e) => () => e.close()), ...undo.reverse()];
    own.length = 0;
    elements.length = 0;
    undo.length = 0;
    for (const step of steps) {
      try {
        await step();
      } catch (e) {
        failed.push(e);
      }
    }
    if (failed.length > 0) throw failed[0];
  };
  try {
    const sshd = await startSshd();
    undo.push(() => sshd.stop());
    const work = await mkdtemp(join(tmpdir(), `np-vrouter-${label}-${prefix}-`));
    const stateDir = join(work, 'state');
    undo.push(() => rm(work, { recursive: true, force: true }));
    undo.push(() => cleanupHost(prefix, stateDir));
    const pub = publicThird === undefined ? null : await createPublicSide(prefix, publicThird);
    if (pub) undo.push(() => pub.remove());
    return {
      prefix,
      names: namesFor(prefix),
      sshd,
      work,
      stateDir,
      vlan: vlanBase(`vrouter ${label} test (prefix ${prefix})`),
      pub,
      element(over = {}) {
        const el = element(sshd, prefix, stateDir, { ...(pub && { publicBridge: pub.bridge }), ...over });
        elements.push(el);
        return el;
      },
      onStop: (step) => own.push(step),
      stop,
    };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}
