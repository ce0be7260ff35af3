// The virtual router in the console, like any adapter: an admin adds a virtual-router provider and its controller
// against a real router host (a throw-away sshd on this machine, @netplane/adapter-vrouter/testing) through the forms
// the console renders from the adapter's schemas: the endpoint, the pinned host key and the private key in multi-line
// fields, the private key write-only (only "set" afterwards). "Test connection" shows the host's kernel and tool
// versions, and the capability matrix the services the adapter offers. Screenshots in the test's output (and
// SHOTS_DIR when set), axe on the dialog and the matrix. Needs root and sshd, like the adapter's own tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupHost, type Sshd, startSshd, testPrefix } from '@netplane/adapter-vrouter/testing';
import type { Locator, Page } from '@playwright/test';
import { seriousViolations } from '../fixtures/axe';
import { uniqueName } from '../fixtures/inventory';
import { expect, test } from '../fixtures/test';

type WithId = { id: string; name: string };

async function shot(target: Page | Locator, name: string): Promise<void> {
  await target.screenshot({ path: test.info().outputPath(`${name}.png`) });
  if (process.env.SHOTS_DIR) await target.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png` });
}

const prefix = testPrefix();
let sshd: Sshd;
let work: string;

test.beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), `np-vrouter-e2e-${prefix}-`));
});
test.afterAll(async () => {
  if (work) await cleanupHost(prefix, join(work, 'state'));
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('an admin adds a virtual-router controller, tests it and sees the host versions and the matrix', async ({
  page,
  adminApi,
  loginAs,
}) => {
  const zone = await adminApi.mutate<WithId>('zones.create', {
    name: uniqueName('vr-zone'),
    state: 'Enabled',
  });
  const pnName = uniqueName('vr-pn');
  await adminApi.mutate('physicalNetworks.create', {
    zoneId: zone.id,
    name: pnName,
    isolationMethods: ['VLAN', 'VXLAN'],
    vlanRanges: [{ start: 300, end: 320 }],
    vniRanges: [{ start: 5000, end: 5020 }],
    trafficTypes: [{ type: 'Guest', labels: { KVM: 'cloudbr0' } }],
    state: 'Enabled',
  });
  await loginAs('admin');
  await page.goto(`/infrastructure?zone=${zone.id}`);
  const main = page.getByRole('main');
  const controllerName = uniqueName('vr');

  await test.step('provider backed by the virtual-router adapter', async () => {
    await main.getByRole('button', { name: 'Add provider' }).click();
    const d = page.getByRole('dialog', { name: 'Add provider' });
    await d.getByLabel('Adapter').selectOption('virtual-router');
    await d.getByRole('button', { name: 'Add provider' }).click();
    await expect(d).toBeHidden();
  });

  await test.step('controller: SSH endpoint, pinned host key and private key in multi-line fields', async () => {
    await main.getByRole('button', { name: 'Add controller' }).click();
    const d = page.getByRole('dialog', { name: /^Add a controller to / });
    await d.getByLabel('Name', { exact: true }).fill(controllerName);
    const endpoint = d.getByLabel('Endpoint');
    await endpoint.fill(`ssh://root@127.0.0.1:${sshd.port}`);
    await expect(d.getByText('ssh://root@192.0.2.10:3922')).toBeVisible();
    const hostKey = d.getByLabel('Host key (pinned)');
    const privateKey = d.getByLabel('Private key');
    // Keys are pasted whole: multi-line fields, not one-line inputs.
    await expect(hostKey).toHaveJSProperty('tagName', 'TEXTAREA');
    await expect(privateKey).toHaveJSProperty('tagName', 'TEXTAREA');
    await expect(d.getByLabel('Passphrase (optional)')).toHaveAttribute('type', 'password');
    await expect(d.getByLabel('Name prefix (optional)')).toHaveAttribute('placeholder', 'np');
    await expect(d.getByLabel('Use sudo')).not.toBeChecked();
    // A typo is named at its field before anything is sent (the schema's pattern).
    await hostKey.fill('not a key');
    await privateKey.fill(sshd.privateKey);
    await d.getByRole('button', { name: 'Add controller' }).click();
    await expect(
      d.getByText(/^does not have the expected form: The router host's public key line/),
    ).toBeVisible();
    await hostKey.fill(`${sshd.hostKey}\n`);
    await d.getByLabel('Name prefix (optional)').fill(prefix);
    await d.getByLabel('State directory (optional)').fill(join(work, 'state'));
    await privateKey.fill(sshd.privateKey);
    await d.getByLabel('Name', { exact: true }).scrollIntoViewIfNeeded();
    await shot(d, 'virtual-router-controller-dialog-top');
    await privateKey.scrollIntoViewIfNeeded();
    await shot(d, 'virtual-router-controller-dialog');
    // The generated fields carry their labels, hints and types as the hand-written ones do.
    expect(await seriousViolations(page)).toEqual([]);
    await d.getByRole('button', { name: 'Add controller' }).click();
    await expect(d).toBeHidden();
    await expect(main.getByText(`SSH · ssh://root@127.0.0.1:${sshd.port}`)).toBeVisible();
  });

  const keyLine = sshd.privateKey.split('\n')[1] as string;
  await test.step('Test connection shows the router host versions', async () => {
    await main.getByRole('button', { name: 'Enable', exact: true }).click();
    await main.getByRole('button', { name: /^Test( connection)?$/ }).click();
    const versions = /Linux \S+; iproute2-\S+; dnsmasq \S+; nftables v\S+/;
    await expect(
      page.getByText(new RegExp(`${controllerName} answered in \\d+ ms \\(version ${versions.source}`)),
    ).toBeVisible();
    await expect(main.getByText('Healthy')).toBeVisible();
    await expect(main.getByText(versions)).toBeVisible();
    await shot(page, 'virtual-router-controller-tested');
    // The private key never comes back to the browser.
    await expect(page.getByText(keyLine)).toHaveCount(0);
  });

  await test.step('editing shows the config back and the credentials only as set', async () => {
    await main.getByRole('button', { name: `Edit ${controllerName}` }).click();
    const d = page.getByRole('dialog', { name: `Edit ${controllerName}` });
    await expect(d.getByLabel('Host key (pinned)')).toHaveValue(sshd.hostKey);
    await expect(d.getByLabel('Name prefix (optional)')).toHaveValue(prefix);
    await expect(d.getByText(/Credentials: set \(privateKey, passphrase\)/)).toBeVisible();
    await expect(d.getByLabel('Private key')).toHaveCount(0);
    await expect(d.getByText(keyLine)).toHaveCount(0);
    await d.getByRole('button', { name: 'Cancel' }).click();
    await expect(d).toBeHidden();
  });

  await test.step('the capability matrix shows the services the adapter offers', async () => {
    await page.goto('/capabilities');
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /virtual-router/ }) });
    await expect(row).toHaveCount(1);
    const offered = [
      'Connectivity',
      'Dhcp',
      'NetworkACL',
      'SourceNat',
      'StaticNat',
      'PortForwarding',
      'Lb',
      'Firewall',
    ];
    for (const service of offered)
      await expect(row.getByRole('button', { name: new RegExp(`offers ${service} with`) })).toBeVisible();
    await expect(row.getByRole('button', { name: /: Vpn not offered\./ })).toBeVisible();
    await shot(page, 'virtual-router-capabilities');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
