// The host-lock session on a real sshd: steps of one shell keep their own output and status (a failing step does not
// end the session), the lock is held from the session's start to its end (a script of another connection waits for
// it), and an aborted session's lock goes with its last process.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdapterError } from '@netplane/adapter-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConnection, SshHost } from '../src';
import { withHostLock } from '../src/session';
import { lockPreamble } from '../src/shell';
import { type Sshd, startSshd } from '../src/testing';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let sshd: Sshd;
let work: string;
let root: string;
const hosts: SshHost[] = [];
const signal = () => AbortSignal.timeout(30_000);

function host(): SshHost {
  const conn = parseConnection(
    `ssh://root@127.0.0.1:${sshd.port}`,
    { hostKey: sshd.hostKey, stateDir: work },
    { privateKey: sshd.privateKey },
  );
  const h = new SshHost(conn, silent);
  hosts.push(h);
  return h;
}

beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), 'np-vrouter-session-'));
  root = join(work, 'np');
});
afterAll(async () => {
  for (const h of hosts) h.close();
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** How many processes wait for the lock (the "->" lines of /proc/locks on its inode). */
async function waitersOf(path: string): Promise<number> {
  const ino = (await stat(path)).ino;
  const locks = await readFile('/proc/locks', 'utf8');
  return locks.split('\n').filter((l) => l.includes('->') && l.includes(`:${ino} `)).length;
}

async function until(cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in 20 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('host-lock session', () => {
  it('runs steps in one shell: exact output, a failing step is VENDOR_ERROR and the next one still runs', async () => {
    const h = host();
    const trips = h.roundTrips;
    const out = await withHostLock(h, root, signal(), async (s) => {
      const a = await s.runOk('printf "no newline"; x=1', signal(), 'step a');
      const failed = await s.runOk('echo partial; echo why >&2; exit 3', signal(), 'step b').catch((e) => e);
      const c = await s
        .runOk('echo "$NETPLANE_LOCKED"; false; echo never', signal(), 'step c')
        .catch((e) => e);
      const d = await s.runOk(`${lockPreamble(root)}\necho "x=\${x:-unset}"`, signal(), 'step d');
      return { a, failed, c, d };
    });
    expect(out.a).toBe('no newline');
    expect(out.failed).toBeInstanceOf(AdapterError);
    expect(out.failed).toMatchObject({
      category: 'VENDOR_ERROR',
      vendorCode: 'EXIT_3',
      vendorMessage: 'why',
    });
    // set -e ends a step at its first failure; a step is a subshell, so its variables do not outlive it.
    expect(out.c).toMatchObject({ category: 'VENDOR_ERROR', vendorCode: 'EXIT_1' });
    // lockPreamble inside a session does not take the lock again (it would wait for itself).
    expect(out.d).toBe('x=unset\n');
    expect(h.roundTrips - trips).toBe(4);
  });

  it('holds the lock from start to end: a writing script of another connection waits for it', async () => {
    const [a, b] = [host(), host()];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let reading!: () => void;
    const hasRead = new Promise<void>((r) => {
      reading = r;
    });
    const session = withHostLock(a, root, signal(), async (s) => {
      await s.runOk('true', signal(), 'read');
      reading();
      await held;
      await s.runOk(`echo first >> ${root}/order`, signal(), 'write');
    });
    await hasRead;
    const other = b.runOk(`${lockPreamble(root)}\necho second >> ${root}/order`, signal(), 'other');
    await until(async () => (await waitersOf(`${root}/.lock`)) === 1);
    release();
    await session;
    await other;
    expect(await readFile(`${root}/order`, 'utf8')).toBe('first\nsecond\n');
  });

  it('an aborted session rejects at once, and its lock goes when its running step ends', async () => {
    const h = host();
    const ac = new AbortController();
    const stuck = withHostLock(h, root, ac.signal, (s) => s.runOk('sleep 2.71', ac.signal, 'stuck'));
    await until(async () => {
      const { stdout } = await new Promise<{ stdout: string }>((resolve) => {
        const p = spawn('pgrep', ['-f', '^sleep 2.71$']);
        let out = '';
        p.stdout.on('data', (d: Buffer) => {
          out += d;
        });
        p.once('close', () => resolve({ stdout: out }));
      });
      return stdout.trim() !== '';
    });
    ac.abort(new Error('test'));
    await expect(stuck).rejects.toBeDefined();
    // The channel is closed; sshd does not kill what the shell runs, and the step's sleep keeps the lock's descriptor
    // until it ends (as a plain script under the lock does): then the next session gets the lock.
    const next = await withHostLock(host(), root, signal(), (s) => s.runOk('echo got', signal(), 'next'));
    expect(next).toBe('got\n');
  });
});
