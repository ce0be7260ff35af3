// Builds dist/main.js before the server tests, so they never run a stale bundle.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const r = spawnSync(process.execPath, ['build.mjs'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`apps/server build failed:\n${r.stderr}`);
}
