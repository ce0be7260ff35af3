// The second journey of issue 15: an operator creates an API token in the console (a role up to its own, shown once),
// the test's own HTTP client uses it with only an Authorization header (a read works, a viewer token cannot write),
// the console then shows its last use, and once revoked in the console the token gets 401. axe checks the page and
// the one-time dialog.
import { request } from '@playwright/test';
import { seriousViolations } from '../fixtures/axe';
import { expect, test } from '../fixtures/test';

test('an operator creates a token in the console and a script uses it until it is revoked', async ({
  page,
  server,
  signInAs,
}) => {
  await signInAs('operator');
  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: 'API tokens' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();
  await expect(page.getByText('No API tokens yet')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('main').getByRole('button', { name: 'New token' }).first().click();
  const form = page.getByRole('dialog', { name: 'New API token' });
  await form.getByLabel('Name').fill('e2e-script');
  const role = form.getByLabel('Role');
  // At most the operator's own role.
  await expect(role.locator('option')).toHaveText(['operator', 'support', 'viewer']);
  await role.selectOption('viewer');
  await form.getByLabel('Expires after').selectOption('7');
  await form.getByRole('button', { name: 'Create token' }).click();

  const shown = page.getByRole('dialog', { name: 'Token e2e-script created' });
  await expect(shown.getByText('this is the only time it is shown')).toBeVisible();
  const token = await shown.getByLabel('Your new token').inputValue();
  expect(token).toMatch(/^npt_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole('button', { name: 'Copy' }).click();
  await expect(shown.getByText(/Copied to the clipboard|Copying failed/)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shown.getByRole('button', { name: 'I have stored it' }).click();
  const row = page.getByRole('row', { name: /e2e-script/ });
  await expect(row).toContainText(token.slice(0, 16));
  await expect(row).toContainText('never');
  await expect(page.getByText(token)).toHaveCount(0);

  // The script: the test's own HTTP client, no cookie, no CSRF header.
  const script = await request.newContext({
    baseURL: server.baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  try {
    const read = await script.get('/trpc/zones.list');
    expect(read.status()).toBe(200);
    const write = await script.post('/trpc/zones.create', {
      headers: { 'content-type': 'application/json' },
      data: JSON.stringify({ name: 'from-a-viewer-token' }),
    });
    expect(write.status()).toBe(403);

    await page.reload();
    await expect(page.getByRole('row', { name: /e2e-script/ })).toContainText('from 127.0.0.1');

    await page.getByRole('button', { name: 'Revoke e2e-script' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke e2e-script?' })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await expect(page.getByRole('row', { name: /e2e-script/ })).toContainText('Revoked');
    const after = await script.get('/trpc/zones.list');
    expect(after.status()).toBe(401);
    expect(await after.text()).toContain('TOKEN_REVOKED');
    expect(await after.text()).not.toContain(token);
  } finally {
    await script.dispose();
  }
});
