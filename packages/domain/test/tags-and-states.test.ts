import { describe, expect, it } from 'vitest';
import {
  capabilitySatisfies,
  checkControllerTransition,
  checkProviderTransition,
  missingTags,
  narrowingProblems,
  tagListSchema,
  tagsSatisfy,
} from '../src';

describe('tag matching', () => {
  it('is case-insensitive and needs every required tag', () => {
    expect(tagsSatisfy(['Gold', 'SSD'], ['gold'])).toBe(true);
    expect(tagsSatisfy(['Gold'], ['gold', 'ssd'])).toBe(false);
    expect(missingTags(['Gold'], ['GOLD', 'ssd', 'Fast'])).toEqual(['ssd', 'Fast']);
    expect(tagsSatisfy([], [])).toBe(true);
  });

  it('dedupes a tag list case-insensitively, keeping the first spelling', () => {
    expect(tagListSchema.parse(['Gold', ' gold ', 'SSD'])).toEqual(['Gold', 'SSD']);
  });
});

describe('capabilities', () => {
  it('a list satisfies a required value it contains, case-insensitively', () => {
    expect(capabilitySatisfies(['roundrobin', 'LeastConn'], ['leastconn'])).toBe(true);
    expect(capabilitySatisfies(['roundrobin'], 'leastconn')).toBe(false);
    expect(capabilitySatisfies(true, true)).toBe(true);
    expect(capabilitySatisfies(false, true)).toBe(false);
    expect(capabilitySatisfies(undefined, 'x')).toBe(false);
  });

  it('lets an admin narrow but never widen what the adapter offers', () => {
    const manifest = {
      Lb: { SupportedLbAlgorithms: ['roundrobin', 'leastconn'] },
      Connectivity: { DistributedRouter: true },
    };
    expect(narrowingProblems(manifest, { Lb: { SupportedLbAlgorithms: ['roundrobin'] } })).toEqual([]);
    expect(narrowingProblems(manifest, { Connectivity: { DistributedRouter: false } })).toEqual([]);
    expect(narrowingProblems(manifest, { Lb: { SupportedLbAlgorithms: ['source'] } })).toHaveLength(1);
    expect(narrowingProblems(manifest, { Vpn: { x: true } })[0]).toMatch(/Vpn/);
    expect(narrowingProblems(manifest, { Lb: { Nope: 'x' } })[0]).toMatch(/no such capability/);
  });
});

describe('provider states (CloudStack rules)', () => {
  it('enables only a ready provider', () => {
    expect(checkProviderTransition('Disabled', 'Enabled', { hasUsableController: true }).ok).toBe(true);
    const refused = checkProviderTransition('Disabled', 'Enabled', { hasUsableController: false });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/not ready/) });
  });

  it('disables and shuts down from Enabled or Disabled, and a shut down provider stays shut down', () => {
    expect(checkProviderTransition('Enabled', 'Disabled', { hasUsableController: true }).ok).toBe(true);
    expect(checkProviderTransition('Enabled', 'Shutdown', { hasUsableController: true }).ok).toBe(true);
    expect(checkProviderTransition('Shutdown', 'Enabled', { hasUsableController: true }).ok).toBe(false);
    expect(checkProviderTransition('Shutdown', 'Disabled', { hasUsableController: true }).ok).toBe(false);
    expect(checkProviderTransition('Shutdown', 'Shutdown', { hasUsableController: false }).ok).toBe(true);
  });
});

describe('controller resource states', () => {
  it('refuses admin changes while Creating and allows leaving Error or Maintenance', () => {
    expect(checkControllerTransition('Creating', 'Enabled').ok).toBe(false);
    expect(checkControllerTransition('Error', 'Enabled').ok).toBe(true);
    expect(checkControllerTransition('Maintenance', 'Enabled').ok).toBe(true);
    expect(checkControllerTransition('Enabled', 'Maintenance').ok).toBe(true);
  });
});
