// Login failures and session expiry, as a person at the login page sees them.
import { request } from '@playwright/test';
import { Api, ApiError } from '../fixtures/api';
import { createUser } from '../fixtures/inventory';
import { expect, logInThroughUi, test } from '../fixtures/test';

test('a wrong password says so and keeps the user on the login page', async ({ page, adminApi }) => {
  const user = await createUser(adminApi, 'viewer');
  await page.goto('/login');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password.');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
});

test('repeated failures are rate limited with the time to wait', async ({ page, adminApi, baseURL }) => {
  const user = await createUser(adminApi, 'viewer');
  // The failures that trip the limit go through the API (fast); the one that shows the message goes through the UI.
  const anonymous = new Api(await request.newContext({ baseURL }));
  let appCode: string | undefined;
  for (let i = 0; i < 10 && appCode !== 'RATE_LIMITED'; i++) {
    try {
      await anonymous.login(user.username, `wrong-${i}`);
      throw new Error('a wrong password was accepted');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      appCode = e.appCode;
    }
  }
  await anonymous.http.dispose();
  expect(appCode, 'the API never rate limited the failures').toBe('RATE_LIMITED');

  await page.goto('/login');
  await page.getByLabel('Username').fill(user.username);
  // Even the right password is refused while the limit holds.
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Too many failed attempts.');
  await expect(alert).toContainText(/Wait \d+ seconds before trying again/);
});

test('a session ended on the server sends the user back to login with a message, then back to the page', async ({
  page,
  adminApi,
  baseURL,
}) => {
  const user = await createUser(adminApi, 'viewer');
  await logInThroughUi(page, user);

  // Another client holding the same cookie ends the session server-side; the browser keeps its (now dead) cookie.
  const other = new Api(
    await request.newContext({ baseURL, storageState: await page.context().storageState() }),
  );
  await other.adoptSession();
  await other.mutate('auth.logout');
  await other.http.dispose();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/login\?expired=1/);
  await expect(page.getByRole('status')).toContainText('Your session expired. Log in again to continue.');

  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
});

test('a page opened without a session asks for login and returns to it afterwards', async ({
  page,
  adminApi,
}) => {
  const user = await createUser(adminApi, 'viewer');
  await page.goto('/infrastructure');
  await expect(page).toHaveURL(/\/login\?next=%2Finfrastructure/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Infrastructure' })).toBeVisible();
});
