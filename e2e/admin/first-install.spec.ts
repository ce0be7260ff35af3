// The admin journey from an empty install: setup page → inventory → offerings → a VPC with two tiers through its
// whole life, each state seen in the console.
import type { Page } from '@playwright/test';
import { expect, setUpFirstAdmin, test } from '../fixtures/test';

const ADMIN = { username: 'root-admin', password: 'first-admin-password-1' };
const LABEL = 'gold';

test.describe.configure({ timeout: 180_000 });

async function dialog(page: Page, title: string | RegExp) {
  const d = page.getByRole('dialog', { name: title });
  await expect(d).toBeVisible();
  return d;
}

async function nav(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

async function buildOffering(
  page: Page,
  name: string,
  kind: 'VPC offering' | 'Network offering',
  services: string[],
) {
  await page.getByRole('button', { name: 'New offering' }).click();
  const builder = page
    .getByRole('region', { name: 'New offering' })
    .or(page.locator('form').filter({ hasText: 'Live check' }));
  await builder.getByLabel('Name', { exact: true }).fill(name);
  await builder.getByLabel('Kind').selectOption({ label: kind });
  await builder.getByLabel('Required labels').fill(LABEL);
  for (const s of services) await builder.getByLabel(s, { exact: true }).selectOption('simulator');
  const create = builder.getByRole('button', { name: 'Create offering' });
  await expect(create).toBeEnabled();
  await create.click();
  await expect(page.getByRole('main').getByRole('cell', { name, exact: true })).toBeVisible();
}

test('an admin sets up Netplane from an empty install and runs a VPC through its life', async ({
  page,
  emptyServer,
}) => {
  const names = {
    zone: 'zone-a',
    pn: 'pn-gold',
    controller: 'sim-a',
    vpcOffering: 'vpc-gold',
    tierOffering: 'tier-gold',
  };

  await test.step('setup page creates the first admin with the token from the server console', async () => {
    await setUpFirstAdmin(page, emptyServer, ADMIN);
  });

  await test.step('zone', async () => {
    await nav(page, 'Infrastructure');
    await expect(page.getByText('No zones yet')).toBeVisible();
    await page.getByRole('button', { name: 'Create the first zone' }).click();
    const d = await dialog(page, 'New zone');
    await d.getByLabel('Name', { exact: true }).fill(names.zone);
    await d.getByRole('button', { name: 'Create zone' }).click();
    await expect(page.getByRole('heading', { level: 2, name: names.zone })).toBeVisible();
  });

  await test.step('physical network with a label, enabled', async () => {
    await page.getByRole('button', { name: 'Add physical network' }).click();
    const d = await dialog(page, 'New physical network');
    await d.getByLabel('Name', { exact: true }).fill(names.pn);
    await expect(d.getByRole('checkbox', { name: 'VLAN', exact: true })).toBeChecked();
    await d.getByLabel('Labels (tags)').fill(LABEL);
    await d.getByLabel('VLAN ranges').fill('100-199');
    await d.getByLabel('Guest labels').fill('KVM=cloudbr0');
    await d.getByRole('button', { name: 'Create physical network' }).click();
    await expect(d).toBeHidden();
    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { level: 2, name: `${names.pn} Disabled` })).toBeVisible();
    await expect(main.getByText(LABEL, { exact: true })).toBeVisible();
    await expect(main.getByText('KVM: cloudbr0')).toBeVisible();
    await main.getByRole('button', { name: 'Enable', exact: true }).click();
    await expect(main.getByRole('heading', { level: 2, name: `${names.pn} Enabled` })).toBeVisible();
  });

  await test.step('provider backed by the simulator adapter', async () => {
    await page.getByRole('button', { name: 'Add provider' }).click();
    const d = await dialog(page, 'Add provider');
    await d.getByLabel('Adapter').selectOption('simulator');
    await d.getByRole('button', { name: 'Add provider' }).click();
    await expect(d).toBeHidden();
    await expect(
      page.getByText('No controller: the provider cannot be enabled until it has one.'),
    ).toBeVisible();
  });

  await test.step('controller with credentials, then the provider enabled and the connection tested', async () => {
    await page.getByRole('main').getByRole('button', { name: 'Add controller' }).click();
    const d = await dialog(page, /^Add a controller to /);
    await d.getByLabel('Name', { exact: true }).fill(names.controller);
    await d.getByLabel('Endpoint').fill(`sim://${names.controller}`);
    await d.getByLabel('username', { exact: true }).fill('netplane');
    await d.getByLabel('password', { exact: true }).fill('controller-secret-1');
    await d.getByRole('button', { name: 'Add controller' }).click();
    await expect(d).toBeHidden();
    const main = page.getByRole('main');
    await expect(main.getByText(`SIMULATED · sim://${names.controller}`)).toBeVisible();
    await main.getByRole('button', { name: 'Enable', exact: true }).click();
    await expect(main.getByRole('button', { name: 'Shut down' })).toBeVisible();
    await main.getByRole('button', { name: /^Test( connection)?$/ }).click();
    await expect(page.getByText(new RegExp(`${names.controller} answered in \\d+ ms`))).toBeVisible();
    await expect(main.getByText('Healthy')).toBeVisible();
    // The credential never comes back to the browser.
    await expect(page.getByText('controller-secret-1')).toHaveCount(0);
  });

  await test.step('offerings for the VPC and its tiers, checked live against the capability matrix', async () => {
    await nav(page, 'Offerings');
    await buildOffering(page, names.vpcOffering, 'VPC offering', ['Dhcp', 'SourceNat', 'Connectivity']);
    await buildOffering(page, names.tierOffering, 'Network offering', ['Dhcp', 'Connectivity']);
  });

  const vpcName = 'vpc-one';
  const tierNames = ['web', 'db'] as const;
  const tierCard = (name: string) =>
    page
      .locator('section')
      .filter({ has: page.locator(':scope > div > h2', { hasText: new RegExp(`^${name} `) }) });
  const tierHeading = (name: string, state: string) =>
    page.getByRole('heading', { level: 2, name: new RegExp(`^${name} ${state}\\b`) });

  await test.step('VPC created from the offering in the zone', async () => {
    await nav(page, 'VPCs');
    await page.getByRole('button', { name: 'New VPC' }).click();
    const d = await dialog(page, 'New VPC');
    await d.getByLabel('Name', { exact: true }).fill(vpcName);
    await d.getByLabel('Zone').selectOption({ label: names.zone });
    await d.getByLabel('VPC offering').selectOption({ label: names.vpcOffering });
    await d.getByLabel('CIDR').fill('10.10.0.0/16');
    await d.getByRole('button', { name: 'Create VPC' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `${vpcName} Allocated` })).toBeVisible();
  });

  await test.step('two tiers added', async () => {
    for (const [i, name] of tierNames.entries()) {
      await page.getByRole('button', { name: 'Add tier' }).click();
      const form = page.locator('section').filter({ has: page.getByRole('heading', { name: 'New tier' }) });
      await form.getByLabel('Name', { exact: true }).fill(name);
      await form.getByLabel('Network offering').selectOption({ label: names.tierOffering });
      await form.getByLabel('CIDR').fill(`10.10.${i + 1}.0/24`);
      await form.getByRole('button', { name: 'Create tier' }).click();
      await expect(tierHeading(name, 'Allocated')).toBeVisible();
    }
    await expect(page.getByRole('heading', { name: 'Tiers (2)' })).toBeVisible();
  });

  await test.step('implement: both tiers, then the VPC, reach Implemented', async () => {
    for (const name of tierNames) {
      await tierCard(name).getByRole('button', { name: 'Implement' }).click();
      await expect(tierHeading(name, 'Implemented')).toBeVisible({ timeout: 30_000 });
    }
    await expect(page.getByRole('heading', { level: 1, name: `${vpcName} Implemented` })).toBeVisible();
    // The negotiation chose the simulator provider on the labelled physical network for each service.
    await expect(tierCard('web').getByText('Dhcp → simulator')).toBeVisible();
  });

  await test.step('20 NICs prepared on a tier', async () => {
    const form = page.getByRole('form', { name: 'Prepare NICs on web' });
    await form.getByLabel('How many').fill('20');
    await form.getByLabel('VM name prefix').fill('vm');
    await form.getByRole('button', { name: 'Prepare NICs' }).click();
    const web = tierCard('web');
    await expect(web.getByRole('heading', { name: 'NICs (20)' })).toBeVisible({ timeout: 30_000 });
    await expect(web.getByRole('button', { name: 'Release all 20' })).toBeVisible({ timeout: 30_000 });
  });

  await test.step('NICs released', async () => {
    const web = tierCard('web');
    await web.getByRole('button', { name: 'Release all 20' }).click();
    await expect(web.getByRole('button', { name: /^Release all/ })).toHaveCount(0, { timeout: 30_000 });
    await expect(web.getByRole('cell', { name: 'Reserved' })).toHaveCount(0);
  });

  await test.step('VPC destroyed', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Destroy', exact: true }).first().click();
    await expect(
      page.getByRole('heading', { level: 1, name: new RegExp(`^${vpcName} Destroy`) }),
    ).toBeVisible({
      timeout: 30_000,
    });
  });
});
