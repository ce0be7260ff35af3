// Support journey: a controller that keeps answering 429 Too Many Requests past every retry (the simulator's scripted
// rateLimited fault, whatever its token bucket says), so the implement fails and the undo is blocked: the diagnosis is
// RATE_LIMITED with the 429 and its Retry-After; the admin lowers the controller's calls-per-second limit and the
// controller stops throttling; retry implements the VPC.
import {
  adminWindow,
  clearFaultsInUi,
  failImplementWith,
  openDiagnosis,
  openZone,
  retryToImplemented,
} from '../fixtures/support';
import { expect, test } from '../fixtures/test';

test('a controller that throttles past every retry shows as Rate limited with the 429 and Retry-After, and retry after lowering its limit implements the VPC', async ({
  page,
  browser,
  baseURL,
  adminApi,
  loginAs,
}) => {
  const failed = await failImplementWith(adminApi, { kind: 'rateLimited', retryAfterMs: 1_000 });
  const { controllerName } = failed.inv;

  await loginAs('support');
  const card = await openDiagnosis(page, failed.vpc.id, 'Rate limited');
  await expect(card.getByText('RATE_LIMITED', { exact: true }).first()).toBeVisible();
  await expect(card).toContainText(
    `${controllerName} kept refusing calls over its rate limit, asking to retry after 1 s (vendor code HTTP_429: Too Many Requests)`,
  );
  await expect(card.getByText('HTTP_429', { exact: true }).first()).toBeVisible(); // vendor code
  await expect(card).toContainText("lower the controller's calls-per-second limit");
  await expect(
    card.getByRole('link', { name: new RegExp(`Open controller ${controllerName}`) }),
  ).toBeVisible();

  // The admin follows the remediation: the controller's limit in Netplane goes down to what the vendor allows, and the
  // controller stops throttling (the scripted 429s are cleared).
  const admin = await adminWindow(browser, baseURL as string);
  await openZone(admin, failed.inv);
  await admin.getByRole('button', { name: `Edit ${controllerName}` }).click();
  const dialog = admin.getByRole('dialog', { name: `Edit ${controllerName}` });
  await dialog.getByLabel('Calls per second', { exact: true }).fill('5');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText(`Controller ${controllerName} saved`)).toBeVisible();
  await expect(admin.getByText(/\b5 calls\/s\b/)).toBeVisible();
  await clearFaultsInUi(admin, failed.inv);
  await admin.context().close();

  await retryToImplemented(page, card, failed, /^Retry/);
});
