// Looks at the console like a user: starts the real server on a temp database, seeds a little inventory through the
// API, logs in through the login page and saves a screenshot of every page (1280 px, plus 768 px and dark mode).
// Run: npx tsx apps/web/scripts/screenshots.ts [outDir]   (build the web app first: npm run build -w apps/web)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../../..');
const OUT = resolve(process.argv[2] ?? '/tmp/netplane-screens');
const PASSWORD = 'screens-admin-pw';
const PAGES = [
  '/',
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
  const proc = spawn('npx', ['tsx', 'apps/server/src/main.ts', 'start'], {
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
      const me = await (await fetch('/trpc/auth.me')).json();
      const token = me.result?.data?.csrfToken ?? '';
      const res = isMutation
        ? await fetch(`/trpc/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': token },
            body: JSON.stringify(input),
          })
        : await fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
      const body = await res.json();
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
    ],
    state: 'Enabled',
  })) as { id: string };
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
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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
    for (const path of PAGES) {
      await page.goto(`${url}${path}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      const name = path === '/' ? 'dashboard' : path.slice(1).replace(/\//g, '-');
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 768, height: 1000 });
    for (const path of ['/', '/infrastructure', '/capabilities']) {
      await page.goto(`${url}${path}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({
        path: join(OUT, `${path === '/' ? 'dashboard' : path.slice(1)}-768.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => localStorage.setItem('netplane.theme', 'dark'));
    for (const path of ['/', '/infrastructure']) {
      await page.goto(`${url}${path}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({
        path: join(OUT, `${path === '/' ? 'dashboard' : path.slice(1)}-dark.png`),
        fullPage: true,
      });
    }
    console.log(`screenshots in ${OUT}`);
  } finally {
    await browser.close();
    proc.kill('SIGTERM');
  }
}

await main();
