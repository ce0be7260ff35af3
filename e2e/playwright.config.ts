// Playwright in Debian's Chromium against the real built server (see fixtures/server.ts); reports where CI reads them.
import { defineConfig, devices } from '@playwright/test';

const isCI = Boolean(process.env.CI);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: '../test-results/e2e',
  forbidOnly: isCI,
  // No retries: a journey that passes only on a second try is a bug to see, not to hide.
  retries: 0,
  // Two cores: one browser and one server per worker.
  workers: 2,
  fullyParallel: false,
  // Deadlines only decide when a test that is already failing gives up (docs/testing.md): axe over a page in light and
  // dark took over 60 s at load 25 on this 2-core machine while working, and at load ~30 (a CI beside five sessions'
  // tests) a page's first paint, a login or a dialog took over 20 s, so they are generous.
  timeout: 300_000,
  expect: { timeout: 45_000 },
  reporter: [['list'], ['json', { outputFile: '../test-results/playwright.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 45_000,
    navigationTimeout: 60_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
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
        },
      },
    },
  ],
});
