// Looks at the console like a user: starts the real server on a temp database, seeds a little inventory through the
// API, logs in through the login page and saves a screenshot of every page (1280 px, plus 768 px and dark mode).
// Run: npx tsx apps/web/scripts/screenshots.ts [outDir]   (build the web app first: npm run build -w apps/web)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../../..');
const OUT = resolve(process.argv[2] ?? '/tmp/netplane-screens');
const PASSWORD = 'screens-admin-pw';
const PAGES = [
  '/',
  '/vpcs/FIRST',
  '/infrastructure',
  '/adapters',
  '/capabilities',
  '/offerings',
  '/vpcs',
  '/jobs',
  '/diagnostics',
  '/triage',
  '/simulator',
  '/audit',
  '/users',
];

function startServer(): Promise<{ url: string; proc: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'np-screens-'));
  // Its own process group, so stopping it also stops anything it started.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts', 'start'], {
    detached: true,
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir, 'np.db')}`,
      NETPLANE_DATA_DIR: join(dir, 'data'),
      NETPLANE_ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let buf = '';
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(buf);
      if (m?.[1]) ok({ url: m[1], proc });
    });
    proc.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
    setTimeout(() => fail(new Error('server did not start in 60 s')), 60_000);
  });
}

/** Calls a tRPC procedure from inside the page (same origin, session cookie, CSRF header). */
async function call(page: Page, path: string, input: unknown, isMutation = true): Promise<unknown> {
  return page.evaluate(
    async ({ path, input, isMutation }) => {
      const me = (await (await fetch('/trpc/auth.me')).json()) as {
        result?: { data?: { csrfToken?: string } };
      };
      const token = me.result?.data?.csrfToken ?? '';
      const res = isMutation
        ? await fetch(`/trpc/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': token },
            body: JSON.stringify(input),
          })
        : await fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
      const body = (await res.json()) as { error?: { message?: string }; result?: { data?: unknown } };
      if (body.error) throw new Error(`${path}: ${JSON.stringify(body.error.message ?? body.error)}`);
      return body.result?.data;
    },
    { path, input, isMutation },
  );
}

async function seed(page: Page): Promise<void> {
  const zone = (await call(page, 'zones.create', {
    name: 'eu-west-1',
    description: 'Amsterdam, hall 3',
  })) as { id: string };
  const pn = (await call(page, 'physicalNetworks.create', {
    zoneId: zone.id,
    name: 'guest-vlan',
    isolationMethods: ['VLAN'],
    tags: ['fast'],
    vlanRanges: ['100-199', '300-349'],
    trafficTypes: [
      { type: 'Guest', labels: { KVM: 'cloudbr1', VMware: 'vSwitch1' } },
      { type: 'Management', labels: { KVM: 'cloudbr0' } },
      { type: 'Public', labels: { KVM: 'cloudbr2' } },
    ],
    state: 'Enabled',
  })) as { id: string };
  // Public IP ranges, so the zone page shows their usage bars (the provisioned VPC takes its source-NAT address).
  await call(page, 'publicIpRanges.create', {
    zoneId: zone.id,
    cidr: '203.0.113.0/24',
    gateway: '203.0.113.1',
    vlan: 400,
    startIp: '203.0.113.10',
    endIp: '203.0.113.13',
  });
  await call(page, 'publicIpRanges.create', {
    zoneId: zone.id,
    cidr: '198.51.100.0/26',
    gateway: '198.51.100.1',
  });
  const provider = (await call(page, 'providers.create', {
    physicalNetworkId: pn.id,
    adapterId: 'simulator',
  })) as { id: string };
  const controller = (await call(page, 'controllers.create', {
    providerId: provider.id,
    name: 'sim-1',
    endpoint: 'sim://sim-1',
    credentials: { username: 'netplane', password: 'canary-secret' },
  })) as { id: string };
  await call(page, 'controllers.testConnection', { id: controller.id }).catch(() => undefined);
  await call(page, 'controllers.setResourceState', { id: controller.id, state: 'Enabled' }).catch((e) =>
    console.warn(String(e)),
  );
  await call(page, 'providers.setState', { id: provider.id, state: 'Enabled' }).catch((e) =>
    console.warn(String(e)),
  );
  await provision(page, zone.id, controller.id).catch((e) => console.warn('provision:', String(e)));
  // A second network whose provider is off and offers fewer services, so the matrix shows why cells are empty.
  const overlay = (await call(page, 'physicalNetworks.create', {
    zoneId: zone.id,
    name: 'overlay-geneve',
    isolationMethods: ['GENEVE'],
    tags: ['ovn'],
    vniRanges: ['5000-5999'],
    trafficTypes: [{ type: 'Guest', labels: { KVM: 'br-int' } }],
  })) as { id: string };
  await call(page, 'providers.create', { physicalNetworkId: overlay.id, adapterId: 'ovn' }).catch((e) =>
    console.warn(String(e)),
  );
}

