// Web bundle bench: builds apps/web when its sources are newer than the build, then prints one JSON line with the
// gzipped size of the initial JavaScript (entry chunk + its static imports) and of all JavaScript.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

type ManifestChunk = {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
};
type Manifest = Record<string, ManifestChunk>;

const WEB = resolve(import.meta.dirname, '../../apps/web');
const DIST = join(WEB, 'dist');
const MANIFEST = join(DIST, '.vite/manifest.json');
const BUDGET_BYTES = 200 * 1024;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function needsBuild(force: boolean): boolean {
  if (force || !existsSync(MANIFEST)) return true;
  const built = statSync(MANIFEST).mtimeMs;
  const sources = Math.max(
    newestMtime(join(WEB, 'src')),
    statSync(join(WEB, 'index.html')).mtimeMs,
    statSync(join(WEB, 'vite.config.ts')).mtimeMs,
  );
  return sources > built;
}

const gzipSize = (file: string): number => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

export async function run(args: string[] = []): Promise<void> {
  if (needsBuild(args.includes('--build'))) {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
      cwd: WEB,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entryKey) throw new Error('no entry chunk in dist/.vite/manifest.json');

  // The initial load is the entry plus everything it imports statically (modulepreloaded), transitively.
  const initial = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  visit(entryKey);

  const allJs = readdirSync(join(DIST, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const initialGzip = [...initial].reduce((sum, f) => sum + gzipSize(f), 0);
  const totalGzip = allJs.reduce((sum, f) => sum + gzipSize(f), 0);
  const result = {
    bench: 'web',
    initialJsGzipBytes: initialGzip,
    initialJsGzipKB: Math.round((initialGzip / 1024) * 10) / 10,
    initialChunks: [...initial],
    totalJsGzipBytes: totalGzip,
    totalJsGzipKB: Math.round((totalGzip / 1024) * 10) / 10,
    jsChunks: allJs.length,
    budgetKB: BUDGET_BYTES / 1024,
    withinBudget: initialGzip <= BUDGET_BYTES,
  };
  console.log(JSON.stringify(result));
}

// Also runnable on its own: `npx tsx scripts/bench/web.ts`.
if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
