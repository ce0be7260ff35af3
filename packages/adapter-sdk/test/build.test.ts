// The publishable build: dist/ holds JavaScript and declarations that an adapter outside the workspace compiles
// against (TypeScript's NodeNext resolution, as a package published to npm is read) and runs with.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_SDK_VERSION } from '../src/version';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(pkgDir, '..', '..');
const outside = mkdtempSync(join(tmpdir(), 'netplane-sdk-consumer-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

beforeAll(() => {
  execFileSync(process.execPath, ['build.mjs'], { cwd: pkgDir, stdio: 'pipe' });
  // What `npm install @netplane/adapter-sdk` would lay out: the package (dist/) and its dependency zod.
  mkdirSync(join(outside, 'node_modules', '@netplane'), { recursive: true });
  mkdirSync(join(outside, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(pkgDir, 'dist'), join(outside, 'node_modules', '@netplane', 'adapter-sdk'));
  symlinkSync(join(repo, 'node_modules', 'zod'), join(outside, 'node_modules', 'zod'));
  symlinkSync(join(repo, 'node_modules', '@types', 'node'), join(outside, 'node_modules', '@types', 'node'));
  writeFileSync(join(outside, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module' }));
}, 120_000);

describe('@netplane/adapter-sdk build', () => {
  it('writes a versioned package.json with an exports map of JavaScript and declarations', () => {
    const published = JSON.parse(readFileSync(join(pkgDir, 'dist', 'package.json'), 'utf8'));
    expect(published).toMatchObject({
      name: '@netplane/adapter-sdk',
      version: ADAPTER_SDK_VERSION,
      type: 'module',
      exports: { '.': { types: expect.stringMatching(/index\.d\.ts$/), default: './index.js' } },
      dependencies: { zod: expect.any(String) },
    });
    expect(JSON.stringify(published)).not.toContain('@netplane/domain');
  });

  it('type-checks an adapter written against it with NodeNext resolution, and runs it', () => {
    writeFileSync(
      join(outside, 'adapter.ts'),
      [
        "import { ADAPTER_SDK_VERSION, AdapterError, credentialSchemaFrom, type AdapterManifest } from '@netplane/adapter-sdk';",
        "const schema: AdapterManifest['credentialSchema'] = credentialSchemaFrom({ type: 'object', properties: { token: { type: 'string' } } });",
        "const err = new AdapterError('UNREACHABLE', 'down');",
        'console.log(JSON.stringify({ v: ADAPTER_SDK_VERSION, secret: schema.properties?.token?.writeOnly, retryable: err.retryable }));',
      ].join('\n'),
    );
    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        target: 'es2023',
        strict: true,
        outDir: 'out',
        types: ['node'],
        skipLibCheck: false,
      },
      files: ['adapter.ts'],
    };
    writeFileSync(join(outside, 'tsconfig.json'), JSON.stringify(tsconfig));
    execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', outside], {
      stdio: 'pipe',
    });
    const out = execFileSync(process.execPath, [join(outside, 'out', 'adapter.js')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ v: ADAPTER_SDK_VERSION, secret: true, retryable: true });
  }, 120_000);
});
