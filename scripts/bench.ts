// `npm run bench -- <name> [args]`: runs scripts/bench/<name>.ts, a module exporting `run(args)`. Each benchmark
// prints one JSON line per run; a new benchmark is a new file there, nothing to register here.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = join(import.meta.dirname, 'bench');
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.includes('.test.'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || !/^[a-z0-9-]+$/.test(name) || !existsSync(join(dir, `${name}.ts`))) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [options]\n`);
  process.exit(name && name !== '--help' ? 2 : 0);
}

const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as {
  run(args: string[]): Promise<void>;
};
await mod.run(args);
