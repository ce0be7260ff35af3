// The newcomer's journey written from the README: a fresh start, the setup page with the token the server printed,
// the getting-started checklist, the demo loaded from the dashboard, the failing VPC's diagnosis and its remediation
// (the label put back, negotiation re-run, the VPC implemented), and the demo removed again.
import { seriousViolations } from '../fixtures/axe';
import { expect, setUpFirstAdmin, test } from '../fixtures/test';

const ADMIN = { username: 'newcomer', password: 'newcomer-password-1' };

test.describe.configure({ timeout: 180_000 });

test('a newcomer sets up Netplane, loads the demo, follows the failing VPC to its fix, and removes the demo', async ({
  page,
  emptyServer,
}) => {
  const base = emptyServer.baseURL;
  await test.step('setup with the printed token', async () => {
    await setUpFirstAdmin(page, emptyServer, ADMIN);
  });

  const guide = page
    .locator('section')
    .filter({ has: page.getByRole('heading', { level: 2, name: 'Getting started' }) });
  await test.step('the dashboard says what to do first, and loads the demo', async () => {
    await page.goto(`${base}/`);
    const steps = page.getByRole('list', { name: 'Steps to a first VPC' });
    await expect(steps.getByRole('listitem')).toHaveCount(6);
    await expect(steps.getByRole('listitem').first()).toContainText('Create a zone (next)');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Load the demo' }).click();
    await expect(
      page
        .getByRole('progressbar', { name: 'Loading the demo' })
        .or(page.getByRole('link', { name: 'demo-broken' })),
    ).toBeVisible();
    await expect(page.getByRole('link', { name: 'demo-broken' })).toBeVisible({ timeout: 90_000 });
    await expect(guide).toContainText('The inventory is complete.');
  });

  await test.step('the failing VPC has a diagnosis that names both label sets', async () => {
    await page.goto(`${base}/diagnostics`);
    const card = page.getByRole('article', { name: 'Tag mismatch' });
    await expect(card).toHaveCount(1);
    await expect(card).toContainText("its labels [demo] do not match the offering's [gold]");
    await expect(card).toContainText('Make the labels agree');
  });

  await test.step('the admin puts the label back, and re-running negotiation implements demo-broken', async () => {
    await page.goto(`${base}/infrastructure`);
    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { level: 2, name: 'demo-zone' })).toBeVisible();
    await main.getByRole('button', { name: 'Edit', exact: true }).nth(1).click(); // [0] is the zone's
    const dialog = page.getByRole('dialog', { name: 'Edit demo-physnet' });
    await expect(dialog.getByLabel('Labels (tags)')).toHaveValue('demo');
    await dialog.getByLabel('Labels (tags)').fill('demo, gold');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    await page.goto(`${base}/diagnostics`);
    const card = page.getByRole('article', { name: 'Tag mismatch' });
    await card.getByRole('button', { name: /^Re-run negotiation$/ }).click();
    await expect(page.getByText(/started; follow it under Jobs or on the VPC/)).toBeVisible();
    // The diagnosis resolves once negotiation succeeds; the VPC list leads to demo-broken.
    await page.goto(`${base}/vpcs`);
    await page.getByRole('link', { name: 'demo-broken' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'demo-broken Implemented' })).toBeVisible({
      timeout: 60_000,
    });
  });

  await test.step('removing the demo leaves an empty inventory and the checklist again', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Remove the demo' }).click();
    await page
      .getByRole('dialog', { name: 'Remove the demo?' })
      .getByRole('button', { name: 'Remove the demo' })
      .click();
    await expect(page.getByRole('button', { name: 'Load the demo' })).toBeVisible({ timeout: 90_000 });
    await expect(
      page.getByRole('list', { name: 'Steps to a first VPC' }).getByRole('listitem').first(),
    ).toContainText('Create a zone (next)');
    await page.goto(`${base}/vpcs`);
    await expect(page.getByText(/No VPCs/)).toBeVisible();
  });
});
