// The simulator out of process (NETPLANE_ADAPTER_RUNTIME=simulator=process): the adapters page shows its process (pid,
// uptime, restarts, memory); after a kill -9 the runtime restarts it and the page, refreshing while open, shows the
// new pid, one restart and the last crash with its signal; an admin reloads it from the keyboard through the confirm
// dialog and sees the result; a viewer has no Reload. axe on the page and the open dialog; screenshots in the test's
// output (and SHOTS_DIR when set).
import type { Locator, Page } from '@playwright/test';
import { apiAs } from '../fixtures/api';
import { seriousViolations } from '../fixtures/axe';
import { createUser } from '../fixtures/inventory';
import { ADMIN, startServer } from '../fixtures/server';
import { expect, test } from '../fixtures/test';

type Listed = {
  id: string;
  version: string;
  runtime: { kind: string; pid?: number | null; restarts?: number };
};

async function shot(target: Page | Locator, name: string): Promise<void> {
  await target.screenshot({ path: test.info().outputPath(`${name}.png`) });
  if (process.env.SHOTS_DIR) await target.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png` });
}

async function logIn(page: Page, baseURL: string, username: string, password: string) {
  await page.goto(`${baseURL}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

test('the simulator out of process: pid, restart after kill -9 with the last crash, reload by an admin', async ({
  page,
  browser,
}) => {
  const server = await startServer({
    adminPassword: ADMIN.password,
    env: { NETPLANE_ADAPTER_RUNTIME: 'simulator=process' },
  });
  const api = await apiAs(server.baseURL, ADMIN.username, ADMIN.password);
  try {
    const simulatorOf = async () =>
      (await api.query<Listed[]>('adapters.list')).find((a) => a.id === 'simulator');
    const first = await simulatorOf();
    expect(first?.runtime.kind, server.output()).toBe('process');
    const pid = first?.runtime.pid ?? 0;
    expect(pid).toBeGreaterThan(0);

    await logIn(page, server.baseURL, ADMIN.username, ADMIN.password);
    await page.goto(`${server.baseURL}/adapters`);
    const card = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { level: 2, name: /simulator/ }) });
    const runtime = card.getByRole('heading', { level: 3, name: 'Runtime' }).locator('..');
    await expect(runtime.getByText(`Process pid ${pid}`)).toBeVisible();
    await expect(runtime.getByText('Running', { exact: true })).toBeVisible();
    await expect(runtime.locator('dt:has-text("Restarts") + dd')).toHaveText('0');
    await expect(runtime.locator('dt:has-text("Memory (RSS)") + dd')).toHaveText(/^\d+\.\d (KiB|MiB|GiB)$/);
    await expect(runtime.getByText('none since the server started')).toBeVisible();
    await shot(page, 'adapters-runtime-process');

    // A crash: the runtime restarts the process, and the open page picks it up on its own refresh.
    process.kill(pid, 'SIGKILL');
    await expect(runtime.locator('dt:has-text("Restarts") + dd')).toHaveText('1', { timeout: 60_000 });
    await expect(runtime.getByText('Last crash')).toBeVisible();
    await expect(runtime.getByText(/^signal SIGKILL: /)).toBeVisible();
    const restarted = (await simulatorOf())?.runtime.pid ?? 0;
    expect(restarted).not.toBe(pid);
    await expect(runtime.getByText(`Process pid ${restarted}`)).toBeVisible();
    await shot(card, 'adapters-runtime-after-crash');

    // Reload from the keyboard: focus the button, Enter opens the dialog, the confirm button reloads.
    const reload = card.getByRole('button', { name: 'Reload' });
    await reload.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /^Reload / });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`(pid ${restarted})`);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(dialog, 'adapters-reload-confirm');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(reload).toBeFocused();

    await reload.click();
    await dialog.getByRole('button', { name: 'Reload adapter' }).click();
    const version = first?.version ?? '';
    await expect(dialog.getByRole('status')).toHaveText(`Reloaded simulator ${version} → ${version}`, {
      timeout: 60_000,
    });
    await shot(dialog, 'adapters-reload-done');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const reloaded = (await simulatorOf())?.runtime;
    expect(reloaded?.pid).not.toBe(restarted);
    // A reload is not a restart after a crash.
    expect(reloaded?.restarts).toBe(1);
    await expect(runtime.getByText(`Process pid ${reloaded?.pid}`)).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'adapters-runtime-reloaded');

    // The built-in OVN adapter stays in process: no Reload, and the page says why.
    const ovn = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: /ovn/ }) });
    await expect(ovn.getByText(/^In process: runs inside the management server/)).toBeVisible();
    await expect(ovn.getByRole('button', { name: 'Reload' })).toHaveCount(0);

    // A viewer sees the runtime but no Reload.
    const viewer = await createUser(api, 'viewer');
    const context = await browser.newContext();
    const viewerPage = await context.newPage();
    await logIn(viewerPage, server.baseURL, viewer.username, viewer.password);
    await viewerPage.goto(`${server.baseURL}/adapters`);
    await expect(viewerPage.getByText(`Process pid ${reloaded?.pid}`)).toBeVisible();
    await expect(viewerPage.getByRole('button', { name: 'Reload' })).toHaveCount(0);
    await context.close();
  } finally {
    await api.http.dispose();
    await server.stop();
  }
});
