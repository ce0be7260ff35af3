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
  // dark took over 60 s at load 25 on this 2-core machine while working, so they are generous.
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: '../test-results/playwright.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
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
