// The adapter packages the server carries. build.mjs replaces this module with static imports of the packages that
// have an entry file (a missing one becomes a load failure, not a build failure) and with the bundled serve scripts
// of dist/adapters/; tsx/vitest runs use it as is.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ADAPTER_PACKAGES = [
  '@netplane/adapter-simulator',
  '@netplane/adapter-ovn',
  '@netplane/adapter-vrouter',
] as const;

export async function importAdapter(spec: string): Promise<unknown> {
  return import(spec);
}

/** The SDK module installed adapters are given (see plugin-sdk.ts); the build points it at dist/adapter-sdk.js. */
export const SDK_MODULE_URL = pathToFileURL(
  createRequire(import.meta.url).resolve('@netplane/adapter-sdk'),
).href;

/**
 * How to run a built-in adapter out of process (NETPLANE_ADAPTER_RUNTIME): its package's src/serve.ts under node
 * with tsx's loader (one process, so the pid the runtime reports is the adapter's); the build runs
 * dist/adapters/<package>.js instead.
 */
export function serveCommand(spec: string): { command: string; args: string[]; cwd: string } | undefined {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(`${spec}/serve`);
  } catch {
    return undefined;
  }
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  return {
    command: process.execPath,
    args: ['--import', pathToFileURL(tsx).href, entry],
    cwd: join(dirname(entry), '..'),
  };
}
