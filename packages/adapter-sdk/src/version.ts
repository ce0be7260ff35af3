// The SDK's semantic version: an adapter declares the range it was built for (peerDependencies
// "@netplane/adapter-sdk" in its package.json) and the server refuses one this version does not satisfy.
// Kept equal to package.json's version by version.test.ts.
export const ADAPTER_SDK_VERSION = '1.0.0';
