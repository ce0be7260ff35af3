// Support journey: a controller that stops answering ("Resource Unavailable"), diagnosed, fixed and retried.
import {
  adminWindow,
  clearFaultsInUi,
  failImplementWith,
  openDiagnosis,
  openZone,
  retryToImplemented,
} from '../fixtures/support';
import { expect, test } from '../fixtures/test';

test('a controller timeout shows as Resource Unavailable with the failing call, and retry after the fix implements the VPC', async ({
  page,
  browser,
  baseURL,
  adminApi,
  loginAs,
}) => {
  const failed = await failImplementWith(adminApi, { kind: 'timeout' });
  const { controllerName } = failed.inv;

  await loginAs('support');
  const card = await openDiagnosis(page, failed.vpc.id, 'Resource Unavailable');
  await expect(card.getByText('CONTROLLER_TIMEOUT', { exact: true })).toBeVisible();
  await expect(card).toContainText(`${controllerName} did not answer in time`);
  await expect(card.getByText('TIMEOUT', { exact: true })).toBeVisible(); // the failing call's category
  await expect(card).toContainText('Remediation:');
  await expect(card).toContainText('raise the timeout');
  // A controller whose health check failed is skipped by negotiation: the remediation says to test it before retrying.
  await expect(card).toContainText('Run "Test connection" on the controller first');
  await expect(
    card.getByRole('link', { name: new RegExp(`Open controller ${controllerName}`) }),
  ).toBeVisible();

  // The admin follows the remediation: the controller answers again and its health is checked.
  const admin = await adminWindow(browser, baseURL as string);
  await clearFaultsInUi(admin, failed.inv);
  await openZone(admin, failed.inv);
  await admin.getByRole('button', { name: /^Test( connection)?$/ }).click();
  await expect(admin.getByText(new RegExp(`${controllerName} answered in \\d+ ms`))).toBeVisible();
  await admin.context().close();

  await retryToImplemented(page, card, failed, /^Retry/);
});
