import { clearFaults, injectFault } from '../fixtures/inventory';
import { section } from '../fixtures/pages';
import { createEdgeVpc } from '../fixtures/public-services';
import { expect, test } from '../fixtures/test';

const RULE_TIMEOUT = { timeout: 60_000 };

test('static NAT and a load balancer from creation through a conflict and retry to deletion', async ({
  page,
  adminApi,
  loginAs,
}) => {
  test.setTimeout(120_000);
  const edge = await createEdgeVpc(adminApi, 3);
  const [vm1, vm2, vm3] = edge.nics;
  if (!vm1 || !vm2 || !vm3) throw new Error('three NICs expected');
  const nicLabel = (n: typeof vm1) => `${n.vmName} · ${n.ip} (tier ${edge.tier.name})`;

  await loginAs('operator');
  await page.goto(`/vpcs/${edge.vpc.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `${edge.vpc.name} Implemented` })).toBeVisible();
  const addresses = section(page, /^Public addresses/);
  const nat = section(page, /^Public IPs \(static NAT\)/);
  const lb = section(page, /^Load balancers/);
  await expect(nat.getByText('No public IP yet')).toBeVisible();
  await expect(lb.getByText('No load balancer yet')).toBeVisible();
  // The implement took the VPC's source-NAT address, the first of the zone's range.
  await expect(addresses.getByRole('row', { name: /203\.0\.113\.10/ })).toContainText(
    'Source NAT of the VPC',
  );

  // Static NAT: the source-NAT address is never offered, so the dialog offers to acquire one and picks it.
  await nat.getByRole('button', { name: 'Enable static NAT' }).click();
  const natDialog = page.getByRole('dialog', { name: 'Enable static NAT' });
  await natDialog.getByLabel('NIC').selectOption({ label: nicLabel(vm1) });
  await expect(natDialog.getByLabel('Public IP')).toContainText('No free address of the VPC');
  await natDialog.getByRole('button', { name: 'Acquire a new address' }).click();
  await expect(natDialog.getByLabel('Public IP').locator('option:checked')).toHaveText('203.0.113.11');
  await natDialog.getByRole('button', { name: 'Enable static NAT' }).click();
  await expect(natDialog).toBeHidden();
  const natRow = nat.getByRole('row', { name: /203\.0\.113\.11/ });
  await expect(natRow).toContainText(vm1.vmName);
  await expect(natRow).toContainText(vm1.ip);
  await expect(natRow.getByText('Active', { exact: true })).toBeVisible(RULE_TIMEOUT);
  await expect(addresses.getByRole('row', { name: /203\.0\.113\.11/ })).toContainText(
    `static NAT 203.0.113.11 → ${vm1.ip}`,
  );

  // An address for the load balancer, from the addresses section.
  await addresses.getByRole('button', { name: 'Acquire a new address' }).click();
  await expect(addresses.getByRole('row', { name: /203\.0\.113\.12/ })).toContainText('Free');

  // Load balancer over two members: protocols and algorithms are the provider's, the fan-out is drawn.
  await lb.getByRole('button', { name: 'New load balancer' }).click();
  const lbDialog = page.getByRole('dialog', { name: 'New load balancer' });
  await lbDialog.getByLabel('Name').fill('Web LB');
  await expect(lbDialog.getByText('lower-case letters, digits and inner dashes only')).toBeVisible();
  await lbDialog.getByLabel('Name').fill('web-lb');
  // The static NAT's address is not offered; the source-NAT one and the new one are.
  await expect(lbDialog.getByLabel('Public IP').locator('option')).toHaveText([
    'Choose an address of the VPC',
    '203.0.113.10 (source NAT)',
    '203.0.113.12',
  ]);
  await lbDialog.getByLabel('Public IP').selectOption({ label: '203.0.113.12' });
  await expect(lbDialog.getByLabel('Algorithm').locator('option')).toHaveText([
    'Round robin',
    'Least connections',
    'Source IP hash (sticky)',
  ]);
  await lbDialog.getByLabel('Algorithm').selectOption({ label: 'Least connections' });
  await lbDialog.getByRole('checkbox', { name: new RegExp(`^${vm1.vmName} `) }).check();
  await lbDialog.getByRole('checkbox', { name: new RegExp(`^${vm2.vmName} `) }).check();
  await expect(lbDialog.getByRole('img', { name: /balanced over 2 members on port 8080/ })).toBeVisible();
  await lbDialog.getByRole('button', { name: 'Create load balancer' }).click();
  await expect(lbDialog).toBeHidden();
  const lbRow = lb.getByRole('row', { name: /web-lb/ });
  await expect(lbRow).toContainText('203.0.113.12:80');
  await expect(lbRow.getByText('Active', { exact: true })).toBeVisible(RULE_TIMEOUT);
  await expect(lbRow).toContainText(vm1.vmName);
  await expect(lbRow).toContainText(vm2.vmName);

  // Members change: vm1 leaves, vm3 joins.
  await lbRow.getByRole('button', { name: 'Edit members of web-lb' }).click();
  const members = page.getByRole('dialog', { name: 'Members of web-lb' });
  await members.getByRole('checkbox', { name: new RegExp(`^${vm1.vmName} `) }).uncheck();
  await members.getByRole('checkbox', { name: new RegExp(`^${vm3.vmName} `) }).check();
  await members.getByRole('button', { name: 'Save members' }).click();
  await expect(members).toBeHidden();
  await expect(lbRow).toContainText(vm3.vmName, RULE_TIMEOUT);
  await expect(lbRow).not.toContainText(vm1.vmName);
  await expect(lbRow.getByText('Active', { exact: true })).toBeVisible(RULE_TIMEOUT);

  // Someone else takes the VIP on the controller: the next apply fails, with the diagnosis on the page.
  await injectFault(adminApi, edge.inv.controllerId, {
    kind: 'foreignOwner',
    owner: 'legacy-lb',
    operation: 'apply',
    resource: 'lb',
  });
  await lbRow.getByRole('button', { name: 'Edit members of web-lb' }).click();
  await members.getByRole('checkbox', { name: new RegExp(`^${vm1.vmName} `) }).check();
  await members.getByRole('button', { name: 'Save members' }).click();
  await expect(lbRow.getByText('Error', { exact: true })).toBeVisible(RULE_TIMEOUT);
  await expect(lbRow.getByRole('link', { name: 'Diagnosis and fix' })).toBeVisible();
  const diagnosis = lb.getByRole('article');
  await expect(diagnosis).toContainText('RESOURCE_CONFLICT', RULE_TIMEOUT);
  await expect(diagnosis).toContainText('legacy-lb');
  await expect(diagnosis.getByText('Remediation:')).toBeVisible();
  // The failed call is in the call log with its phase.
  await expect(page.getByRole('table', { name: 'Failed element calls' })).toContainText('apply LB rule');

  // The link lands on that one diagnosis.
  await lbRow.getByRole('link', { name: 'Diagnosis and fix' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Diagnostics' })).toBeVisible();
  await expect(page.getByText('Showing the diagnosis of one resource.')).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(1);
  await expect(page.getByRole('article')).toContainText('legacy-lb');
  await page.goBack();

  // The foreign system gives the VIP up; retry applies the rule again with the new members.
  await clearFaults(adminApi, edge.inv.controllerId);
  await lbRow.getByRole('button', { name: 'Retry load balancer web-lb' }).click();
  await expect(lbRow.getByText('Active', { exact: true })).toBeVisible(RULE_TIMEOUT);
  await expect(lbRow).toContainText(vm1.vmName);
  await expect(lb.getByRole('article')).toHaveCount(0);

  // Delete and disable, each confirmed first.
  await lbRow.getByRole('button', { name: 'Delete load balancer web-lb' }).click();
  const confirmDelete = page.getByRole('dialog', { name: 'Delete load balancer?' });
  await expect(confirmDelete).toContainText('203.0.113.12:80/tcp');
  await confirmDelete.getByRole('button', { name: 'Delete load balancer' }).click();
  await expect(lb.getByText('No load balancer yet')).toBeVisible(RULE_TIMEOUT);

  await natRow.getByRole('button', { name: 'Disable static NAT 203.0.113.11' }).click();
  await page
    .getByRole('dialog', { name: 'Disable static NAT?' })
    .getByRole('button', { name: 'Disable static NAT' })
    .click();
  await expect(nat.getByText('No public IP yet')).toBeVisible(RULE_TIMEOUT);

  // The address no rule uses any more goes back to the zone, confirmed first.
  const freed = addresses.getByRole('row', { name: /203\.0\.113\.11/ });
  await expect(freed).toContainText('Free', RULE_TIMEOUT);
  await freed.getByRole('button', { name: 'Release 203.0.113.11' }).click();
  await page
    .getByRole('dialog', { name: 'Release this address?' })
    .getByRole('button', { name: 'Release address' })
    .click();
  await expect(freed).toHaveCount(0);
});

test('a tier whose offering has no StaticNat or Lb says so instead of offering the actions', async ({
  page,
  showcase,
  signInAs,
}) => {
  await signInAs('operator');
  await page.goto(`/vpcs/${showcase.healthy.id}`);
  await expect(page.getByRole('heading', { level: 1, name: /Implemented$/ })).toBeVisible();
  const nat = section(page, /^Public IPs \(static NAT\)/);
  await expect(nat.getByText('Static NAT is not offered here')).toBeVisible();
  await expect(nat).toContainText(/offering tier-offering-\S+ has no StaticNat service/);
  await expect(nat.getByRole('button', { name: 'Enable static NAT' })).toHaveCount(0);
  const lb = section(page, /^Load balancers/);
  await expect(lb).toContainText(/has no Lb service/);
  await expect(lb.getByRole('button', { name: 'New load balancer' })).toHaveCount(0);
});