// axe-core comes with the e2e workspace (@axe-core/playwright); injected as a script so this stays dependency-free.
const AXE = createRequire(join(ROOT, 'e2e/package.json')).resolve('axe-core/axe.min.js');

type AxeResult = {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
};

/** Prints serious and critical accessibility violations of the current page. */
async function checkA11y(page: Page, name: string): Promise<number> {
  await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
  )) as AxeResult;
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) {
    console.log(
      `a11y ${name}: ${v.impact} ${v.id} — ${v.help} (${v.nodes.length}×: ${JSON.stringify(v.nodes[0]?.target)})`,
    );
  }
  return bad.length;
}

async function waitJob(page: Page, jobId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const job = (await call(page, 'jobs.get', { id: jobId }, false)) as { state: string };
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return;
    await page.waitForTimeout(150);
  }
}

/** A VPC with a healthy tier of 20 NICs and a tier that fails on a planted conflict, so every page has data. */
async function provision(page: Page, zoneId: string, controllerId: string): Promise<void> {
  const services = { Connectivity: 'simulator', Dhcp: 'simulator', Dns: 'simulator' };
  const vpcOffering = (await call(page, 'offerings.create', {
    name: 'Standard VPC',
    kind: 'vpc',
    serviceProviders: services,
  })) as { id: string };
  const netOffering = (await call(page, 'offerings.create', {
    name: 'Standard tier',
    kind: 'network',
    serviceProviders: services,
  })) as { id: string };
  const vpc = (await call(page, 'vpcs.create', {
    name: 'shop-prod',
    zoneId,
    offeringId: vpcOffering.id,
    cidr: '10.10.0.0/16',
  })) as { id: string };
  const web = (await call(page, 'tiers.create', {
    vpcId: vpc.id,
    name: 'web',
    offeringId: netOffering.id,
    cidr: '10.10.1.0/24',
  })) as { id: string };
  await waitJob(page, ((await call(page, 'tiers.implement', { id: web.id })) as { jobId: string }).jobId);
  const nics = Array.from({ length: 20 }, (_, i) => ({ vmName: `web-${i + 1}` }));
  await waitJob(
    page,
    ((await call(page, 'nics.prepareBulk', { tierId: web.id, nics })) as { jobId: string }).jobId,
  );
  await call(page, 'simulator.injectFault', {
    controllerId,
    fault: {
      kind: 'foreignOwner',
      operation: 'implement',
      resource: 'network',
      owner: 'legacy-switch-7',
      count: 1,
    },
  });
  // The undo fails too, so the tier ends in Error with a diagnosis (not only a failed job).
  await call(page, 'simulator.injectFault', {
    controllerId,
    fault: {
      kind: 'vendorError',
      code: 'E4090',
      message: 'Switch is read-only during maintenance',
      count: 3,
    },
  });
  const db = (await call(page, 'tiers.create', {
    vpcId: vpc.id,
    name: 'db',
    offeringId: netOffering.id,
    cidr: '10.10.2.0/24',
  })) as { id: string };
  await waitJob(page, ((await call(page, 'tiers.implement', { id: db.id })) as { jobId: string }).jobId);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const { url, proc } = await startServer();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    // bypassCSP: axe-core is injected as a script tag, which the server's CSP would refuse.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${url}/login`);
    await page.screenshot({ path: join(OUT, 'login.png') });
    await page.getByLabel('Username').fill('wrong');
    await page.getByLabel('Password').fill('nope-nope');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    await page.screenshot({ path: join(OUT, 'login-error.png') });
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${url}/`);
    await seed(page).catch((e) => console.warn('seed:', String(e)));
    // vpcs.list answers a page ({ items, nextCursor, total }).
    const [firstVpc] =
      ((await call(page, 'vpcs.list', {}, false)) as { items?: { id: string }[] }).items ?? [];
    for (const path of PAGES) {
      if (path === '/vpcs/FIRST' && !firstVpc) continue;
      await page.goto(`${url}${path.replace('FIRST', firstVpc?.id ?? '')}`);
      await page.waitForLoadState('networkidle', { timeout: 8000 }).catch(() => undefined);
      await page.waitForTimeout(300);
      const name = path === '/' ? 'dashboard' : path === '/vpcs/FIRST' ? 'vpc-detail' : path.slice(1);
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      await checkA11y(page, name);
    }
    // The offering builder's live check: PortForwarding without SourceNat must be refused with a reason.
    await page.goto(`${url}/offerings`);
    await page.getByRole('button', { name: 'New offering' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Web with port forwarding');
    await page.getByLabel('PortForwarding').selectOption('simulator');
    await page.getByLabel('Required labels').fill('fast');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(OUT, 'offerings-builder.png'), fullPage: true });
    await checkA11y(page, 'offerings-builder');
    // Provider edit: narrow the simulator's load-balancing algorithms through the dialog and see it saved.
    await page.goto(`${url}/infrastructure`);
    await page
      .getByRole('button', { name: /^Edit provider / })
      .first()
      .click();
    const edit = page.getByRole('dialog', { name: /^Edit provider / });
    await edit.getByRole('checkbox', { name: 'leastconn' }).uncheck();
    await page.screenshot({ path: join(OUT, 'provider-edit.png') });
    await checkA11y(page, 'provider-edit');
    await edit.getByRole('button', { name: 'Save provider' }).click();
    await page.getByText('capabilities narrowed').first().waitFor();
    await page.setViewportSize({ width: 768, height: 1000 });
    for (const path of ['/', '/infrastructure', '/capabilities', '/diagnostics', '/adapters']) {
      await page.goto(`${url}${path}`);
      await page.waitForLoadState('networkidle', { timeout: 8000 }).catch(() => undefined);
      await page.screenshot({
        path: join(OUT, `${path === '/' ? 'dashboard' : path.slice(1)}-768.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => localStorage.setItem('netplane.theme', 'dark'));
    for (const path of ['/', '/infrastructure', '/diagnostics', `/vpcs/${firstVpc?.id ?? ''}`]) {
      await page.goto(`${url}${path}`);
      await page.waitForLoadState('networkidle', { timeout: 8000 }).catch(() => undefined);
      const name = path === '/' ? 'dashboard' : path.startsWith('/vpcs') ? 'vpc-detail' : path.slice(1);
      await page.screenshot({ path: join(OUT, `${name}-dark.png`), fullPage: true });
      await checkA11y(page, `${name} (dark)`);
    }
    await page.evaluate(() => localStorage.removeItem('netplane.theme'));
    // A viewer must see no mutating control.
    await call(page, 'users.create', { username: 'vera', password: 'viewer-pass-1', role: 'viewer' });
    const viewer = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await viewer.goto(`${url}/login`);
    await viewer.getByLabel('Username').fill('vera');
    await viewer.getByLabel('Password').fill('viewer-pass-1');
    await viewer.getByRole('button', { name: 'Log in' }).click();
    await viewer.waitForURL(`${url}/`);
    for (const path of ['/infrastructure', `/vpcs/${firstVpc?.id ?? ''}`, '/users']) {
      await viewer.goto(`${url}${path}`);
      await viewer.waitForLoadState('networkidle', { timeout: 8000 }).catch(() => undefined);
      const name = path.startsWith('/vpcs') ? 'vpc-detail' : path.slice(1);
      await viewer.screenshot({ path: join(OUT, `viewer-${name}.png`), fullPage: true });
    }
    console.log(`screenshots in ${OUT}`);
  } finally {
    await browser.close();
    if (proc.pid) process.kill(-proc.pid, 'SIGTERM');
  }
}

await main();
