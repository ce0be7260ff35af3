// Accessibility: axe-core on every page of the console, light and dark: no serious or critical violation.
import { seriousViolations } from '../fixtures/axe';
import { CONSOLE_PAGES, openConsolePage, vpcDetailPages } from '../fixtures/pages';
import { expect, test } from '../fixtures/test';

const SCHEMES = ['light', 'dark'] as const;

test.describe('console pages', () => {
  test.beforeEach(async ({ showcase, signInAs }) => {
    // Pages with content are checked, not only empty states.
    expect(showcase.failed.id).toBeTruthy();
    await signInAs('admin');
  });

  for (const p of CONSOLE_PAGES) {
    test(`${p.name} has no serious or critical axe violation (light and dark)`, async ({ page }) => {
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        await openConsolePage(page, p);
        const violations = await seriousViolations(page);
        expect(violations, `${p.path} in ${scheme} mode:\n${violations.join('\n')}`).toEqual([]);
      }
    });
  }

  test('vpc detail pages have no serious or critical axe violation (light and dark)', async ({
    page,
    showcase,
  }) => {
    // Three long pages, each scanned twice: axe alone takes 10-20 s per scan on two busy cores.
    test.setTimeout(180_000);
    for (const p of vpcDetailPages(showcase)) {
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        await openConsolePage(page, p);
        const violations = await seriousViolations(page);
        expect(violations, `${p.name} in ${scheme} mode:\n${violations.join('\n')}`).toEqual([]);
      }
    }
  });

  test('the static NAT and load balancer dialogs have no serious or critical axe violation (light and dark)', async ({
    page,
    showcase,
  }) => {
    test.setTimeout(120_000);
    const edge = vpcDetailPages(showcase).find((p) => p.name === 'vpc-detail-public-services');
    if (!edge) throw new Error('the showcase has an edge VPC');
    const dialogs = [
      { opener: 'Enable static NAT', dialog: 'Enable static NAT' },
      { opener: 'New load balancer', dialog: 'New load balancer' },
      { opener: 'Edit members of web-lb', dialog: 'Members of web-lb' },
      { opener: 'Delete load balancer web-lb', dialog: 'Delete load balancer?' },
    ];
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await openConsolePage(page, edge);
      for (const d of dialogs) {
        await page.getByRole('button', { name: d.opener }).first().click();
        const dialog = page.getByRole('dialog', { name: d.dialog });
        await expect(dialog).toBeVisible();
        const violations = await seriousViolations(page);
        expect(violations, `${d.dialog} in ${scheme} mode:\n${violations.join('\n')}`).toEqual([]);
        await page.keyboard.press('Escape');
        await expect(dialog).toBeHidden();
      }
    }
  });
});

test('login page has no serious or critical axe violation (light and dark)', async ({ page }) => {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    const violations = await seriousViolations(page);
    expect(violations, `/login in ${scheme} mode:\n${violations.join('\n')}`).toEqual([]);
  }
});

test('setup page has no serious or critical axe violation (light and dark)', async ({
  page,
  emptyServer,
}) => {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${emptyServer.baseURL}/setup`);
    await expect(page.getByRole('heading', { name: 'Set up Netplane' })).toBeVisible();
    await expect(page.getByLabel('Setup token')).toBeVisible();
    const violations = await seriousViolations(page);
    expect(violations, `/setup in ${scheme} mode:\n${violations.join('\n')}`).toEqual([]);
  }
});

test('the keyboard reaches the content through the skip link and the navigation through Tab', async ({
  page,
  signInAs,
}) => {
  await signInAs('admin');
  await page.goto('/infrastructure');
  await expect(page.getByRole('heading', { level: 1, name: 'Infrastructure' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  // The sidebar's Infrastructure link is among the first few Tab stops (skip link, brand, Dashboard, ...).
  const target = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Infrastructure' });
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) break;
  }
  await expect(target).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Infrastructure' })).toBeVisible();
});
