// Units of installed-adapter discovery and the SDK contract: NETPLANE_ADAPTERS entries (paths, package names), the
// default scan of the plugins directory, the semver check of the declared range, and the package entry module.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADAPTER_SDK_VERSION } from '@netplane/adapter-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { findPluginCandidates, parseAdaptersSetting } from '../src/adapter-sources';
import { entryOf, idFromPackageName, sdkMismatch } from '../src/plugin-package';

const root = mkdtempSync(join(tmpdir(), 'netplane-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pkg(dir: string, json: object = { name: 'x' }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(json));
  return dir;
}

describe('NETPLANE_ADAPTERS', () => {
  it('is a comma-separated list; blank means unset', () => {
    expect(parseAdaptersSetting(' /a , b,,')).toEqual(['/a', 'b']);
    expect(parseAdaptersSetting('  ')).toBeUndefined();
    expect(parseAdaptersSetting(undefined)).toBeUndefined();
  });

  it('resolves paths as directories and names in the plugins directory (npm --prefix layout first)', () => {
    const plugins = join(root, 'plugins');
    const dir = pkg(join(root, 'vendor', 'acme'));
    const installed = pkg(join(plugins, 'node_modules', '@acme', 'netplane-adapter-fabric'));
    const copied = pkg(join(plugins, 'hand-copied'));
    expect(findPluginCandidates([dir, '@acme/netplane-adapter-fabric', 'hand-copied'], plugins)).toEqual([
      { dir, spec: dir, source: `directory ${dir}` },
      {
        dir: installed,
        spec: '@acme/netplane-adapter-fabric',
        source: `package @acme/netplane-adapter-fabric (${installed})`,
      },
      { dir: copied, spec: 'hand-copied', source: `package hand-copied (${copied})` },
    ]);
    const [missingDir, missingPkg, bad] = findPluginCandidates(['./nowhere', 'ghost', 'Not A Name'], plugins);
    expect(missingDir).toMatchObject({
      dir: null,
      reason: expect.stringMatching(/nowhere has no package\.json$/),
    });
    expect(missingPkg).toMatchObject({
      dir: null,
      reason: `is not installed in ${plugins} (npm install --prefix ${plugins} ghost)`,
    });
    expect(bad).toMatchObject({ dir: null, reason: 'is neither a path nor a package name' });
  });

  it('unset: every subdirectory of the plugins directory with a package.json, then its npm dependencies', () => {
    const plugins = join(root, 'scan');
    pkg(join(plugins, 'b-adapter'));
    pkg(join(plugins, 'a-adapter'));
    mkdirSync(join(plugins, 'no-package'), { recursive: true });
    pkg(join(plugins, 'node_modules', 'from-npm'));
    pkg(plugins, { dependencies: { 'from-npm': '^1.0.0' } });
    expect(findPluginCandidates(undefined, plugins).map((c) => c.source)).toEqual([
      `directory ${join(plugins, 'a-adapter')}`,
      `directory ${join(plugins, 'b-adapter')}`,
      `package from-npm (${join(plugins, 'node_modules', 'from-npm')})`,
    ]);
    expect(findPluginCandidates(undefined, join(root, 'absent'))).toEqual([]);
  });
});

describe('the adapter-sdk range', () => {
  it('accepts a range this SDK satisfies and refuses others in one line', () => {
    expect(sdkMismatch(`^${ADAPTER_SDK_VERSION}`)).toBeUndefined();
    expect(sdkMismatch('>=1.0.0 <3')).toBeUndefined();
    expect(sdkMismatch('^2.0')).toBe(
      `built for adapter-sdk ^2.0, this server implements ${ADAPTER_SDK_VERSION}`,
    );
    expect(sdkMismatch('banana')).toBe('declares an invalid adapter-sdk range "banana"');
    expect(sdkMismatch(undefined)).toMatch(/^declares no adapter-sdk range \(add "peerDependencies"/);
  });

  it('names the adapter after its package and finds its entry module', () => {
    expect(idFromPackageName('@acme/netplane-adapter-fabric')).toBe('fabric');
    expect(idFromPackageName('adapter-x')).toBe('x');
    expect(idFromPackageName('/opt/vendor/netplane-adapter-acme/')).toBe('acme');
    const dir = pkg(join(root, 'entry'));
    writeFileSync(join(dir, 'main.js'), '');
    writeFileSync(join(dir, 'index.js'), '');
    expect(entryOf(dir, { exports: { '.': { import: './main.js' } } })).toBe(join(dir, 'main.js'));
    expect(entryOf(dir, { exports: './gone.js', main: 'main.js' })).toBe(join(dir, 'main.js'));
    expect(entryOf(dir, {})).toBe(join(dir, 'index.js'));
  });
});
