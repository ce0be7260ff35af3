// A VPC that carries traffic, built from the console alone on the simulator (issue 11's journey): an admin adds a
// public IP range to the zone, creates a VPC with tiers web and db (both on default_deny, as a new tier is), prepares
// NICs, lets web reach db on tcp/5432 with an ACL list, acquires a public address and forwards tcp/443 to a web NIC,
// and balances tcp/80 of the same address over the web NICs. Each step's outcome is read from the page (rows Active,
// tiers on their lists, the range's usage); axe finds nothing serious; the new sections are photographed.
import type { Locator } from '@playwright/test';
import { seriousViolations } from '../fixtures/axe';
import { createInventory, uniqueName } from '../fixtures/inventory';
import { section } from '../fixtures/pages';
import { expect, test } from '../fixtures/test';

const JOB = { timeout: 30_000 };

/** Picks the option whose text matches: labels carry details (IPs, provider names) the journey need not spell out. */
async function selectMatching(select: Locator, text: RegExp): Promise<void> {
  const option = select.locator('option').filter({ hasText: text });
  await expect(option).toHaveCount(1);
  await select.selectOption({ label: (await option.textContent())?.trim() ?? '' });
}

const TIER_SERVICES = {
  Dhcp: 'simulator',
  Connectivity: 'simulator',
  SourceNat: 'simulator',
  StaticNat: 'simulator',
  Lb: 'simulator',
  PortForwarding: 'simulator',
  NetworkACL: 'simulator',
} as const;

