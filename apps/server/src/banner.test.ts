// The start banner names the URL, the database without its password, every adapter's load status and the way in; the
// pretty log format still redacts secrets (pino redacts before pino-pretty formats).
import { Writable } from 'node:stream';
import type { AdapterModule } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { describeDatabase, startBannerLines } from './banner';
import { createLogger } from './logger';

const loaded = {
  id: 'simulator',
  status: 'Fully Loaded',
  module: { manifest: { version: '0.1.0' } },
} as const;

describe('start banner', () => {
  it('names the database without its password', () => {
    expect(describeDatabase('mysql://netplane:s3cret-pw@db.example:3306/netplane')).toBe(
      'MariaDB/MySQL netplane@db.example:3306/netplane',
    );
    expect(describeDatabase('sqlite:/var/lib/netplane/netplane.db')).toBe(
      'SQLite /var/lib/netplane/netplane.db',
    );
  });

  it('shows the URL, the database, each adapter and the setup token on its own line', () => {
    const lines = startBannerLines({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'mysql://root:pw@127.0.0.1:3306/np',
      adapters: [
        loaded as unknown as { id: string; status: 'Fully Loaded'; module: AdapterModule },
        { id: 'acme', status: 'Unable to load', reason: 'createElement is not a function' },
      ],
      firstRun: { kind: 'token', token: 'tok-123' },
    });
    expect(lines).toEqual([
      'Netplane is running at http://127.0.0.1:8080',
      '  Database  MariaDB/MySQL root@127.0.0.1:3306/np',
      '  Adapters  simulator 0.1.0 Fully Loaded',
      '            acme Unable to load: createElement is not a function',
      'Netplane setup: open http://localhost:8080/setup and enter the token tok-123',
    ]);
    expect(lines.join('\n')).not.toContain(':pw@');
  });

  it('says how to sign in once an admin exists', () => {
    const base = { port: 3000, host: '0.0.0.0', databaseUrl: 'sqlite:/d/n.db', adapters: [] };
    expect(startBannerLines({ ...base, firstRun: { kind: 'admin-created', username: 'admin' } }).at(-1)).toBe(
      '  Sign in   http://localhost:3000 as admin (the password of NETPLANE_ADMIN_PASSWORD)',
    );
    expect(startBannerLines({ ...base, firstRun: { kind: 'ready' } }).at(-1)).toBe(
      '  Sign in   http://localhost:3000',
    );
  });
});

describe('pretty logs', () => {
  it('prints a line for people, with secrets redacted', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const logger = createLogger({ level: 'info', nodeId: 'n1', format: 'pretty' }, sink);
    logger.info({ controller: { credentials: { password: 'canary-pretty-1' } } }, 'Controller saved');
    expect(out).toMatch(/INFO.*Controller saved/);
    expect(out).not.toMatch(/^\{/);
    expect(out).not.toContain('canary-pretty-1');
    expect(out).toContain('[redacted]');
  });
});
