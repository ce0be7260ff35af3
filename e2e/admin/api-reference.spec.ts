// The API reference page: reached from the sidebar, it renders /api/openapi.json as tags → operations; the filter
// narrows them, an operation opens onto its parameters, body and response schemas and a curl example, and the
// example's verb and path answer over REST with a token (the test's own HTTP client, no cookie). axe checks the page
// with an operation open.
import { request } from '@playwright/test';
import { seriousViolations } from '../fixtures/axe';
import { expect, test } from '../fixtures/test';

test('the API reference lists the REST operations and its curl example works with a token', async ({
  page,
  server,
  signInAs,
  pageApi,
}) => {
  await signInAs('admin');
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'API reference' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible();
  const main = page.getByRole('main');
  for (const tag of ['Zones', 'VPCs', 'Tiers', 'NICs', 'Jobs']) {
    await expect(main.getByRole('heading', { name: tag, exact: true })).toBeVisible();
  }

  await main.getByLabel('Filter operations').fill('implement');
  const op = main.locator('details', { hasText: '/tiers/{id}/implement' });
  await expect(op).toHaveCount(1);
  await expect(main.getByRole('heading', { name: 'Zones', exact: true })).toHaveCount(0);
  await op.locator('summary').click();
  await expect(op.getByText('Needs a token')).toBeVisible();
  await expect(op.locator('pre')).toContainText('curl -X POST');
  await expect(op.locator('pre')).toContainText('/api/v1/tiers/$ID/implement');
  expect(await seriousViolations(page)).toEqual([]);

  await main.getByLabel('Filter operations').fill('GET /zones');
  const zones = main.locator('details', { hasText: 'List zones' });
  await zones.locator('summary').click();
  await expect(zones.locator('pre')).toContainText(`curl -X GET "${server.baseURL}/api/v1/zones"`);

  // The example run by a script: a token made through the page's own session, then only an Authorization header.
  const api = await pageApi();
  const { token } = await api.mutate<{ token: string }>('tokens.create', {
    name: 'reference',
    role: 'viewer',
    expiresInDays: 1,
  });
  const script = await request.newContext({
    baseURL: server.baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  try {
    const zonesList = await script.get('/api/v1/zones');
    expect(zonesList.status()).toBe(200);
    expect(Array.isArray(await zonesList.json())).toBe(true);
    const write = await script.post('/api/v1/zones', { data: { name: 'from-the-reference' } });
    expect(write.status()).toBe(403);
    expect(await write.json()).toMatchObject({ code: 'FORBIDDEN' });
  } finally {
    await script.dispose();
  }
});
