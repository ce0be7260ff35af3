// An adapter installed without rebuilding: the console's adapters page shows where each adapter came from, the
// adapter-sdk range it declares, and for one built for another SDK the one line the server refused it with.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, startServer } from '../fixtures/server';
import { expect, test } from '../fixtures/test';

/** A vendor's package: plain ESM that imports only the SDK the server provides. */
function writeAdapter(parent: string, id: string, sdk: string): string {
  const dir = join(parent, id);
  mkdirSync(dir, { recursive: true });
  const pkg = { name: `netplane-adapter-${id}`, version: '1.2.0', type: 'module', exports: './index.js' };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ ...pkg, peerDependencies: { '@netplane/adapter-sdk': sdk } }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { AdapterError, configSchemaFrom, credentialSchemaFrom } from '@netplane/adapter-sdk';
export default {
  manifest: {
    id: '${id}', vendor: 'Acme Networks', version: '1.2.0', displayName: 'Acme ${id}', description: 'Installed from a directory.',
    protocol: 'HTTPS', isolationMethods: ['VLAN'], services: { Dhcp: {} }, canEnableIndividualServices: true, serviceDependencies: [],
    credentialSchema: credentialSchemaFrom({ type: 'object', properties: { token: { type: 'string' } }, required: ['token'] }),
    configSchema: configSchemaFrom({ type: 'object', properties: {} }),
    endpointHint: 'https://acme.example', limits: { maxBatchSize: 1, recommendedConcurrency: 1, recommendedCallsPerSecond: 1 },
    idempotentByKey: true, supportsBatchPrepare: false,
  },
  createElement() { throw new AdapterError('UNREACHABLE', 'no controller in this test'); },
};
`,
  );
  return dir;
}

test('the adapters page shows each adapter’s source and SDK range, and the refusal line of an incompatible one', async ({
  page,
}) => {
  const vendor = mkdtempSync(join(tmpdir(), 'netplane-e2e-vendor-'));
  const acme = writeAdapter(vendor, 'acme', '^1.0.0');
  const future = writeAdapter(vendor, 'future', '^2.0');
  const server = await startServer({
    adminPassword: ADMIN.password,
    env: { NETPLANE_ADAPTERS: `${acme},${future}` },
  });
  try {
    await page.goto(`${server.baseURL}/login`);
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
    await page.goto(`${server.baseURL}/adapters`);
    await expect(page.getByRole('heading', { level: 1, name: 'Adapters' })).toBeVisible();

    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { name: 'Acme acme acme 1.2.0 Fully Loaded' })).toBeVisible();
    await expect(main.getByRole('heading', { name: 'future future 1.2.0 Error' })).toBeVisible();
    await expect(main.getByText(`directory ${acme}`, { exact: true })).toBeVisible();
    await expect(main.getByText('^1.0.0', { exact: true })).toBeVisible();
    await expect(main.getByText('built-in', { exact: true })).toHaveCount(2);
    await expect(main.getByRole('alert')).toHaveText(
      /^Unable to load adapter future 1\.2\.0: built for adapter-sdk \^2\.0, this server implements \d+\.\d+\.\d+$/,
    );
    await expect(main.getByText(`directory ${future}`, { exact: true })).toBeVisible();
  } finally {
    await server.stop();
    rmSync(vendor, { recursive: true, force: true });
  }
});
