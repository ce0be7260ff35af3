import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { ADAPTER_SDK_VERSION } from './version';

describe('ADAPTER_SDK_VERSION', () => {
  it('is the package version, a plain semantic version', () => {
    expect(ADAPTER_SDK_VERSION).toBe(packageJson.version);
    expect(ADAPTER_SDK_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
