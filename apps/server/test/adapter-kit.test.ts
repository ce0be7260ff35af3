// `netplane adapter test` with the built server (dist/main.js, built once by globalSetup): the conformance kit through
// the out-of-process runtime against the Python reference adapter passes and prints its cases; against a broken
// adapter it exits non-zero naming the failed case; an adapter that does not start fails the run with the reason.
// Also runs the reference adapter's own Python unit tests (python3 -m unittest), so `npm test` covers them.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PYTHON_ADAPTER = join(ROOT, 'examples', 'python-adapter');
const BROKEN = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'broken-adapter.py');
// Only decides when a failing run gives up: the kit's cases have their own deadlines.
const KIT_DEADLINE_MS = 240_000;

const kit = (args: string[]) => runCli(['adapter', 'test', ...args], {}, KIT_DEADLINE_MS);

// The cases every adapter runs (none depends on an optional service), as the CLI prints them when they pass.
const CORE_CASES = [
  'adopts a VPC on a repeated implementVpc and leaves the same state',
  'adopts a NIC on a repeated prepareNic and holds one port for it',
  'rejects a call with an already aborted signal as TIMEOUT and changes nothing',
  'settles a call mid-flight once its signal aborts',
  'prepares 50 NICs concurrently on one network, all succeeding and all observed',
  'answers per NIC in a batch: a conflicting NIC fails alone and the others are prepared',
  'reports through observe exactly what each call left, through release, shutdown and destroy',
  'answers a health check',
];

describe('netplane adapter test (the conformance kit for any adapter command)', {
  timeout: KIT_DEADLINE_MS + 10_000,
}, () => {
  it('passes the Python reference adapter through the out-of-process runtime and prints each case', async () => {
    const r = await kit(['--', 'python3', join(PYTHON_ADAPTER, 'adapter.py')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const name of CORE_CASES)
      expect(r.stdout).toMatch(new RegExp(`✓ ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`));
    // Its manifest offers no StaticNat, Lb, ACL lists or PortForwarding: those cases are skipped, not failed.
    expect(r.stdout).toContain(
      '- static NAT: adopts on a repeated apply and holds one NAT for the rule (skipped)',
    );
    expect(r.stdout).toMatch(/\n\d+ passed, 0 failed, \d+ skipped\n$/);
  });

  it('runs a package directory by its package.json (netplane.command, in the package folder)', async () => {
    const r = await kit([PYTHON_ADAPTER]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('netplane adapter test: python3 adapter.py');
  });

  it('exits non-zero against an adapter that answers implementVpc wrongly, naming the failed case', async () => {
    const r = await kit(['--', 'python3', BROKEN]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ adopts a VPC on a repeated implementVpc and leaves the same state');
    expect(r.stdout).toContain('expected { adopted: false } to deeply equal { adopted: true }');
    expect(r.stdout).toMatch(/\n\d+ passed, 1 failed, \d+ skipped\n$/);
  });

  it('fails the run with the reason when the adapter does not start, and says how to call it on bad arguments', async () => {
    const r = await kit(['--', 'python3', '-c', 'import sys; sys.exit(3)']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ the kit could not run:');
    expect(r.stdout).toMatch(/0 passed, 0 failed, 0 skipped, 1 error\n/);
    const usage = await kit(['--config', '{not json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('netplane adapter test: --config is not JSON');
  });
});

describe('the Python reference adapter', () => {
  it('passes its own protocol tests (python3 -m unittest over its real pipes)', () => {
    const r = spawnSync('python3', ['-m', 'unittest', '-q'], {
      cwd: PYTHON_ADAPTER,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Ran \d+ tests/);
  });
});
