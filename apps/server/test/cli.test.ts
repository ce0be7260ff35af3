// The CLI commands against a real SQLite file: migrate is idempotent, keys status/rotate report key ids only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'netplane-cli-'));
const env = {
  PATH: process.env.PATH ?? '',
  NETPLANE_DATA_DIR: join(dir, 'data'),
  DATABASE_URL: `sqlite:${join(dir, 'data', 'netplane.db')}`,
};
const run = (...args: string[]) =>
  spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, env, encoding: 'utf8' });

describe('CLI', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, and a second migrate applies nothing', () => {
    const first = run('migrate');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('Migrations applied');
    const second = run('migrate');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('Database already up to date');
  });

  it('keys status names the active key; keys rotate makes a new one active', () => {
    const before = run('keys', 'status');
    expect(before.status, before.stderr).toBe(0);
    const active = before.stdout.match(/Active key: (\S+)/)?.[1];
    expect(active).toBeTruthy();
    const rotate = run('keys', 'rotate');
    expect(rotate.status, rotate.stderr).toBe(0);
    const after = run('keys', 'status').stdout.match(/Active key: (\S+)/)?.[1];
    expect(after).toBeTruthy();
    expect(after).not.toBe(active);
  });

  it('refuses an unknown command and a bad environment with a clear message and exit code', () => {
    const unknown = run('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('usage: netplane');
    const bad = spawnSync(process.execPath, [MAIN, 'migrate'], {
      cwd: dir,
      env: { ...env, PORT: 'eighty', DATABASE_URL: 'postgres://x' },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Invalid environment');
    expect(bad.stderr).toContain('PORT');
    expect(bad.stderr).toContain('DATABASE_URL');
    expect(bad.stderr).not.toMatch(/\bat \S+ \(/);
  });
});
