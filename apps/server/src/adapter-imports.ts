// The adapter packages the server carries. build.mjs replaces this module with static imports of the packages that
// have an entry file (a missing one becomes a load failure, not a build failure); tsx/vitest runs use it as is.
export const ADAPTER_PACKAGES = ['@netplane/adapter-simulator', '@netplane/adapter-ovn'] as const;

export async function importAdapter(spec: string): Promise<unknown> {
  return import(spec);
}
