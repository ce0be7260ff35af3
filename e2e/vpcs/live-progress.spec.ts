// Job progress is pushed to the VPC page over the jobs.watch stream (SSE) while the job runs, not only polled.
import { createInventory, setSimulatorProfile } from '../fixtures/inventory';
import { createVpc } from '../fixtures/lifecycle';
import { expect, test } from '../fixtures/test';

test('a running implement streams its job to the VPC page until the tier is Implemented', async ({
  page,
  adminApi,
  loginAs,
}) => {
  // Slow calls (3 s, under a 20 s timeout) keep the job running long enough for the page to connect and watch it.
  const inv = await createInventory(adminApi, { timeoutMs: 20_000 });
  const { vpc, tiers } = await createVpc(adminApi, inv, 1);
  const tier = tiers[0];
  if (!tier) throw new Error('one tier expected');
  await setSimulatorProfile(adminApi, inv.controllerId, { latencyMs: 3_000 });
  const streams: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/trpc/jobs.watch')) streams.push(r.url());
  });

  await loginAs('operator');
  await page.goto(`/vpcs/${vpc.id}`);
  await page.getByRole('button', { name: 'Implement' }).click();
  await expect(page.getByRole('heading', { name: 'Recent jobs (live)' })).toBeVisible();
  await expect(page.getByRole('heading', { name: `${tier.name} Implemented` })).toBeVisible({
    timeout: 45_000,
  });
  expect(streams.length).toBeGreaterThan(0);
  // Once nothing runs, nothing is streamed.
  await expect(page.getByRole('heading', { name: 'Recent jobs', exact: true })).toBeVisible();
});