test('a public IP range, a VPC web+db on default_deny, an ACL rule for tcp/5432, port forwarding and a load balancer', async ({
  page,
  adminApi,
  loginAs,
}) => {
  test.setTimeout(180_000);
  // The inventory up to the controller comes from the API (its forms have their own journey); the zone has Public
  // traffic but no range yet: the admin adds it below.
  const inv = await createInventory(adminApi, { publicServices: true, publicRange: false });
  const names = { vpcOffering: uniqueName('vpc-off'), tierOffering: uniqueName('edge-acl-off'), vpc: 'shop' };
  await adminApi.mutate('offerings.create', {
    name: names.vpcOffering,
    kind: 'vpc',
    serviceProviders: { Dhcp: 'simulator', SourceNat: 'simulator', Connectivity: 'simulator' },
    tags: ['e2e'],
  });
  await adminApi.mutate('offerings.create', {
    name: names.tierOffering,
    kind: 'network',
    serviceProviders: TIER_SERVICES,
    tags: ['e2e'],
  });
  const x = 150 + (process.pid % 90);
  const cidrs = { vpc: `10.${x}.0.0/16`, web: `10.${x}.1.0/24`, db: `10.${x}.2.0/24` };
  const tierCard = (name: string) =>
    page
      .locator('section')
      .filter({ has: page.locator(':scope > div > h2', { hasText: new RegExp(`^${name} `) }) });
  const tierHeading = (name: string, state: string) =>
    page.getByRole('heading', { level: 2, name: new RegExp(`^${name} ${state}\\b`) });

  await loginAs('admin');

  await test.step('the admin adds a public IP range to the zone', async () => {
    await page.goto(`/infrastructure?zone=${inv.zoneId}`);
    const ranges = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'Public IP ranges' }) });
    await expect(ranges.getByText('No public IP ranges in this zone')).toBeVisible();
    await ranges.getByRole('button', { name: 'Add public IP range' }).click();
    const d = page.getByRole('dialog', { name: 'New public IP range' });
    await d.getByLabel('CIDR').fill('198.51.100.0/24');
    await d.getByLabel('Gateway').fill('198.51.100.1');
    await d.getByLabel('First address (optional)').fill('198.51.100.10');
    await d.getByLabel('Last address (optional)').fill('198.51.100.29');
    expect(await seriousViolations(page)).toEqual([]);
    await d.getByRole('button', { name: 'Add range' }).click();
    await expect(d).toBeHidden();
    await expect(ranges.getByRole('list', { name: 'Public IP ranges' })).toContainText('198.51.100.0/24');
    await expect(ranges).toContainText('0 / 20 used');
  });

  await test.step('a VPC with tiers web and db, implemented, with NICs', async () => {
    await page.goto('/vpcs');
    await page.getByRole('button', { name: 'New VPC' }).click();
    const d = page.getByRole('dialog', { name: 'New VPC' });
    await d.getByLabel('Name', { exact: true }).fill(names.vpc);
    await d.getByLabel('Zone').selectOption({ label: inv.zoneName });
    await d.getByLabel('VPC offering').selectOption({ label: names.vpcOffering });
    await d.getByLabel('CIDR').fill(cidrs.vpc);
    await d.getByRole('button', { name: 'Create VPC' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `${names.vpc} Allocated` })).toBeVisible();
    for (const name of ['web', 'db'] as const) {
      await page.getByRole('button', { name: 'Add tier' }).click();
      const form = page.locator('section').filter({ has: page.getByRole('heading', { name: 'New tier' }) });
      await form.getByLabel('Name', { exact: true }).fill(name);
      await form.getByLabel('Network offering').selectOption({ label: names.tierOffering });
      await form.getByLabel('CIDR').fill(cidrs[name]);
      await form.getByRole('button', { name: 'Create tier' }).click();
      await expect(tierHeading(name, 'Allocated')).toBeVisible();
    }
    for (const name of ['web', 'db'] as const) {
      await tierCard(name).getByRole('button', { name: 'Implement' }).click();
      await expect(tierHeading(name, 'Implemented')).toBeVisible(JOB);
    }
    await expect(page.getByRole('heading', { level: 1, name: `${names.vpc} Implemented` })).toBeVisible();
    for (const [name, count] of [
      ['web', 2],
      ['db', 1],
    ] as const) {
      const form = page.getByRole('form', { name: `Prepare NICs on ${name}` });
      await form.getByLabel('How many').fill(String(count));
      await form.getByLabel('VM name prefix').fill(name);
      await form.getByRole('button', { name: 'Prepare NICs' }).click();
      await expect(tierCard(name).getByRole('heading', { name: `NICs (${count})` })).toBeVisible(JOB);
      await expect(tierCard(name).getByRole('cell', { name: 'Reserved' })).toHaveCount(count, JOB);
    }
  });

  const acls = section(page, /^Network ACLs/);
  const lists = acls.getByRole('table', { name: `Network ACL lists of ${names.vpc}` });

  await test.step('both tiers start on default_deny; a list lets web reach db on tcp/5432', async () => {
    const deny = lists.getByRole('row', { name: /default_deny built-in, read-only/ });
    await expect(deny).toContainText('web');
    await expect(deny).toContainText('db');
    await acls.getByRole('button', { name: 'New ACL list' }).click();
    const listDialog = page.getByRole('dialog', { name: 'New ACL list' });
    await listDialog.getByLabel('Name').fill('web-to-db');
    await listDialog.getByRole('button', { name: 'Create ACL list' }).click();
    await expect(listDialog).toBeHidden();
    await acls.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.getByRole('dialog', { name: 'New rule in web-to-db' });
    await rule.getByLabel('Start port').fill('5432');
    await rule.getByLabel('End port').fill('5432');
    await rule.getByLabel('CIDRs').fill(cidrs.web);
    await rule.getByLabel('Description').fill('postgres from web');
    await rule.getByRole('button', { name: 'Add rule' }).click();
    await expect(rule).toBeHidden();
    const rules = acls.getByRole('table', { name: 'Rules of ACL list web-to-db, in evaluation order' });
    await expect(rules.locator('tbody tr')).toHaveCount(1);
    await expect(rules.locator('tbody tr').first()).toContainText('port 5432');
    await acls.getByLabel('ACL list of tier db').selectOption({ label: 'web-to-db' });
    await acls.getByRole('button', { name: 'Assign the ACL list to tier db' }).click();
    const listRow = lists.getByRole('row', { name: /web-to-db/ });
    await expect(listRow).toContainText('db', JOB);
    await expect(listRow.getByText('Active', { exact: true })).toBeVisible(JOB);
    await expect(deny).toContainText('web');
    await expect(deny).not.toContainText('db');
    await acls.screenshot({ path: test.info().outputPath('journey-network-acls.png') });
  });

  const addresses = section(page, /^Public addresses/);
  let address = '';

  await test.step('a public address acquired and tcp/443 forwarded to web-1', async () => {
    // The implement took the VPC's source-NAT address, the range's first.
    await expect(addresses.getByRole('row', { name: /198\.51\.100\.10\b/ })).toContainText(
      'Source NAT of the VPC',
    );
    await addresses.getByRole('button', { name: 'Acquire a new address' }).click();
    address = '198.51.100.11';
    await expect(addresses.getByRole('row', { name: /198\.51\.100\.11\b/ })).toContainText('Free');

    const forwards = section(page, /^Port forwarding/);
    await expect(forwards.getByText('No port forwarding yet')).toBeVisible();
    await forwards.getByRole('button', { name: 'Add port forwarding' }).click();
    const d = page.getByRole('dialog', { name: 'Add port forwarding' });
    await selectMatching(d.getByLabel('Public IP'), new RegExp(`^${address.replaceAll('.', '\\.')}\\b`));
    await selectMatching(d.getByLabel('NIC'), /^web-1 /);
    await d.getByLabel('Protocol').selectOption('tcp');
    await d.getByLabel('Public start port').fill('443');
    await d.getByLabel('Public end port').fill('443');
    await d.getByLabel('Private start port').fill('443');
    await d.getByLabel('Private end port').fill('443');
    expect(await seriousViolations(page)).toEqual([]);
    await d.getByRole('button', { name: 'Add port forwarding' }).click();
    await expect(d).toBeHidden();
    const row = forwards.getByRole('row', { name: new RegExp(`${address.replaceAll('.', '\\.')}:443`) });
    await expect(row).toContainText('web-1');
    await expect(row.getByText('Active', { exact: true })).toBeVisible(JOB);
    await forwards.screenshot({ path: test.info().outputPath('journey-port-forwarding.png') });
  });

  await test.step('a load balancer on tcp/80 of the same address over both web NICs', async () => {
    const lb = section(page, /^Load balancers/);
    await lb.getByRole('button', { name: 'New load balancer' }).click();
    const d = page.getByRole('dialog', { name: 'New load balancer' });
    await selectMatching(d.getByLabel('Tier'), /^web /);
    await d.getByLabel('Name').fill('web-lb');
    // The address is offered, saying what it already carries (the options refresh every 5 s).
    const offered = d.getByLabel('Public IP').locator('option').filter({ hasText: address });
    await expect(offered).toContainText('shared with port forwarding');
    await selectMatching(d.getByLabel('Public IP'), new RegExp(`^${address.replaceAll('.', '\\.')} `));
    await d.getByRole('checkbox', { name: /^web-1 / }).check();
    await d.getByRole('checkbox', { name: /^web-2 / }).check();
    await expect(d.getByRole('img', { name: /balanced over 2 members/ })).toBeVisible();
    await d.getByRole('button', { name: 'Create load balancer' }).click();
    await expect(d).toBeHidden();
    const row = lb.getByRole('row', { name: /web-lb/ });
    await expect(row).toContainText(`${address}:80`);
    await expect(row.getByText('Active', { exact: true })).toBeVisible(JOB);
    // The address now carries both rules.
    const used = addresses.getByRole('row', { name: new RegExp(`${address.replaceAll('.', '\\.')}\\b`) });
    await expect(used).toContainText('web-lb');
    await expect(used).toContainText('443');
    await lb.screenshot({ path: test.info().outputPath('journey-load-balancer.png') });
    // The whole VPC page (a section's own shot would sit under the sticky top bar).
    await page.screenshot({ path: test.info().outputPath('journey-vpc-page.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step("the zone's range bar counts the two addresses", async () => {
    await page.goto(`/infrastructure?zone=${inv.zoneId}`);
    const ranges = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'Public IP ranges' }) });
    await expect(ranges).toContainText('2 / 20 used');
    await ranges.screenshot({ path: test.info().outputPath('journey-public-ip-ranges.png') });
  });
});
