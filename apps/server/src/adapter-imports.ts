// The adapter packages the server carries. build.mjs replaces this module with static imports of the packages that
// have an entry file (a missing one becomes a load failure, not a build failure); tsx/vitest runs use it as is.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export const ADAPTER_PACKAGES = ['@netplane/adapter-simulator', '@netplane/adapter-ovn'] as const;

export async function importAdapter(spec: string): Promise<unknown> {
  return import(spec);
}

/** The SDK module installed adapters are given (see plugin-sdk.ts); the build points it at dist/adapter-sdk.js. */
export const SDK_MODULE_URL = pathToFileURL(
  createRequire(import.meta.url).resolve('@netplane/adapter-sdk'),
).href;
