// Support journey: a controller that throttles (HTTP 429 with Retry-After). The engine honours Retry-After and the
// simulator's token bucket refills, so a throttled implement recovers by itself: support sees the 429s in the call
// log and on the Simulator page, and no diagnosis is opened. (A RATE_LIMITED *diagnosis* needs 429s past every
// attempt; the simulator has no scripted "429 for the next N calls" fault to provoke that deterministically.)
import { createInventory, setSimulatorProfile } from '../fixtures/inventory';
import { createVpc } from '../fixtures/lifecycle';
import { expect, test } from '../fixtures/test';

test('a throttling controller is answered with back-off: the 429s show in the call log and the VPC still implements', async ({
  page,
  adminApi,
  loginAs,
}) => {
  const inv = await createInventory(adminApi);
  const { vpc, tiers } = await createVpc(adminApi, inv, 1);
  const tier = tiers[0];
  if (!tier) throw new Error('no tier');
  // One call per ~3 s with a bucket of one: the tier's second call is refused with Retry-After.
  await setSimulatorProfile(adminApi, inv.controllerId, { rateLimitPerSecond: 0.3, burst: 1 });

  await loginAs('operator');
  await page.goto(`/vpcs/${vpc.id}`);
  await page.getByRole('button', { name: 'Implement' }).click();
  await expect(page.getByRole('heading', { name: `${tier.name} Implemented` })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('heading', { level: 1, name: `${vpc.name} Implemented` })).toBeVisible();
  const failedCalls = page.getByRole('table', { name: 'Failed element calls' });
  await expect(failedCalls.getByText('RATE_LIMITED').first()).toBeVisible({ timeout: 15_000 });
  await expect(failedCalls.getByText('[HTTP_429]').first()).toBeVisible();

  // Nothing to triage: the throttling was absorbed, so the VPC has no open diagnosis.
  await page.goto('/diagnostics');
  await expect(page.getByRole('heading', { level: 1, name: 'Diagnostics' })).toBeVisible();
  await expect(page.locator(`article a[href="/vpcs/${vpc.id}"]`)).toHaveCount(0);

  // The Simulator page counts the refused calls.
  await page.goto(`/simulator?controller=${inv.controllerId}`);
  const refused = page
    .getByText('Rate-limited / rejected', { exact: true })
    .locator('xpath=following-sibling::*[1]');
  await expect(refused).toHaveText(/^[1-9]\d*$/);
});
