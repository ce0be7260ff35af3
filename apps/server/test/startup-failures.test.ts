// Every way `start` can fail on configuration, against the real bundled process: it exits non-zero and prints one or
// two lines naming the setting and the fix (no stack unless LOG_LEVEL=debug), and it fails before touching anything.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabaseUrl, MYSQL_SERVER_URL, testDialects } from '@netplane/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'netplane-startfail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** A fresh data dir (not created) and its default SQLite URL. */
function fresh() {
  const dataDir = join(dir, `case-${++n}`);
  return {
    dataDir,
    env: { NETPLANE_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'netplane.db')}` },
  };
}

/** The lines a person reads: stderr without JSON log lines. */
const humanLines = (stderr: string) =>
  stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));

async function expectRefused(env: Record<string, string>, setting: string, problem: RegExp) {
  const r = await runCli(['start'], env);
  const lines = humanLines(r.stderr);
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code).not.toBeNull();
  expect(lines.length, r.stderr).toBeGreaterThanOrEqual(1);
  expect(lines.length, r.stderr).toBeLessThanOrEqual(2);
  expect(lines[0]).toContain(setting);
  expect(lines.join('\n')).toMatch(problem);
  expect(r.stderr).not.toMatch(/^\s+at \S+ \(/m); // no stack frames
  expect(r.stdout).not.toContain('Netplane listening');
  return r;
}

async function listenAnywhere(): Promise<Server> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}
const portOf = (s: Server) => (s.address() as { port: number }).port;

describe('start refuses a bad configuration with one or two lines naming the setting', () => {
  it('malformed DATABASE_URL: names the variable (not "TypeError: Invalid URL") and never echoes the password', async () => {
    const r = await expectRefused(
      { ...fresh().env, DATABASE_URL: 'mysql://root:s3cret@[not-a-host/netplane' },
      'DATABASE_URL',
      /not a valid URL/,
    );
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toContain('TypeError');
  });

  it('DATABASE_URL=sqlite: with an empty path is refused (it would run on a temporary database)', async () => {
    await expectRefused({ ...fresh().env, DATABASE_URL: 'sqlite:' }, 'DATABASE_URL', /no file path/);
  });

  it('unreachable database server', async () => {
    const closed = await listenAnywhere();
    const port = portOf(closed);
    await new Promise((r) => closed.close(r));
    await expectRefused(
      { ...fresh().env, DATABASE_URL: `mysql://root@127.0.0.1:${port}/netplane` },
      'DATABASE_URL',
      new RegExp(`cannot reach the database server at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
    );
  });

  it('port in use: refused before migrations and setup run', async () => {
    const holder = await listenAnywhere();
    try {
      const { dataDir, env } = fresh();
      await expectRefused(
        { ...env, PORT: String(portOf(holder)), NETPLANE_ADMIN_PASSWORD: 'port-test-pw' },
        'PORT',
        /already in use/,
      );
      expect(existsSync(join(dataDir, 'netplane.db'))).toBe(false);
    } finally {
      holder.close();
    }
  });

  it('data dir that is a file, or under a file', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    await expectRefused({ ...fresh().env, NETPLANE_DATA_DIR: file }, 'NETPLANE_DATA_DIR', /not a directory/);
    await expectRefused(
      { ...fresh().env, NETPLANE_DATA_DIR: join(file, 'sub') },
      'NETPLANE_DATA_DIR',
      /a part of its path is a file/,
    );
  });

  it('data dir that is not writable', async () => {
    // As root a chmod does not stop writes, so use a directory the kernel refuses to write (sysfs).
    let target = '/sys/kernel';
    if (process.getuid?.() !== 0) {
      target = join(dir, 'read-only');
      mkdirSync(target, { mode: 0o500 });
    }
    await expectRefused(
      { NETPLANE_DATA_DIR: target, DATABASE_URL: `sqlite:${join(dir, `rw-${n}.db`)}` },
      'NETPLANE_DATA_DIR',
      /not writable/,
    );
  });

  it('corrupt SQLite file', async () => {
    const { dataDir, env } = fresh();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'netplane.db'),
      'this is not a database, just text long enough to have a header',
    );
    await expectRefused(env, 'NETPLANE_DATA_DIR', /corrupt or not a database/);
  });

  it('malformed NETPLANE_MASTER_KEY', async () => {
    const r = await expectRefused(
      { ...fresh().env, NETPLANE_MASTER_KEY: 'not-a-real-key' },
      'NETPLANE_MASTER_KEY',
      /32 random bytes[\s\S]*openssl rand -base64 32/,
    );
    expect(r.stderr).not.toContain('not-a-real-key');
  });

  it('key file readable by group or others', async () => {
    const { dataDir, env } = fresh();
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'master-keys.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    await expectRefused(env, 'NETPLANE_DATA_DIR', new RegExp(`mode is 0644[\\s\\S]*chmod 600 ${path}`));
  });

  it('prints the stack at LOG_LEVEL=debug only', async () => {
    const r = await runCli(['start'], { ...fresh().env, DATABASE_URL: 'sqlite:', LOG_LEVEL: 'debug' });
    expect(r.code).not.toBe(0); // an EnvError: the message is the whole story even at debug
    const holder = await listenAnywhere();
    try {
      const d = await runCli(['start'], { ...fresh().env, PORT: String(portOf(holder)), LOG_LEVEL: 'debug' });
      expect(d.code).not.toBe(0);
      expect(humanLines(d.stderr)[0]).toContain('PORT');
      expect(d.stderr).toMatch(/^\s+at \S+ \(/m);
    } finally {
      holder.close();
    }
  });
});

describe.skipIf(!testDialects().includes('mysql'))('start refuses bad MariaDB settings', () => {
  const server = new URL(MYSQL_SERVER_URL);
  const at = (auth: string, db: string) => `mysql://${auth}@${server.hostname}:${server.port || 3306}/${db}`;

  it('wrong credentials name DATABASE_URL and the user, never the password', async () => {
    const r = await expectRefused(
      { ...fresh().env, DATABASE_URL: at('netplane_nobody:Wr0ngPass', 'mysql') },
      'DATABASE_URL',
      /refused user "netplane_nobody" \(wrong user or password\)/,
    );
    expect(r.stderr).not.toContain('Wr0ngPass');
  });

  it('unknown database names it and says how to create it', async () => {
    const name = `np_absent_${Date.now().toString(36)}`;
    await expectRefused(
      { ...fresh().env, DATABASE_URL: at(server.username || 'root', name) },
      'DATABASE_URL',
      new RegExp(`database "${name}" does not exist[\\s\\S]*CREATE DATABASE`),
    );
  });

  it('a database URL without a database name', async () => {
    await expectRefused(
      { ...fresh().env, DATABASE_URL: at(server.username || 'root', '') },
      'DATABASE_URL',
      /names no database/,
    );
  });

  it('an existing empty database still starts (the checks do not refuse what works)', async () => {
    const db = await createTestDatabaseUrl('mysql');
    try {
      const r = await runCli(['migrate'], { ...fresh().env, DATABASE_URL: db.url });
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
