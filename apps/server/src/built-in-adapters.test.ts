// The built-ins' ids before import and their default runtimes, which NETPLANE_ADAPTER_RUNTIME overrides either way.
import { describe, expect, it } from 'vitest';
import { ADAPTER_PACKAGES } from './adapter-imports';
import { builtInId, runtimeOf } from './built-in-adapters';

describe('built-in adapters', () => {
  it('know their manifest ids before loading', () => {
    expect(ADAPTER_PACKAGES.map(builtInId)).toEqual(['simulator', 'ovn', 'virtual-router']);
  });

  it('run virtual-router out of process and the others in process unless the setting says otherwise', () => {
    expect(['simulator', 'ovn', 'virtual-router'].map((id) => runtimeOf(id, {}))).toEqual([
      'in-process',
      'in-process',
      'process',
    ]);
    expect(runtimeOf('virtual-router', { 'virtual-router': 'in-process' })).toBe('in-process');
    expect(runtimeOf('ovn', { ovn: 'process' })).toBe('process');
  });
});
