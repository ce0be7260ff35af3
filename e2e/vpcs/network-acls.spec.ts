import { seriousViolations } from '../fixtures/axe';
import { createAclTierOffering, createInventory, uniqueName } from '../fixtures/inventory';
import { implementTier, type Tier, type Vpc } from '../fixtures/lifecycle';
import { section } from '../fixtures/pages';
import { expect, test } from '../fixtures/test';

const APPLY_TIMEOUT = { timeout: 60_000 };

test('an ACL list from creation through rules, a move and assignment to a tier, to Active', async ({
  page,
  adminApi,
  loginAs,
}) => {
  test.setTimeout(120_000);
  const inv = await createInventory(adminApi);
  const aclOffering = await createAclTierOffering(adminApi, 'acl-offering');
  const x = 100 + (process.pid % 100);
  const vpc = await adminApi.mutate<Vpc>('vpcs.create', {
    name: uniqueName('aclvpc'),
    zoneId: inv.zoneId,
    offeringId: inv.vpcOfferingId,
    cidr: `10.${x}.0.0/16`,
  });
  const tier = await adminApi.mutate<Tier>('tiers.create', {
    vpcId: vpc.id,
    name: uniqueName('db'),
    offeringId: aclOffering.id,
    cidr: `10.${x}.2.0/24`,
  });
  expect(await implementTier(adminApi, tier.id)).toBe('succeeded');

  await loginAs('operator');
  await page.goto(`/vpcs/${vpc.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `${vpc.name} Implemented` })).toBeVisible();
  const acls = section(page, /^Network ACLs/);
  const lists = acls.getByRole('table', { name: `Network ACL lists of ${vpc.name}` });
  // The built-ins are there, read-only; a tier with no assignment uses default_deny.
  await expect(lists.getByRole('row', { name: /default_allow built-in, read-only/ })).toBeVisible();
  await expect(lists.getByRole('row', { name: /default_deny built-in, read-only/ })).toContainText(tier.name);

  // New list: the name is checked with the domain schema as it is typed.
  await acls.getByRole('button', { name: 'New ACL list' }).click();
  const listDialog = page.getByRole('dialog', { name: 'New ACL list' });
  await listDialog.getByLabel('Name').fill('default_mine');
  await expect(listDialog.getByText('names starting with default_ are reserved')).toBeVisible();
  await listDialog.getByLabel('Name').fill('web-to-db');
  await listDialog.getByRole('button', { name: 'Create ACL list' }).click();
  await expect(listDialog).toBeHidden();
  const listRow = lists.getByRole('row', { name: /web-to-db/ });
  await expect(listRow).toContainText('no tier');
  await expect(acls.getByRole('heading', { level: 3, name: /Rules of web-to-db \(0\)/ })).toBeVisible();
  await expect(acls.getByText('No rule yet')).toBeVisible();

  // First rule: a CIDR with host bits set is refused under its field, before any request.
  await acls.getByRole('button', { name: 'Add rule' }).click();
  const ruleDialog = page.getByRole('dialog', { name: 'New rule in web-to-db' });
  await expect(ruleDialog.getByLabel('Number')).toHaveValue('10');
  await ruleDialog.getByLabel('Start port').fill('5432');
  await ruleDialog.getByLabel('End port').fill('5432');
  await ruleDialog.getByLabel('CIDRs').fill('10.0.1.5/24');
  await ruleDialog.getByRole('button', { name: 'Add rule' }).click();
  await expect(ruleDialog.getByLabel('CIDRs')).toHaveAccessibleDescription(/host bits must be zero/);
  await ruleDialog.getByLabel('CIDRs').fill(`10.${x}.1.0/24`);
  await ruleDialog.getByLabel('Description').fill('postgres from web');
  // axe on the open dialog, fields and hints included.
  expect(await seriousViolations(page)).toEqual([]);
  await ruleDialog.getByRole('button', { name: 'Add rule' }).click();
  await expect(ruleDialog).toBeHidden();

  // Second rule: deny ICMP from anywhere, numbered 20 by default.
  await acls.getByRole('button', { name: 'Add rule' }).click();
  await expect(ruleDialog.getByLabel('Number')).toHaveValue('20');
  await ruleDialog.getByLabel('Action').selectOption({ label: 'Deny' });
  await ruleDialog.getByLabel('Protocol').selectOption({ label: 'ICMP' });
  await ruleDialog.getByLabel('ICMP type').fill('8');
  await ruleDialog.getByRole('button', { name: 'Add rule' }).click();
  await expect(ruleDialog).toBeHidden();

  const rules = acls.getByRole('table', { name: 'Rules of ACL list web-to-db, in evaluation order' });
  const bodyRows = rules.locator('tbody tr');
  await expect(bodyRows).toHaveCount(2);
  await expect(bodyRows.nth(0)).toContainText('Allow');
  await expect(bodyRows.nth(0)).toContainText('port 5432');
  await expect(bodyRows.nth(0)).toContainText(`10.${x}.1.0/24`);
  await expect(bodyRows.nth(1)).toContainText('Deny');
  await expect(bodyRows.nth(1)).toContainText('type 8, any code');
  await expect(rules.getByRole('button', { name: 'Move rule 10 up' })).toBeDisabled();

  // Move the deny rule up: it takes number 10, the allow rule 20.
  await rules.getByRole('button', { name: 'Move rule 20 up' }).click();
  await expect(bodyRows.nth(0)).toContainText('Deny', APPLY_TIMEOUT);
  await expect(bodyRows.nth(0).locator('td').first()).toHaveText('10');
  await expect(bodyRows.nth(1)).toContainText('port 5432');
  await expect(bodyRows.nth(1).locator('td').first()).toHaveText('20');

  // Edit the allow rule: an inverted range is refused under its field, then a real range is saved.
  await rules.getByRole('button', { name: 'Edit rule 20' }).click();
  const editDialog = page.getByRole('dialog', { name: 'Edit rule 20 of web-to-db' });
  await expect(editDialog.getByLabel('Start port')).toHaveValue('5432');
  await editDialog.getByLabel('End port').fill('5000');
  await editDialog.getByRole('button', { name: 'Save rule' }).click();
  await expect(editDialog.getByLabel('End port')).toHaveAccessibleDescription(/inverted/);
  await editDialog.getByLabel('End port').fill('5433');
  await editDialog.getByRole('button', { name: 'Save rule' }).click();
  await expect(editDialog).toBeHidden();
  await expect(bodyRows.nth(1)).toContainText('ports 5432-5433');

  // Assign the list to the tier: applied by a job, the list Active and used by the tier.
  const assign = acls.getByLabel(`ACL list of tier ${tier.name}`);
  await expect(assign).toHaveValue(/ac02$/);
  await assign.selectOption({ label: 'web-to-db' });
  await acls.getByRole('button', { name: `Assign the ACL list to tier ${tier.name}` }).click();
  await expect(listRow).toContainText(tier.name, APPLY_TIMEOUT);
  await expect(listRow.getByText('Active', { exact: true })).toBeVisible(APPLY_TIMEOUT);
  await expect(lists.getByRole('row', { name: /default_deny/ })).not.toContainText(tier.name);
  // A list in use cannot be deleted.
  await expect(listRow.getByRole('button', { name: 'Delete ACL list web-to-db' })).toBeDisabled();

  await acls.screenshot({ path: test.info().outputPath('network-acls-section.png') });
  expect(await seriousViolations(page)).toEqual([]);
});
