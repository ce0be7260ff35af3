// A full-page screenshot of every console page at 1280 and 768 px, saved under test-results/e2e/screenshots/.
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { CONSOLE_PAGES, type ConsolePage, openConsolePage, vpcDetailPages } from '../fixtures/pages';
import { expect, test } from '../fixtures/test';

const WIDTHS = [1280, 768] as const;

test.beforeEach(async ({ showcase, signInAs }) => {
  expect(showcase.healthy.id).toBeTruthy();
  await signInAs('admin');
});

async function shoot(page: Page, p: ConsolePage, testInfo: TestInfo): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await openConsolePage(page, p);
    const file = join(testInfo.project.outputDir, 'screenshots', `${p.name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    // Nothing overflows sideways: a page usable at this width scrolls only vertically.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${p.path} is ${overflow} px wider than the ${width} px viewport`).toBeLessThanOrEqual(
      0,
    );
  }
}

for (const p of CONSOLE_PAGES) {
  test(`screenshot of ${p.name} at ${WIDTHS.join(' and ')} px`, async ({ page }, testInfo) => {
    await shoot(page, p, testInfo);
  });
}

test('screenshots of the VPC detail pages (implemented, failed)', async ({ page, showcase }, testInfo) => {
  for (const p of vpcDetailPages(showcase)) await shoot(page, p, testInfo);
});

test('screenshots of the static NAT and load balancer dialogs (1280 and 768) and of the rules in dark mode', async ({
  page,
  showcase,
}, testInfo) => {
  const edge = vpcDetailPages(showcase).find((p) => p.name === 'vpc-detail-public-services');
  if (!edge) throw new Error('the showcase has an edge VPC');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await openConsolePage(page, edge);
    await page.getByRole('button', { name: 'New load balancer' }).click();
    const dialog = page.getByRole('dialog', { name: 'New load balancer' });
    await dialog.getByLabel('Name').fill('shop-lb');
    // The VPC's addresses free on port 80: its source-NAT address (the others hold its rules).
    await dialog.getByLabel('Public IP').selectOption({ index: 1 });
    for (const box of (await dialog.getByRole('checkbox').all()).slice(1, 4)) await box.check();
    await page.screenshot({
      path: join(testInfo.project.outputDir, 'screenshots', `lb-dialog-${width}.png`),
      animations: 'disabled',
    });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Enable static NAT' }).click();
    const nat = page.getByRole('dialog', { name: 'Enable static NAT' });
    // No address of the VPC is free for static NAT: the dialog offers to acquire one.
    await expect(nat.getByRole('button', { name: 'Acquire a new address' })).toBeVisible();
    await page.screenshot({
      path: join(testInfo.project.outputDir, 'screenshots', `static-nat-dialog-${width}.png`),
      animations: 'disabled',
    });
    await page.keyboard.press('Escape');
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await openConsolePage(page, edge);
  await page
    .locator('section')
    .filter({ has: page.getByRole('heading', { level: 2, name: /^Load balancers/ }) })
    .screenshot({ path: join(testInfo.project.outputDir, 'screenshots', 'load-balancers-dark-1280.png') });
});

test('screenshots of the login and setup pages', async ({ page, emptyServer }, testInfo) => {
  const dir = join(testInfo.project.outputDir, 'screenshots');
  await page.goto(`${emptyServer.baseURL}/setup`);
  await expect(page.getByLabel('Setup token')).toBeVisible();
  await page.screenshot({ path: join(dir, 'setup-1280.png'), fullPage: true });
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
  await page.screenshot({ path: join(dir, 'login-1280.png'), fullPage: true });
});
