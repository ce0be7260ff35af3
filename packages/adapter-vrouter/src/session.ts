// Read, plan and write under the host lock. A call that writes reads the host first and decides from what it read
// (adopt or create, conflicts, the other tiers' ACL records); with the lock taken only by the write, two writers
// (two tiers with the same VLAN id, two server nodes preparing on one tier, an ACL apply and a destroyNetwork) could
// both plan from a read without the other's change and write a duplicate or lose the other's. A session is one shell
// on the host holding the lock (`flock` on `<stateRoot>/.lock`, as every writing script takes it) from before its
// read until after its write: each step is a round trip on that one channel, and the lock goes when the shell exits.
// Inside a session NETPLANE_LOCKED is set, so a script's own lockPreamble does not take the lock a second time.
//
// Lock order: the element's in-process mutexes first, then the host lock; a session never waits for a mutex, so two
// calls of one element cannot each hold what the other waits for.
import { randomBytes } from 'node:crypto';
import { abortable, throwIfAborted } from '@netplane/adapter-sdk';
import { q } from './shell';
import type { ExecResult, SshHost } from './ssh';

/** What reads and writes go through: the SSH host itself (no lock held) or a session (the lock held). */
export type HostRunner = Pick<SshHost, 'runOk'>;

/** Seconds a session waits for the host lock before it fails (another node's session is stuck). */
const LOCK_WAIT_S = 60;

export async function withHostLock<T>(
  ssh: SshHost,
  stateRoot: string,
  signal: AbortSignal,
  fn: (host: HostRunner) => Promise<T>,
): Promise<T> {
  throwIfAborted(signal);
  const { ch, countTrip } = await ssh.openShell(signal);
  const mark = `@@netplane-step-${randomBytes(6).toString('hex')}`;
  let out = '';
  let err = '';
  let closed = false;
  let wake: () => void = () => {};
  ch.on('data', (d: Buffer) => {
    out += d.toString();
    wake();
  });
  ch.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    wake();
  });
  ch.once('close', () => {
    closed = true;
    wake();
  });
  const onAbort = () => ch.close();
  signal.addEventListener('abort', onAbort, { once: true });
  // The lock is asked for at once; the first step's answer waits behind it.
  ch.write(
    [
      'NETPLANE_LOCKED=1; export NETPLANE_LOCKED',
      `mkdir -p ${q(stateRoot)} && exec 9>${q(`${stateRoot}/.lock`)}`,
      `flock -w ${LOCK_WAIT_S} 9 || { echo "netplane: router host lock busy for ${LOCK_WAIT_S} s" >&2; exit 75; }`,
      '',
    ].join('\n'),
  );

  /** One step (steps run one after the other): the script in a subshell (`set -e` ends the step, not the session), then its status as a mark. */
  async function step(script: string): Promise<ExecResult> {
    countTrip();
    const endOut = `\n${mark} `;
    const endErr = `${mark}\n`;
    ch.write(`(\nset -e\n${script}\n)\nprintf '\\n%s %s\\n' ${mark} "$?"\nprintf '%s\\n' ${mark} >&2\n`);
    for (;;) {
      const o = out.indexOf(endOut);
      const codeEnd = o < 0 ? -1 : out.indexOf('\n', o + endOut.length);
      const e = err.indexOf(endErr);
      if (codeEnd >= 0 && e >= 0) {
        const result = {
          stdout: out.slice(0, o),
          stderr: err.slice(0, e),
          code: Number(out.slice(o + endOut.length, codeEnd)),
        };
        out = out.slice(codeEnd + 1);
        err = err.slice(e + endErr.length);
        return result;
      }
      // The shell exited (the lock not had, the connection gone): the step has no status.
      if (closed) return { stdout: out, stderr: err, code: err.includes('lock busy') ? 75 : null };
      await abortable(
        new Promise<void>((r) => {
          wake = r;
        }),
        signal,
      );
    }
  }

  try {
    return await fn({ runOk: async (script, s, what) => ssh.checked(await step(script), s, what) });
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!closed) ch.end('exit 0\n');
  }
}
