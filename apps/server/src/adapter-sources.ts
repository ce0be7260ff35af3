// Where installed adapters live: NETPLANE_ADAPTERS names directories (a path) or packages (a name, resolved in the
// plugins directory, NETPLANE_ADAPTERS_DIR, default <data dir>/adapters/); unset, every package in that directory
// is loaded: its subdirectories with a package.json, and what `npm install --prefix <dir> <pkg>` recorded there.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** One installed adapter to try: its directory, or why it could not even be found. */
export type PluginCandidate =
  | { dir: string; source: string; spec: string }
  | { dir: null; source: string; spec: string; reason: string };

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

const isPathLike = (entry: string) => isAbsolute(entry) || entry.startsWith('./') || entry.startsWith('../');
const hasPackageJson = (dir: string) => existsSync(join(dir, 'package.json'));

/** The entries of NETPLANE_ADAPTERS (comma-separated; blanks ignored), or undefined when it is unset or empty. */
export function parseAdaptersSetting(value: string | undefined): string[] | undefined {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return entries.length > 0 ? entries : undefined;
}

function packageCandidate(name: string, pluginsDir: string): PluginCandidate {
  if (!PACKAGE_NAME.test(name))
    return {
      dir: null,
      spec: name,
      source: `package ${name}`,
      reason: 'is neither a path nor a package name',
    };
  // npm install --prefix puts it under node_modules; a package copied in by hand sits in the directory itself.
  for (const dir of [join(pluginsDir, 'node_modules', name), join(pluginsDir, name)])
    if (hasPackageJson(dir)) return { dir, spec: name, source: `package ${name} (${dir})` };
  return {
    dir: null,
    spec: name,
    source: `package ${name}`,
    reason: `is not installed in ${pluginsDir} (npm install --prefix ${pluginsDir} ${name})`,
  };
}

function directoryCandidate(entry: string): PluginCandidate {
  const dir = resolve(entry);
  if (hasPackageJson(dir)) return { dir, spec: entry, source: `directory ${dir}` };
  return { dir: null, spec: entry, source: `directory ${dir}`, reason: `${dir} has no package.json` };
}

/** Every package of the plugins directory: its own subdirectories, then its package.json's dependencies. */
function scanPluginsDir(pluginsDir: string): PluginCandidate[] {
  if (!existsSync(pluginsDir) || !statSync(pluginsDir).isDirectory()) return [];
  const out: PluginCandidate[] = readdirSync(pluginsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'node_modules' && !d.name.startsWith('.'))
    .map((d) => join(pluginsDir, d.name))
    .filter(hasPackageJson)
    .sort()
    .map((dir) => ({ dir, spec: dir, source: `directory ${dir}` }));
  let deps: string[] = [];
  try {
    const pkg = JSON.parse(readFileSync(join(pluginsDir, 'package.json'), 'utf8')) as {
      dependencies?: object;
    };
    deps = Object.keys(pkg.dependencies ?? {});
  } catch {
    // No package.json (or not JSON): nothing was installed there with npm.
  }
  return [...out, ...deps.map((name) => packageCandidate(name, pluginsDir))];
}

export function findPluginCandidates(
  entries: readonly string[] | undefined,
  pluginsDir: string,
): PluginCandidate[] {
  if (!entries) return scanPluginsDir(pluginsDir);
  return entries.map((e) => (isPathLike(e) ? directoryCandidate(e) : packageCandidate(e, pluginsDir)));
}
