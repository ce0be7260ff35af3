// Bundles src/main.ts into dist/main.js (ESM, node20): @netplane/* workspace packages are bundled (they export
// TypeScript source), every other npm package stays external. Adapter packages without an entry file are replaced
// by a stub, so the server still builds and reports them as `Unable to load`. @netplane/adapter-sdk is bundled on its
// own into dist/adapter-sdk.js, which main.js imports and installed adapters are given (src/plugin-sdk.ts): one SDK
// module, so the server and its plugins share AdapterError and the version the server checked.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

function workspaceEntry(spec, exportPath = '.') {
  const dir = join(root, 'packages', spec.replace('@netplane/', ''));
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const entry =
      typeof pkg.exports === 'string'
        ? exportPath === '.'
          ? pkg.exports
          : undefined
        : pkg.exports?.[exportPath];
    return entry && existsSync(join(dir, entry)) ? join(dir, entry) : undefined;
  } catch {
    return undefined;
  }
}

/** dist/adapters/<package>.js: a built-in adapter's serve script, run when NETPLANE_ADAPTER_RUNTIME says process. */
const serveFile = (spec) => `${spec.replace('@netplane/', '')}.js`;
const ADAPTER_LIST = JSON.parse(
  readFileSync(join(here, 'src', 'adapter-imports.ts'), 'utf8')
    .match(/ADAPTER_PACKAGES = (\[[^\]]*\])/)[1]
    .replaceAll("'", '"')
    .replace(/,\s*\]/, ']'),
);
const serveEntries = Object.fromEntries(
  ADAPTER_LIST.map((spec) => [spec, workspaceEntry(spec, './serve')]).filter(([, entry]) => entry),
);

const adapterImports = {
  name: 'netplane-adapter-imports',
  setup(b) {
    b.onLoad({ filter: /adapter-imports\.ts$/ }, async (args) => {
      const src = readFileSync(args.path, 'utf8');
      const list = JSON.parse(
        src
          .match(/ADAPTER_PACKAGES = (\[[^\]]*\])/)[1]
          .replaceAll("'", '"')
          .replace(/,\s*\]/, ']'),
      );
      const present = list.filter((spec) => workspaceEntry(spec));
      const lines = present.map((spec, i) => `import * as a${i} from '${spec}';`);
      lines.push(`const table = { ${present.map((spec, i) => `'${spec}': a${i}`).join(', ')} };`);
      lines.push(`export const ADAPTER_PACKAGES = ${JSON.stringify(list)};`);
      lines.push(
        'export async function importAdapter(spec) { if (spec in table) return table[spec]; ' +
          "throw new Error('package ' + spec + ' has no entry module in this build'); }",
      );
      lines.push("export const SDK_MODULE_URL = new URL('./adapter-sdk.js', import.meta.url).href;");
      lines.push(
        `const serveFiles = ${JSON.stringify(Object.fromEntries(Object.keys(serveEntries).map((s) => [s, serveFile(s)])))};`,
      );
      lines.push(
        "import { fileURLToPath as __npFileURLToPath } from 'node:url';" +
          'export function serveCommand(spec) { const f = serveFiles[spec]; if (!f) return undefined; ' +
          "const dir = __npFileURLToPath(new URL('./adapters/', import.meta.url)); " +
          'return { command: process.execPath, args: [dir + f], cwd: dir }; }',
      );
      for (const spec of list.filter((s) => !present.includes(s)))
        console.warn(`build: ${spec} has no entry file; stubbed`);
      return { contents: lines.join('\n'), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^@netplane\/adapter-sdk$/ }, () => ({ path: './adapter-sdk.js', external: true }));
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@netplane/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** npm packages stay external; every @netplane/* package (the SDK too) is bundled. */
const externalNpmOnly = {
  name: 'external-npm-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@netplane/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: [join(root, 'packages', 'adapter-sdk', 'src', 'index.ts')],
  outfile: join(here, 'dist', 'adapter-sdk.js'),
  plugins: [externalNpm],
});

await build({
  ...common,
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile: join(here, 'dist', 'main.js'),
  plugins: [adapterImports, externalNpm],
  banner: {
    js: "import { createRequire as __npCreateRequire } from 'node:module'; const require = __npCreateRequire(import.meta.url);",
  },
});
// Each built-in adapter's serve script, whole (its own SDK copy: it runs in its own process).
for (const [spec, entry] of Object.entries(serveEntries))
  await build({
    ...common,
    entryPoints: [entry],
    outfile: join(here, 'dist', 'adapters', serveFile(spec)),
    plugins: [externalNpmOnly],
    banner: {
      js: "import { createRequire as __npCreateRequire } from 'node:module'; const require = __npCreateRequire(import.meta.url);",
    },
  });
console.log(
  `build: dist/main.js, dist/adapter-sdk.js, dist/adapters/ (${Object.keys(serveEntries).length} serve scripts)`,
);
