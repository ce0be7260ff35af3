// `netplane adapter new` with the built server (built once by globalSetup): a package scaffolded in each language into
// a temporary directory outside the repository passes `netplane adapter test` unchanged and is `Fully Loaded` by the
// server started with NETPLANE_ADAPTERS naming it; a bad vendor name and a non-empty directory are refused with one
// clear line and nothing written.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';
import { dataOf, startServerProcess, TrpcClient } from './server-process';

const ADMIN_PASSWORD = 'scaffold-admin-password';
const home = mkdtempSync(join(tmpdir(), 'netplane-scaffold-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
// Only decides when a failing run gives up.
const KIT_DEADLINE_MS = 240_000;

const LANGS = [
  {
    lang: 'ts',
    vendor: 'acme-ts',
    files: [
      'README.md',
      'conformance-hooks.js',
      'conformance.test.js',
      'element.js',
      'index.js',
      'manifest.js',
      'package.json',
    ],
  },
  {
    lang: 'python',
    vendor: 'acme-py',
    files: ['README.md', 'adapter.py', 'element.py', 'manifest.py', 'package.json', 'test_adapter.py'],
  },
] as const;

describe('netplane adapter new (a working package from templates)', { timeout: 2 * KIT_DEADLINE_MS }, () => {
  it('scaffolds ts and python packages that pass the kit unchanged and load Fully Loaded with NETPLANE_ADAPTERS', async () => {
    const dirs: string[] = [];
    for (const { lang, vendor, files } of LANGS) {
      const dir = join(home, 'vendor', vendor);
      const made = await runCli(['adapter', 'new', vendor, '--lang', lang, '--dir', dir], {});
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toContain(`Wrote adapter ${vendor} (${lang}) to ${dir}:`);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining([...files]));
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(pkg.name).toBe(`netplane-adapter-${vendor}`);
      expect(pkg.peerDependencies).toEqual({ '@netplane/adapter-sdk': '^1.0.0' });
      if (lang === 'python') {
        expect(pkg.netplane).toEqual({ runtime: 'process', command: ['python3', 'adapter.py'] });
        // Its own protocol tests, as written (the first half of its npm test).
        const unit = spawnSync('python3', ['-m', 'unittest', '-q'], {
          cwd: dir,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1' },
          timeout: 120_000,
        });
        expect(unit.status, unit.stderr).toBe(0);
      }

      // As its package.json's test script runs it: the ts package with its hooks module (a foreign switch planted in
      // its controller), so the foreign-resource conflict case runs instead of being skipped.
      const hooks = lang === 'ts' ? ['--hooks', join(dir, 'conformance-hooks.js')] : [];
      const kit = await runCli(['adapter', 'test', dir, ...hooks], {}, KIT_DEADLINE_MS);
      expect(kit.code, kit.stdout + kit.stderr).toBe(0);
      expect(kit.stdout).toContain('✓ adopts a VPC on a repeated implementVpc and leaves the same state');
      const conflict = 'answers RESOURCE_CONFLICT for a foreign resource in the way and leaves it untouched';
      expect(kit.stdout).toContain(lang === 'ts' ? `✓ ${conflict}` : `- ${conflict} (skipped)`);
      expect(kit.stdout).toMatch(/\n\d+ passed, 0 failed, \d+ skipped\n$/);
      dirs.push(dir);
    }

    const dataDir = join(home, 'data');
    const server = await startServerProcess({
      NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      NETPLANE_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'netplane.db')}`,
      NETPLANE_ADAPTERS: dirs.join(','),
    });
    try {
      const c = new TrpcClient(server.url);
      expect((await c.login('admin', ADMIN_PASSWORD)).status).toBe(200);
      const list = dataOf<{ id: string; status: string; reason: string | null; source: string }[]>(
        await c.query('adapters.list'),
      );
      for (const [i, { vendor, lang }] of LANGS.entries()) {
        const got = list.find((a) => a.id === vendor);
        // The reason is in the comparison, so a failure says why it did not load.
        expect({ status: got?.status, reason: got?.reason, source: got?.source }).toEqual({
          status: 'Fully Loaded',
          reason: null,
          // The Python package runs out of process, through the runtime (its netplane.command).
          source: `directory ${dirs[i]}${lang === 'python' ? ' (process)' : ''}`,
        });
      }
    } finally {
      await server.stop();
    }
  });

  it('writes a ts package that type-checks against the SDK (strict, checkJs) as written', async () => {
    // Inside the repository, so '@netplane/adapter-sdk' resolves to the workspace's types as an installed one would.
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    const scratch = mkdtempSync(join(root, '.scaffold-tsc-'));
    try {
      const dir = join(scratch, 'acme');
      expect((await runCli(['adapter', 'new', 'acme', '--dir', dir], {})).code).toBe(0);
      const tsconfig = {
        extends: '../../tsconfig.base.json',
        compilerOptions: { allowJs: true, checkJs: true, noEmit: true },
        include: ['*.js'],
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
      const tsc = spawnSync(
        process.execPath,
        [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
        {
          encoding: 'utf8',
          timeout: 180_000,
        },
      );
      expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('refuses a bad vendor name and a non-empty directory with one clear line, writing nothing', async () => {
    const bad = await runCli(['adapter', 'new', 'Acme Networks!', '--dir', join(home, 'bad')], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'netplane adapter new: invalid vendor name "Acme Networks!": use 2-32 lowercase',
    );
    expect(() => readdirSync(join(home, 'bad'))).toThrow();

    const lang = await runCli(
      ['adapter', 'new', 'acme', '--lang', 'cobol', '--dir', join(home, 'cobol')],
      {},
    );
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('unknown language "cobol": use --lang ts or --lang python');

    const taken = join(home, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'notes.txt'), 'mine');
    const full = await runCli(['adapter', 'new', 'acme', '--dir', taken], {});
    expect(full.code).toBe(2);
    expect(full.stderr).toContain(`${taken} is not empty: choose a new --dir (nothing was written)`);
    expect(readdirSync(taken)).toEqual(['notes.txt']);
  });
});
