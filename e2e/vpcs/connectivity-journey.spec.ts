// Issue 12's journey on the simulator: a support engineer (the operator role: running a check and editing an ACL are
// an operator's) opens a VPC where web cannot reach db on tcp/5432, runs "Check connectivity" web-1 → db-1 tcp/5432,
// sees it dropped at db's ingress ACL with the deny rule named and linked, follows the link to the rule in the ACL
// editor, edits it to allow, runs the check again and sees it delivered. The reachability matrix says the same, and
// axe finds nothing serious on the dialog and the matrix. Screenshots go to the test's output (and SHOTS_DIR if set).
import type { Locator, Page } from '@playwright/test';
import { seriousViolations } from '../fixtures/axe';
import { createAclTierOffering, createInventory, injectFault, uniqueName } from '../fixtures/inventory';
import { createVpc, implementTier, type Tier, type Vpc, waitForJob } from '../fixtures/lifecycle';
import { section } from '../fixtures/pages';
import { expect, test } from '../fixtures/test';

const JOB = { timeout: 30_000 };

async function shot(target: Page | Locator, name: string): Promise<void> {
  await target.screenshot({ path: test.info().outputPath(`${name}.png`) });
  if (process.env.SHOTS_DIR) await target.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png` });
}

test('web cannot reach db on tcp/5432: the check names the deny rule, the rule is edited, the check delivers', async ({
  page,
  adminApi,
  loginAs,
}) => {
  test.setTimeout(180_000);
  const inv = await createInventory(adminApi);
  const offering = await createAclTierOffering(adminApi, 'acl-tier');
  const x = 20 + (process.pid % 120);
  const cidrs = { vpc: `10.${x}.0.0/16`, web: `10.${x}.1.0/24`, db: `10.${x}.2.0/24` };
  const vpc = await adminApi.mutate<Vpc>('vpcs.create', {
    name: uniqueName('shop'),
    zoneId: inv.zoneId,
    offeringId: inv.vpcOfferingId,
    cidr: cidrs.vpc,
  });
  const tiers: Record<'web' | 'db', Tier> = {
    web: await adminApi.mutate<Tier>('tiers.create', {
      vpcId: vpc.id,
      name: 'web',
      offeringId: offering.id,
      cidr: cidrs.web,
    }),
    db: await adminApi.mutate<Tier>('tiers.create', {
      vpcId: vpc.id,
      name: 'db',
      offeringId: offering.id,
      cidr: cidrs.db,
    }),
  };
  for (const t of Object.values(tiers)) expect(await implementTier(adminApi, t.id)).toBe('succeeded');
  for (const [name, t] of Object.entries(tiers)) {
    const r = await adminApi.mutate<{ jobId: string }>('nics.prepareBulk', {
      tierId: t.id,
      nics: [{ vmName: `${name}-1` }],
    });
    expect(await waitForJob(adminApi, r.jobId)).toBe('succeeded');
  }
  // db's list: rule 10 denies postgres from web, rule 20 lets the rest of the VPC in; web's list lets everything out
  // and in, so only db's ingress decides the journey's flow.
  const rule = (number: number, action: 'allow' | 'deny', over: Record<string, unknown>) => ({
    number,
    action,
    protocol: 'tcp',
    trafficType: 'Ingress',
    portStart: null,
    portEnd: null,
    icmpType: null,
    icmpCode: null,
    cidrs: [cidrs.vpc],
    description: '',
    ...over,
  });
  const dbList = await adminApi.mutate<{ id: string }>('networkAcls.create', {
    vpcId: vpc.id,
    name: 'db-acl',
    rules: [
      rule(10, 'deny', {
        portStart: 5432,
        portEnd: 5432,
        cidrs: [cidrs.web],
        description: 'no postgres from web',
      }),
      rule(20, 'allow', { protocol: 'all' }),
    ],
  });
  const lists = await adminApi.query<{ items: { id: string; name: string }[] }>('networkAcls.list', {
    vpcId: vpc.id,
    limit: 200,
  });
  const allow = lists.items.find((l) => l.name === 'default_allow');
  for (const [t, listId] of [
    [tiers.db, dbList.id],
    [tiers.web, allow?.id ?? ''],
  ] as const) {
    const { jobId } = await adminApi.mutate<{ jobId: string | null }>('networkAcls.assign', {
      tierId: t.id,
      listId,
    });
    if (jobId) expect(await waitForJob(adminApi, jobId)).toBe('succeeded');
  }

  await loginAs('operator');
  await page.goto(`/vpcs/${vpc.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `${vpc.name} Implemented` })).toBeVisible();
  const connectivity = section(page, /^Connectivity/);
  const dialog = page.getByRole('dialog', { name: `Check connectivity in ${vpc.name}` });
  const result = dialog.getByRole('region', { name: 'Result of the check' });

  await test.step('the check web-1 → db-1 tcp/5432 is dropped at db’s ingress ACL by rule 10', async () => {
    await connectivity.getByRole('button', { name: 'Check connectivity' }).click();
    await expect(dialog).toBeVisible();
    await pickNic(dialog.getByLabel('Source'), /^web-1 · /);
    await pickNic(dialog.getByLabel('Destination'), /^db-1 · /);
    await dialog.getByLabel('Protocol').selectOption('tcp');
    await dialog.getByLabel('Port').fill('5432');
    await dialog.getByRole('button', { name: 'Run the check' }).click();
    await expect(result.getByRole('status')).toContainText('Dropped', JOB);
    await expect(result.getByRole('img', { name: /^Dropped at ACL ingress on db\./ })).toBeVisible();
    const hops = result.getByRole('list', { name: 'Hops of the path, in order' });
    await expect(hops.getByRole('listitem').filter({ hasText: '✗ denied here' })).toHaveCount(1);
    await expect(hops).toContainText('10');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(dialog, 'connectivity-dropped');
  });

  await test.step('the reachability matrix on tcp/5432: web → db denied by rule 10 of db-acl', async () => {
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await connectivity.getByLabel('Custom flow').fill('tcp/5432');
    await connectivity.getByRole('button', { name: 'Add flow' }).click();
    await connectivity.getByRole('button', { name: 'Compute the matrix' }).click();
    const grid = connectivity.getByRole('table', { name: /on tcp\/5432: rows are sources/ });
    const webRow = grid.getByRole('row', { name: /^web/ });
    await expect(webRow.getByRole('cell').nth(1)).toContainText('Denied', JOB);
    await expect(webRow.getByRole('link', { name: /web to db: Denied, by rule 10 of db-acl/ })).toBeVisible();
    await expect(grid.getByRole('rowheader', { name: /Outside/ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(connectivity, 'connectivity-matrix-before');
    // Back to the check's answer for its link (the recorded check reopens with Show).
    await connectivity
      .getByRole('list', { name: `Recent connectivity checks of ${vpc.name}` })
      .getByRole('button', { name: /^Show the check/ })
      .click();
  });

  await test.step('the link leads to rule 10 in the ACL editor, where it is edited to allow', async () => {
    const shown = page.getByRole('dialog', { name: /^Check web-1 .* → db-1 .* · tcp\/5432$/ });
    await shown.getByRole('link', { name: 'Open rule 10 in the ACL editor' }).first().click();
    await expect(shown).toBeHidden();
    await expect(page).toHaveURL(/acl=.*rule=/);
    const acls = section(page, /^Network ACLs/);
    const rules = acls.getByRole('table', { name: 'Rules of ACL list db-acl, in evaluation order' });
    await expect(rules.getByRole('row').filter({ hasText: 'decided the check' })).toContainText('Deny');
    await expect(acls.getByRole('button', { name: 'Edit rule 10' })).toBeFocused();
    await page.keyboard.press('Enter');
    const edit = page.getByRole('dialog', { name: 'Edit rule 10 of db-acl' });
    await edit.getByLabel('Action').selectOption('allow');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await expect(edit).toBeHidden();
    await expect(rules.getByRole('row').filter({ hasText: 'decided the check' })).toContainText('Allow');
    await expect(
      acls
        .getByRole('table', { name: `Network ACL lists of ${vpc.name}` })
        .getByRole('row', { name: /db-acl/ })
        .getByText('Active', { exact: true }),
    ).toBeVisible(JOB);
  });

  await test.step('the check again: delivered to db-1', async () => {
    await connectivity.getByRole('button', { name: 'Check connectivity' }).click();
    await pickNic(dialog.getByLabel('Source'), /^web-1 · /);
    await pickNic(dialog.getByLabel('Destination'), /^db-1 · /);
    await dialog.getByLabel('Port').fill('5432');
    await dialog.getByRole('button', { name: 'Run the check' }).click();
    await expect(result.getByRole('status')).toContainText('Delivered', JOB);
    await expect(result.getByRole('list', { name: 'Hops of the path, in order' })).toContainText(
      '✓ delivered',
    );
    await shot(dialog, 'connectivity-delivered');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(
      connectivity
        .getByRole('list', { name: `Recent connectivity checks of ${vpc.name}` })
        .getByRole('listitem'),
    ).toHaveCount(2);
  });

  await test.step('after the change the matrix shows web → db allowed by rule 10, before and after side by side', async () => {
    const after = connectivity.getByRole('table', { name: /on tcp\/5432: rows are sources/ });
    await expect(
      after
        .getByRole('row', { name: /^web/ })
        .getByRole('link', { name: /web to db: Allowed, by rule 10 of db-acl/ }),
    ).toBeVisible(JOB);
    const change = connectivity.getByRole('region', { name: /^Before and after the last ACL change/ });
    await expect(change).toContainText('tcp/5432: 1 pair changed', JOB);
    const before = change.getByRole('table', { name: /^tcp\/5432 before / });
    await expect(before.getByRole('row', { name: /^web/ }).getByRole('cell').nth(1)).toContainText('Denied');
    await expect(before.getByRole('row', { name: /^web/ }).getByRole('cell').nth(1)).toContainText('changed');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(connectivity, 'connectivity-section');
  });

  await test.step('dark mode: a recorded check reopened and the matrix, axe clean', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    const recent = connectivity.getByRole('list', { name: `Recent connectivity checks of ${vpc.name}` });
    // The older check (dropped) is the second; "Show" reopens its recorded picture.
    await recent
      .getByRole('listitem')
      .nth(1)
      .getByRole('button', { name: /^Show the check/ })
      .click();
    const shown = page.getByRole('dialog', { name: /^Check web-1 .* → db-1 .* · tcp\/5432$/ });
    await expect(shown.getByRole('img', { name: /^Dropped at ACL ingress on db\./ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(shown, 'connectivity-dropped-dark');
    await page.keyboard.press('Escape');
    await expect(shown).toBeHidden();
    await expect(connectivity.getByRole('table', { name: /on tcp\/5432: rows are sources/ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(connectivity, 'connectivity-section-dark');
  });
});

/** Picks the NIC option whose label (VM · IP) matches. */
async function pickNic(select: Locator, text: RegExp): Promise<void> {
  const option = select.locator('option').filter({ hasText: text });
  await expect(option).toHaveCount(1);
  await select.selectOption({ label: (await option.textContent())?.trim() ?? '' });
}

test('a NIC diagnosis offers Check connectivity, prefilled with the diagnosed NIC as the source', async ({
  page,
  adminApi,
  loginAs,
}) => {
  test.setTimeout(120_000);
  const inv = await createInventory(adminApi);
  const { vpc, tiers } = await createVpc(adminApi, inv, 1);
  const tier = tiers[0] as Tier;
  expect(await implementTier(adminApi, tier.id)).toBe('succeeded');
  await injectFault(adminApi, inv.controllerId, {
    kind: 'vendorError',
    code: 'PORT_QUOTA',
    message: 'port quota exceeded on the logical switch',
    operation: 'prepare',
  });
  const r = await adminApi.mutate<{ jobId: string; nics: { id: string }[] }>('nics.prepareBulk', {
    tierId: tier.id,
    nics: [{ vmName: 'app-1' }],
  });
  expect(await waitForJob(adminApi, r.jobId)).toBe('failed');
  const nicId = r.nics[0]?.id ?? '';

  await loginAs('operator');
  await page.goto('/diagnostics');
  const card = page.getByRole('article').filter({ has: page.locator(`a[href="/vpcs/${vpc.id}"]`) });
  await expect(card.first()).toBeVisible(JOB);
  await card
    .first()
    .getByRole('button', { name: `Check connectivity in VPC ${vpc.name}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Check connectivity in ${vpc.name}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Source')).toHaveValue(`nic:${nicId}`);
  await expect(dialog.getByLabel('Source')).toHaveAccessibleDescription('Where the packet starts');
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
