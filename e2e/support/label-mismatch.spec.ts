// Support journey: the physical network lost the label the offering requires (TAG_MISMATCH at negotiation).
import {
  adminWindow,
  failNegotiationByLabel,
  openDiagnosis,
  openZone,
  retryToImplemented,
} from '../fixtures/support';
import { expect, test } from '../fixtures/test';

test('a label mismatch names both label sets, and re-running negotiation after fixing the label implements the VPC', async ({
  page,
  browser,
  baseURL,
  adminApi,
  loginAs,
}) => {
  const failed = await failNegotiationByLabel(adminApi);

  await loginAs('support');
  const card = await openDiagnosis(page, failed.vpc.id, 'Tag mismatch');
  await expect(card.getByText('TAG_MISMATCH', { exact: true }).first()).toBeVisible();
  await expect(card).toContainText("its labels [silver] do not match the offering's [e2e]");
  await expect(card).toContainText('Make the labels agree');

  // The admin puts the label back on the physical network in the inventory.
  const admin = await adminWindow(browser, baseURL as string);
  await openZone(admin, failed.inv);
  const main = admin.getByRole('main');
  await main.getByRole('button', { name: 'Edit', exact: true }).nth(1).click(); // [0] is the zone's
  const dialog = admin.getByRole('dialog', { name: /^Edit pn-/ });
  await expect(dialog.getByLabel('Labels (tags)')).toHaveValue('silver');
  await dialog.getByLabel('Labels (tags)').fill('e2e');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(main.getByText('e2e', { exact: true })).toBeVisible();
  await admin.context().close();

  await retryToImplemented(page, card, failed, /^Re-run negotiation$/);
});
