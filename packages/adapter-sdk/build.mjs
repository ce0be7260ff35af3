// Builds the publishable SDK into dist/: JavaScript (esbuild, ESM; @netplane/domain, which is not published, is
// bundled in; zod and vitest stay dependencies), type declarations (tsc, the domain's beside the SDK's, with import
// specifiers rewritten so they resolve without the workspace), and dist/package.json with the version and exports
// map (`npm publish dist`). The workspace keeps importing src/ directly: this build is for adapters built outside.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const types = join(dist, 'types', 'packages');
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: {
    index: join(here, 'src', 'index.ts'),
    conformance: join(here, 'src', 'conformance', 'index.ts'),
    serve: join(here, 'src', 'serve', 'index.ts'),
  },
  outdir: dist,
  bundle: true,
  // One shared chunk: the conformance kit, serve and the SDK use the same AdapterError class.
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  external: ['zod', 'vitest'],
});

execFileSync(
  process.execPath,
  [join(here, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: here,
    stdio: 'inherit',
  },
);

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.d.ts') ? [p] : [];
  });

/** A specifier as a declaration file outside the workspace can resolve it: explicit .js, no workspace package. */
function rewrite(file, spec) {
  let target = spec;
  if (spec === '@netplane/domain') {
    target = relative(dirname(file), join(types, 'domain', 'src', 'index'));
    if (!target.startsWith('.')) target = `./${target}`;
  } else if (!spec.startsWith('.')) return spec;
  const base = join(dirname(file), target);
  if (existsSync(`${base}.d.ts`)) return `${target}.js`;
  if (existsSync(join(base, 'index.d.ts'))) return `${target}/index.js`;
  return target;
}

for (const file of walk(types)) {
  const src = readFileSync(file, 'utf8');
  const out = src.replace(
    /(from |import\()(['"])([^'"]+)\2/g,
    (_, kw, q, spec) => `${kw}${q}${rewrite(file, spec)}${q}`,
  );
  writeFileSync(file, out);
}

const sdkTypes = './types/packages/adapter-sdk/src';
const published = {
  name: pkg.name,
  version: pkg.version,
  description:
    'The Netplane adapter contract: manifest, NetworkElement, AdapterError, abort helpers, conformance kit',
  type: 'module',
  exports: {
    '.': { types: `${sdkTypes}/index.d.ts`, default: './index.js' },
    './conformance': { types: `${sdkTypes}/conformance/index.d.ts`, default: './conformance.js' },
    './serve': { types: `${sdkTypes}/serve/index.d.ts`, default: './serve.js' },
  },
  dependencies: { zod: pkg.dependencies.zod },
  peerDependencies: pkg.peerDependencies,
  peerDependenciesMeta: { vitest: { optional: true } },
};
writeFileSync(join(dist, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
console.log(
  `build: @netplane/adapter-sdk ${pkg.version} in dist/ (index.js, conformance.js, serve.js, types/)`,
);
