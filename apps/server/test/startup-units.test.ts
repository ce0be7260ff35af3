// Unit tests of the startup pieces: env parsing, adapter module validation and loading, cookies, log redaction.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ADAPTER_SDK_VERSION } from '@netplane/adapter-sdk';
import { simulatorManifest } from '@netplane/adapter-simulator';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveAdapterModule } from '../src/adapter-module';
import { loadAdapters, validateAdapterModule } from '../src/adapters';
import { parseCookies, sessionCookie } from '../src/cookies';
import { EnvError, loadEnv } from '../src/env';
import { REDACT_PATHS } from '../src/logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return {
    lines,
    logger: pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream),
  };
}

const goodModule = {
  manifest: {
    ...simulatorManifest,
    id: 'good-one',
    version: '2.0.1',
    isolationMethods: ['VLAN'],
    services: {},
    credentialSchema: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } },
    configSchema: { type: 'object', properties: {} },
  },
  createElement: () => ({}),
};

describe('env', () => {
  it('applies the documented defaults', () => {
    const env = loadEnv({});
    expect(env.port).toBe(8080);
    expect(env.host).toBe('127.0.0.1');
    expect(env.databaseUrl).toMatch(/^sqlite:.*data[/\\]netplane\.db$/);
    expect(env.logLevel).toBe('info');
    expect(env.nodeId).toMatch(/-\d+$/);
    expect(env.cookieSecure).toBe(false);
  });

  it('treats empty values as unset and parses flags', () => {
    const env = loadEnv({ PORT: '', NETPLANE_COOKIE_SECURE: '1', NODE_ID: 'n1' });
    expect(env.port).toBe(8080);
    expect(env.cookieSecure).toBe(true);
    expect(env.nodeId).toBe('n1');
  });

  it('lists every bad variable in one EnvError, without echoing a secret value', () => {
    let err: unknown;
    try {
      loadEnv({ PORT: '99999', LOG_LEVEL: 'loud', NETPLANE_ADMIN_PASSWORD: 'short' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvError);
    const msg = (err as Error).message;
    expect(msg).toContain('PORT');
    expect(msg).toContain('LOG_LEVEL');
    expect(msg).toContain('NETPLANE_ADMIN_PASSWORD');
    expect(msg).not.toContain('short"');
  });
});

describe('adapter loading', () => {
  it('accepts a default export, a named `adapter`, or the namespace itself', () => {
    expect(validateAdapterModule({ default: goodModule })).toBe(goodModule);
    expect(validateAdapterModule({ adapter: goodModule })).toBe(goodModule);
    expect(validateAdapterModule(goodModule)).toBe(goodModule);
  });

  it('says what is wrong with a malformed module', () => {
    expect(validateAdapterModule({})).toMatch(/exports no adapter module/);
    expect(validateAdapterModule({ default: { ...goodModule, createElement: 1 } })).toMatch(/createElement/);
    expect(validateAdapterModule({ default: { ...goodModule, manifest: { id: 'x' } } })).toMatch(/version/);
    // What adapters.list could not show is refused at load, so one bad adapter never breaks the listing.
    const bad = (patch: object) => ({ ...goodModule, manifest: { ...goodModule.manifest, ...patch } });
    expect(validateAdapterModule(bad({ protocol: 'CARRIER-PIGEON' }))).toMatch(/^manifest\.protocol: /);
    expect(validateAdapterModule(bad({ serviceDependencies: undefined }))).toMatch(
      /^the manifest is malformed: /,
    );
  });

  it('refuses a manifest whose schemas are zod instances or not JSON Schema (they cross the boundary as data)', () => {
    const withConfig = (configSchema: unknown) => ({
      ...goodModule,
      manifest: { ...goodModule.manifest, configSchema },
    });
    expect(validateAdapterModule(withConfig(z.object({ a: z.string() })))).toMatch(
      /configSchema is a zod schema; manifests carry JSON Schema \(wrap it in configSchemaFrom\)/,
    );
    expect(validateAdapterModule(withConfig({ type: 'string' }))).toMatch(/type "object"/);
    expect(
      validateAdapterModule(withConfig({ type: 'object', properties: { a: { type: 'nope' } } })),
    ).toMatch(/configSchema is not a valid JSON Schema/);
  });

  it('calls a factory default export once with the SDK version, and reports its throw', async () => {
    const seen: unknown[] = [];
    const factory = (host: unknown) => {
      seen.push(host);
      return goodModule;
    };
    const made = await resolveAdapterModule({ default: factory });
    expect(made).toBe(goodModule);
    expect(seen).toEqual([{ sdkVersion: ADAPTER_SDK_VERSION }]);
    expect(
      await resolveAdapterModule({
        default: () => {
          throw new Error('no licence');
        },
      }),
    ).toBe('its factory threw: no licence');
  });

  it('logs Fully Loaded with id and version, and Unable to load with the reason, and keeps going', async () => {
    const { lines, logger } = capture();
    const regs = await loadAdapters(
      logger,
      ['@netplane/adapter-good', '@netplane/adapter-gone', '@netplane/adapter-bad'],
      async (spec) => {
        if (spec.endsWith('good')) return { default: goodModule };
        if (spec.endsWith('gone')) throw new Error('Cannot find module @netplane/adapter-gone');
        return { default: { manifest: {} } };
      },
    );
    expect(regs.map((r) => [r.id, r.status])).toEqual([
      ['good-one', 'Fully Loaded'],
      ['gone', 'Unable to load'],
      ['bad', 'Unable to load'],
    ]);
    expect(lines[0]).toMatchObject({ adapterId: 'good-one', version: '2.0.1' });
    expect(String(lines[0]?.msg)).toContain('Fully Loaded');
    expect(lines[1]).toMatchObject({ adapterId: 'gone' });
    expect(String(lines[1]?.reason)).toContain('Cannot find module');
    expect(String(lines[2]?.msg)).toBe('Unable to load adapter bad: manifest.id is missing or malformed');
  });
});

describe('installed adapter loading', () => {
  it('gives up on an adapter whose import never settles, with the reason, and loads the next one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netplane-hang-'));
    try {
      const write = (id: string, body: string) => {
        mkdirSync(join(dir, id));
        const pkg = {
          name: id,
          version: '1.0.0',
          type: 'module',
          peerDependencies: { '@netplane/adapter-sdk': '^1.0.0' },
        };
        writeFileSync(join(dir, id, 'package.json'), JSON.stringify(pkg));
        writeFileSync(join(dir, id, 'index.js'), body);
        return { dir: join(dir, id), spec: id, source: `directory ${join(dir, id)}` };
      };
      const hang = write('hang', 'await new Promise(() => {});\nexport default {};');
      const good = write(
        'good',
        `const manifest = ${JSON.stringify(goodModule.manifest)};\nexport default { manifest, createElement: () => ({}) };`,
      );
      const { logger } = capture();
      const regs = await loadAdapters(logger, [], undefined, [hang, good], 200);
      expect(regs[0]).toMatchObject({
        id: 'hang',
        status: 'Unable to load',
        reason: 'its import or factory did not finish within 0.2 s',
      });
      expect(regs[1]).toMatchObject({ id: 'good-one', status: 'Fully Loaded', source: good.source });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cookies', () => {
  it('parses a Cookie header and keeps the first of duplicate names', () => {
    expect(parseCookies('a=1; np_session=abc%2Fd; np_session=second')).toEqual({
      a: '1',
      np_session: 'abc/d',
    });
    expect(parseCookies(undefined)).toEqual({});
    expect(parseCookies('garbage;;=;x')).toEqual({});
  });

  it('builds an HttpOnly SameSite=Strict session cookie, Secure only when asked, and a clearing one', () => {
    const c = sessionCookie('np_session', 'tok', { expiresAt: Date.UTC(2030, 0, 1), secure: false });
    expect(c).toBe(
      'np_session=tok; Path=/; HttpOnly; SameSite=Strict; Expires=Tue, 01 Jan 2030 00:00:00 GMT',
    );
    expect(sessionCookie('np_session', 'tok', { expiresAt: 1, secure: true })).toMatch(/; Secure$/);
    expect(sessionCookie('np_session', '', { expiresAt: null, secure: false })).toContain('Max-Age=0');
  });
});

describe('log redaction', () => {
  it('redacts secret-looking fields at the top, nested, and in HTTP headers', () => {
    const { lines, logger } = capture();
    logger.info({
      password: 'p1',
      body: { credentials: { password: 'p2' }, token: 't1' },
      req: { headers: { cookie: 'np_session=s1', authorization: 'Bearer b1', 'x-csrf-token': 'c1' } },
    });
    const text = JSON.stringify(lines);
    for (const secret of ['"p1"', '"p2"', '"t1"', 'np_session=s1', 'Bearer b1', '"c1"']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
