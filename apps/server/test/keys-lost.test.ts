// A node whose keyring lacks the key of stored credentials: a missing key file is not silently replaced, an explicit
// NETPLANE_CREATE_KEY=1 start warns in the log and /readyz reports the unreadable rows, and `keys status` exits 1.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, seedSimulatorInventory } from '@netplane/db/testing';
import { envKeySource, Keyring } from '@netplane/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';
import { startServerProcess } from './server-process';

describe('credentials sealed under a key this node does not hold', () => {
  const lostKey = randomBytes(32).toString('base64');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let keyId: string;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    dataDir = join(db.url.replace(/^sqlite:/, ''), '..', 'data');
    const keyring = new Keyring(envKeySource(lostKey));
    keyId = keyring.activeKeyId;
    await seedSimulatorInventory(db.db, {
      label: 'lost',
      vlanRange: { start: 10, end: 20 },
      credentials: (id) => keyring.encrypt(JSON.stringify({ username: 'u', password: 'p' }), id),
      limits: { maxConcurrent: 4, callsPerSecond: 50, timeoutMs: 2000 },
    });
    // The servers below open their own connections: release ours so SQLite's file is free.
    await db.close();
  });
  afterAll(async () => {
    await db?.drop();
  });
  const env = () => ({ NETPLANE_DATA_DIR: dataDir, DATABASE_URL: db.url });

  it('refuses to create a new key file when the database holds sealed credentials', async () => {
    const r = await runCli(['start'], { ...env(), NETPLANE_ADMIN_PASSWORD: 'keys-lost-pw' });
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('NETPLANE_DATA_DIR');
    expect(lines[0]).toContain(
      `master-keys.json is missing, but the database holds 1 controller credential rows sealed under ${keyId}`,
    );
    expect(lines[1]).toContain('NETPLANE_CREATE_KEY=1');
    expect(existsSync(join(dataDir, 'master-keys.json'))).toBe(false);
    // `keys status` and `keys rotate` do not create one either.
    expect((await runCli(['keys', 'status'], env())).code).toBe(1);
    expect((await runCli(['keys', 'rotate'], env())).code).toBe(1);
    expect(existsSync(join(dataDir, 'master-keys.json'))).toBe(false);
  });

  it('with NETPLANE_CREATE_KEY=1 it starts, warns, and /readyz reports the unreadable rows; keys status exits 1', async () => {
    const server = await startServerProcess({
      ...env(),
      NETPLANE_CREATE_KEY: '1',
      NETPLANE_ADMIN_PASSWORD: 'keys-lost-pw',
    });
    try {
      const warning = server
        .output()
        .split('\n')
        .find((l) => l.includes('Credentials unreadable on this node'));
      expect(warning, server.output()).toBeDefined();
      expect(JSON.parse(warning as string)).toMatchObject({
        level: 40,
        unreadableRows: 1,
        missingKeyIds: [keyId],
      });
      const ready = await fetch(`${server.url}/readyz`);
      // Still ready: the console must stay up so that an admin can re-enter the credentials.
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { checks: { credentials: string } };
      expect(body.checks.credentials).toBe(
        `unreadable: 1 of 1 controller credential rows are sealed under keys this node does not hold (${keyId})`,
      );
      const status = await runCli(['keys', 'status'], env());
      expect(status.code).toBe(1);
      expect(status.stdout).toContain(`WARNING: 1 rows sealed under keys not held: ${keyId}`);
    } finally {
      await server.stop();
    }
  });

  it('with the right key held, /readyz says ok and keys status exits 0', async () => {
    const status = await runCli(['keys', 'status'], { ...env(), NETPLANE_MASTER_KEY: lostKey });
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const server = await startServerProcess({ ...env(), NETPLANE_MASTER_KEY: lostKey });
    try {
      const body = (await (await fetch(`${server.url}/readyz`)).json()) as {
        checks: { credentials: string };
      };
      expect(body.checks.credentials).toBe('ok');
      expect(server.output()).not.toContain('Credentials unreadable');
    } finally {
      await server.stop();
    }
  });
});
