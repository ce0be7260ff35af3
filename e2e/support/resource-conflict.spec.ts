// Support journey: the VLAN already exists on the controller, owned by another system (RESOURCE_CONFLICT).
import {
  adminWindow,
  clearFaultsInUi,
  failImplementWith,
  openDiagnosis,
  retryToImplemented,
} from '../fixtures/support';
import { expect, test } from '../fixtures/test';

test('a resource owned by another system shows the conflict with its owner, and retry after the cleanup implements the VPC', async ({
  page,
  browser,
  baseURL,
  adminApi,
  loginAs,
}) => {
  const failed = await failImplementWith(adminApi, { kind: 'foreignOwner', owner: 'legacy-cmdb' });

  await loginAs('support');
  const card = await openDiagnosis(page, failed.vpc.id, 'Resource conflict');
  await expect(card.getByText('RESOURCE_CONFLICT', { exact: true }).first()).toBeVisible();
  await expect(card).toContainText('owned by legacy-cmdb, which is not ours');
  await expect(card.getByText('SEGMENT_IN_USE', { exact: true }).first()).toBeVisible(); // vendor code
  // Never overwritten: the rollback failure it caused is nested under it, not a second problem.
  await expect(card).toContainText(/Caused 1 downstream failure/);

  // The foreign resource is removed on the controller (here: the scripted conflict is cleared in the simulator).
  const admin = await adminWindow(browser, baseURL as string);
  await clearFaultsInUi(admin, failed.inv);
  await admin.context().close();

  await retryToImplemented(page, card, failed, /^Retry/);
});
