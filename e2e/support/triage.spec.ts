// Support triage: the failed VPC waits in the queue; support acknowledges it, takes it, and exports the redacted
// support bundle (the controller's password never appears in it).
import { readFileSync } from 'node:fs';
import { SIM_CREDENTIALS } from '../fixtures/inventory';
import { failImplementWith } from '../fixtures/support';
import { expect, test } from '../fixtures/test';

test('support acknowledges and takes a failed VPC from the queue and exports its bundle without secrets', async ({
  page,
  adminApi,
  loginAs,
}) => {
  const failed = await failImplementWith(adminApi, { kind: 'authFailure' });
  const me = await loginAs('support');

  await page.goto('/triage');
  await expect(page.getByRole('heading', { level: 1, name: 'Support triage' })).toBeVisible();
  const row = page
    .getByRole('table', { name: 'Triage queue' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: failed.vpc.name, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Authentication failed');

  await row.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(row.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
  await expect(row).toContainText(me.username);
  await row.getByRole('button', { name: 'Assign to me' }).click();
  await expect(row.getByRole('button', { name: 'Unassign' })).toBeVisible();

  const download = page.waitForEvent('download');
  await row.getByRole('button', { name: 'Bundle' }).click();
  const file = await (await download).path();
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(failed.vpc.id);
  expect(text).toContain('AUTH_FAILED');
  expect(text).not.toContain(SIM_CREDENTIALS.password);
  await expect(page.getByText('Support bundle downloaded (secrets redacted)')).toBeVisible();
});
