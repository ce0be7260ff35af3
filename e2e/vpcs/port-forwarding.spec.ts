import { seriousViolations } from '../fixtures/axe';
import { clearFaults, injectFault } from '../fixtures/inventory';
import { section } from '../fixtures/pages';
import { createPortForwardingVpc } from '../fixtures/port-forwarding';
import { expect, test } from '../fixtures/test';

const RULE_TIMEOUT = { timeout: 60_000 };

test('port forwarding from an acquired address through a refusal, a failure and retry to deletion', async ({
  page,
  adminApi,
  loginAs,
}) => {
  test.setTimeout(120_000);
  const pf = await createPortForwardingVpc(adminApi, 2);
  const [vm1, vm2] = pf.nics;
  if (!vm1 || !vm2) throw new Error('two NICs expected');
  const nicLabel = (n: typeof vm1) => `${n.vmName} · ${n.ip} (tier ${pf.tier.name})`;

  await loginAs('viewer');
  await page.goto(`/vpcs/${pf.vpc.id}`);
  const forwards = section(page, /^Port forwarding/);
  await expect(forwards.getByText('No port forwarding yet')).toBeVisible();
  await expect(forwards.getByRole('button', { name: 'Add port forwarding' })).toHaveCount(0);

  await loginAs('operator');
  await page.goto(`/vpcs/${pf.vpc.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `${pf.vpc.name} Implemented` })).toBeVisible();
  await forwards.getByRole('button', { name: 'Add port forwarding' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add port forwarding' });
  await dialog.getByRole('button', { name: 'Acquire a new public IP' }).click();
  const address = dialog.getByLabel('Public IP');
  await expect(address).not.toHaveValue('');
  const ip = (await address.locator('option:checked').textContent())?.trim() ?? '';
  expect(ip).toMatch(/^198\.18\.\d+\.\d+$/);
  await dialog.getByLabel('NIC').selectOption({ label: nicLabel(vm1) });
  await dialog.getByLabel('Protocol').selectOption('tcp');
  await dialog.getByLabel('Public start port').fill('2222');
  await dialog.getByLabel('Public end port').fill('2224');
  await dialog.getByLabel('Private start port').fill('22');
  await dialog.getByLabel('Private end port').fill('23');
  await expect(dialog.getByText(/the private range has 2 port\(s\), the public range 3/)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByLabel('Private end port').fill('24');
  await expect(dialog.getByText(/the private range has/)).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Add port forwarding' }).click();
  await expect(dialog).toBeHidden();
  const sshRow = forwards.getByRole('row', { name: new RegExp(`${ip.replace(/\./g, '\\.')}:2222-2224/tcp`) });
  await expect(sshRow).toContainText(`${vm1.ip}:22-24`);
  await expect(sshRow.getByText('Active', { exact: true })).toBeVisible(RULE_TIMEOUT);

  // An overlapping range of the same address and protocol: refused by the server, under the field.
  await forwards.getByRole('button', { name: 'Add port forwarding' }).click();
  await dialog.getByLabel('Public IP').selectOption({ label: ip });
  await dialog.getByLabel('NIC').selectOption({ label: nicLabel(vm2) });
  await dialog.getByLabel('Public start port').fill('2224');
  await dialog.getByLabel('Private start port').fill('22');
  await dialog.getByRole('button', { name: 'Add port forwarding' }).click();
  await expect(dialog.getByText(/is already used by port forwarding/)).toBeVisible();

  // The controller refuses the next apply: the rule goes to Error with a diagnosis; a retry makes it Active.
  await injectFault(adminApi, pf.controllerId, {
    kind: 'vendorError',
    code: 'PF-TABLE-FULL',
    message: 'forwarding table is full',
    operation: 'apply',
    resource: 'pf',
    count: 1,
  });
  await dialog.getByLabel('Public start port').fill('8080');
  await dialog.getByLabel('Private start port').fill('80');
  await dialog.getByRole('button', { name: 'Add port forwarding' }).click();
  await expect(dialog).toBeHidden();
  const webRow = forwards.getByRole('row', { name: new RegExp(`${ip.replace(/\./g, '\\.')}:8080/tcp`) });
  await expect(webRow.getByText('Error', { exact: true })).toBeVisible(RULE_TIMEOUT);
  await expect(webRow.getByRole('link', { name: 'Diagnosis and fix' })).toBeVisible();
  await clearFaults(adminApi, pf.controllerId);
  await webRow.getByRole('button', { name: `Retry port forwarding ${ip}:8080/tcp` }).click();
  await expect(webRow.getByText('Active', { exact: true })).toBeVisible(RULE_TIMEOUT);

  // Delete after confirming: the row goes, the other stays.
  await sshRow.getByRole('button', { name: `Delete port forwarding ${ip}:2222-2224/tcp` }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete port forwarding?' });
  await expect(confirm).toContainText(`stops reaching ${vm1.vmName}`);
  await confirm.getByRole('button', { name: 'Delete port forwarding' }).click();
  await expect(sshRow).toHaveCount(0, RULE_TIMEOUT);
  await expect(webRow).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
