// Support journey: the controller rejects Netplane's credentials; the admin rotates them; retry implements the VPC.
import {
  adminWindow,
  clearFaultsInUi,
  failImplementWith,
  openDiagnosis,
  openZone,
  retryToImplemented,
} from '../fixtures/support';
import { expect, test } from '../fixtures/test';

test('an auth failure shows the 401 and the credentials remediation, and retry after rotating them implements the VPC', async ({
  page,
  browser,
  baseURL,
  adminApi,
  loginAs,
}) => {
  const failed = await failImplementWith(adminApi, { kind: 'authFailure' });
  const { controllerName } = failed.inv;

  await loginAs('support');
  const card = await openDiagnosis(page, failed.vpc.id, 'Authentication failed');
  await expect(card.getByText('AUTH_FAILED', { exact: true }).first()).toBeVisible();
  await expect(card).toContainText(`${controllerName} rejected Netplane's credentials`);
  await expect(card.getByText('HTTP_401', { exact: true }).first()).toBeVisible(); // vendor code
  await expect(card).toContainText('Update the credentials');

  // The admin rotates the credentials through the write-only form. The simulator does not check credentials, so
  // the scripted 401 is cleared as well (the controller "accepts" the new ones).
  const admin = await adminWindow(browser, baseURL as string);
  await openZone(admin, failed.inv);
  await admin.getByRole('button', { name: `Rotate credentials of ${controllerName}` }).click();
  const dialog = admin.getByRole('dialog', { name: `Rotate the credentials of ${controllerName}` });
  await dialog.getByLabel('username', { exact: true }).fill('netplane');
  await dialog.getByLabel('password', { exact: true }).fill('the-new-secret-2');
  await dialog.getByRole('button', { name: 'Replace credentials' }).click();
  await expect(admin.getByText(`Credentials of ${controllerName} replaced`)).toBeVisible();
  await expect(admin.getByText('the-new-secret-2')).toHaveCount(0);
  await clearFaultsInUi(admin, failed.inv);
  await admin.context().close();

  await retryToImplemented(page, card, failed, /^Retry/);
});
