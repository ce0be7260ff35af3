// Role-aware console: a viewer sees no mutating control, support cannot edit inventory, an admin sees them all.
import { createInventory, type Inventory } from '../fixtures/inventory';
import { CONSOLE_PAGES, openConsolePage, vpcDetailPages } from '../fixtures/pages';
import { expect, type Role, test } from '../fixtures/test';

// The names of every control that changes inventory on the infrastructure page.
const INVENTORY_CONTROLS =
  /^(New zone|Create the first zone|Edit|Disable|Enable|Delete.*|Add physical network|Add provider|Add controller|Shut down|Test|Test connection|Edit .*|Rotate credentials of .*)$/;

async function openZone(page: import('@playwright/test').Page, inv: Inventory) {
  await page.goto(`/infrastructure?zone=${inv.zoneId}`);
  await expect(page.getByRole('heading', { level: 2, name: inv.zoneName })).toBeVisible();
  // The controller list is the deepest level: once it shows, every control the role may see has rendered.
  await expect(page.getByText(`SIMULATED · sim://${inv.controllerName}`)).toBeVisible();
}

for (const role of ['viewer', 'support'] as const satisfies Role[]) {
  test(`a ${role} reads the inventory but sees no control that would change it`, async ({
    page,
    adminApi,
    loginAs,
  }) => {
    const inv = await createInventory(adminApi);
    await loginAs(role);
    await expect(page.getByRole('banner').getByText(role, { exact: true })).toBeVisible();
    await openZone(page, inv);
    const main = page.getByRole('main');
    await expect(main.getByRole('button', { name: INVENTORY_CONTROLS })).toHaveCount(0);
    await expect(main.getByRole('combobox', { name: /^Resource state of / })).toHaveCount(0);

    await page.goto('/users');
    await expect(page.getByText('Only admins manage users')).toBeVisible();
    await expect(main.getByRole('button', { name: /new user|create/i })).toHaveCount(0);
  });
}

test('an admin sees the inventory controls the other roles do not', async ({ page, adminApi, loginAs }) => {
  const inv = await createInventory(adminApi);
  await loginAs('admin');
  await openZone(page, inv);
  const main = page.getByRole('main');
  for (const name of ['New zone', 'Add physical network', 'Add provider', 'Add controller']) {
    await expect(main.getByRole('button', { name, exact: true }).first()).toBeVisible();
  }
  await expect(main.getByRole('button', { name: /^Test( connection)?$/ }).first()).toBeVisible();
  await expect(
    main.getByRole('button', { name: `Rotate credentials of ${inv.controllerName}` }),
  ).toBeVisible();
  await expect(main.getByRole('combobox', { name: `Resource state of ${inv.controllerName}` })).toBeVisible();
});

test('a viewer is refused by the API too when it tries a change the console hides', async ({
  page,
  loginAs,
  pageApi,
}) => {
  await loginAs('viewer');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  const api = await pageApi();
  await expect(api.mutate('zones.create', { name: 'viewer-zone' })).rejects.toMatchObject({
    httpStatus: 403,
  });
});

test('on a failed VPC, support gets the diagnosis actions but no provisioning controls; a viewer gets neither', async ({
  page,
  showcase,
  signInAs,
}) => {
  const card = (vpcId: string) =>
    page
      .getByRole('article', { name: 'Tag mismatch' })
      .filter({ has: page.locator(`a[href="/vpcs/${vpcId}"]`) });
  const PROVISIONING = /^(Implement|Shut down|Destroy|Reconcile|Repair drift|Add tier|New VPC)$/;

  await signInAs('support');
  await page.goto('/diagnostics');
  await expect(card(showcase.failed.id)).toHaveCount(1);
  await expect(card(showcase.failed.id).getByRole('button', { name: 'Re-run negotiation' })).toBeVisible();
  await page.goto(`/vpcs/${showcase.failed.id}`);
  await expect(page.getByRole('heading', { level: 1, name: /^vpc-/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Support bundle' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('button', { name: PROVISIONING })).toHaveCount(0);

  await page.context().clearCookies();
  await signInAs('viewer');
  await page.goto('/diagnostics');
  await expect(card(showcase.failed.id)).toHaveCount(1);
  await expect(card(showcase.failed.id).getByRole('button')).toHaveCount(0);
  await page.goto(`/vpcs/${showcase.failed.id}`);
  await expect(page.getByRole('heading', { level: 1, name: /^vpc-/ })).toBeVisible();
  await expect(page.getByRole('main').getByRole('button', { name: PROVISIONING })).toHaveCount(0);
  await page.goto('/vpcs');
  await expect(page.getByRole('heading', { level: 1, name: 'VPCs' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New VPC' })).toHaveCount(0);
});

// Every verb of the console that changes something; a viewer's pages must offer none of them.
const MUTATING =
  /^(New|Add|Create|Edit|Delete|Disable|Enable|Implement|Shut down|Destroy|Release|Prepare|Retry|Re-run|Inject|Clear|Save|Acknowledge|Assign|Unassign|Reconcile|Repair|Rotate|Test|Replace|Cancel job|Reset)\b/;

test('a viewer finds no mutating control on any page of the console', async ({
  page,
  showcase,
  signInAs,
}) => {
  await signInAs('viewer');
  const pages = [...CONSOLE_PAGES, ...vpcDetailPages(showcase)];
  for (const p of pages) {
    await openConsolePage(page, p);
    const offending = await page.getByRole('main').getByRole('button', { name: MUTATING }).allInnerTexts();
    expect(offending, `${p.path} shows ${offending.join(', ')} to a viewer`).toEqual([]);
  }
});
