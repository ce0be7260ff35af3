// Reads an installed adapter's package.json before running any of its code: its name and version, the adapter-sdk
// range it was built for (peerDependencies, checked with semver against this server's SDK), and its entry module.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADAPTER_SDK_VERSION } from '@netplane/adapter-sdk';
import semver from 'semver';

export const SDK_PACKAGE = '@netplane/adapter-sdk';

type PackageJson = {
  name?: unknown;
  version?: unknown;
  main?: unknown;
  exports?: unknown;
  peerDependencies?: Record<string, unknown>;
};

export type PluginPackage = { name: string; version: string | undefined; sdkRange: string | undefined };

/**
 * The adapter id a package (or a directory path) stands for until its manifest says: its last segment (no scope, no
 * folders) without the adapter prefix.
 */
export const idFromPackageName = (name: string) => {
  const last = name.replace(/\/+$/, '').split('/').pop() ?? name;
  return last.replace(/^(netplane-)?adapter-/, '') || last;
};

export function readPluginPackage(dir: string): PluginPackage & { raw: PackageJson } {
  const raw = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  const range = raw.peerDependencies?.[SDK_PACKAGE];
  return {
    raw,
    name: typeof raw.name === 'string' && raw.name !== '' ? raw.name : dir,
    version: typeof raw.version === 'string' ? raw.version : undefined,
    sdkRange: typeof range === 'string' ? range : undefined,
  };
}

/** Why this server's SDK does not fit the range the package declares, or undefined when it does. */
export function sdkMismatch(range: string | undefined): string | undefined {
  if (range === undefined)
    return `declares no adapter-sdk range (add "peerDependencies": { "${SDK_PACKAGE}": "^${semver.major(ADAPTER_SDK_VERSION)}.0.0" } to its package.json)`;
  if (semver.validRange(range) === null) return `declares an invalid adapter-sdk range "${range}"`;
  if (!semver.satisfies(ADAPTER_SDK_VERSION, range))
    return `built for adapter-sdk ${range}, this server implements ${ADAPTER_SDK_VERSION}`;
  return undefined;
}

/** The ESM entry: exports "." (a string, or its import/default condition), then main, then index.js. */
export function entryOf(dir: string, pkg: PackageJson): string | undefined {
  const exp = pkg.exports;
  const dot =
    typeof exp === 'string'
      ? exp
      : typeof exp === 'object' && exp !== null
        ? ((exp as Record<string, unknown>)['.'] ?? exp)
        : undefined;
  const conditional =
    typeof dot === 'object' && dot !== null
      ? ((dot as Record<string, unknown>).import ?? (dot as Record<string, unknown>).default)
      : dot;
  const candidates = [conditional, pkg.main, 'index.js'].filter((c): c is string => typeof c === 'string');
  return candidates.map((c) => resolve(dir, c)).find((file) => existsSync(file));
}
