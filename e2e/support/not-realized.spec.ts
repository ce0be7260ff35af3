// Support journey: a controller that accepts a change and never puts it into effect (the simulator's `unrealized`
// fault). The implement succeeds, Ready and (after reconcile) Synced are True, and Realized is False: the dashboard counts the VPC as
// "Implemented and Synced but not Realized" and links to the filtered list, the VPC shows the Realized pill with its
// reason, and the diagnostics page has a NOT_REALIZED card with the part off and the remediation. Clearing the fault
// and reconciling realizes it.
import { clearFaults, createInventory, injectFault } from '../fixtures/inventory';
import { createVpc, implementTier, type Tier, waitForJob } from '../fixtures/lifecycle';
import { openDiagnosis } from '../fixtures/support';
import { expect, test } from '../fixtures/test';

test('a change the controller never realizes is counted on the dashboard, shown on the VPC and diagnosed, and reconcile after the fix realizes it', async ({
  page,
  adminApi,
  loginAs,
}) => {
  const inv = await createInventory(adminApi);
  const { vpc, tiers } = await createVpc(adminApi, inv, 1);
  const tier = tiers[0] as Tier;
  await injectFault(adminApi, inv.controllerId, {
    kind: 'unrealized',
    reason: 'NotCompiled',
    operation: 'implement',
  });
  expect(await implementTier(adminApi, tier.id, 45_000)).toBe('succeeded');
  // The VPC's own Synced comes from reconcile (as the scheduled one would run): in sync, and still not realized.
  const reconcile = async () => {
    const { jobId } = await adminApi.mutate<{ jobId: string }>('vpcs.reconcile', { id: vpc.id });
    expect(await waitForJob(adminApi, jobId)).toBe('succeeded');
  };
  await reconcile();

  await loginAs('support');
  await page.goto('/');
  const count = page.getByRole('link', { name: /VPCs? Implemented and Synced but not Realized/ });
  await expect(count).toBeVisible();
  await count.click();
  await expect(page).toHaveURL(/condition=Ready%3ATrue%2CSynced%3ATrue%2CRealized%3AFalse/);
  await expect(page.getByRole('link', { name: vpc.name, exact: true })).toBeVisible();

  await page.goto(`/vpcs/${vpc.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `${vpc.name} Implemented` })).toBeVisible();
  await expect(page.getByText('Synced but not Realized').first()).toBeVisible();
  await expect(page.getByText(/Realized: false/).first()).toBeAttached();
  await expect(page.getByText('· NotCompiled').first()).toBeVisible();

  const card = await openDiagnosis(page, vpc.id, 'Not realized');
  await expect(card.getByText('NOT_REALIZED', { exact: true })).toBeVisible();
  await expect(card.getByRole('list', { name: 'Parts not realized' })).toContainText(tier.name);
  await expect(card).toContainText('reconcile the VPC');

  await clearFaults(adminApi, inv.controllerId);
  await reconcile();
  await page.goto(`/vpcs/${vpc.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `${vpc.name} Implemented` })).toBeVisible();
  await expect(page.getByText('Synced but not Realized')).toHaveCount(0);
});
