import { defineConfig, devices } from '@playwright/test';

// Shoal's end-to-end tests drive Debian's Chromium (Playwright's own browser download cannot
// work here) against a running Shoal server; `.ci/test.sh` starts a release server with a fresh
// database and passes its address in BASE_URL.
export default defineConfig({
  testDir: './tests',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  // A failed test runs once more, recording a trace of that run (below), and the run still fails
  // (`failOnFlakyTests`): recording a trace of every test, to keep the failures' only, cost the
  // whole suite 4 m 43 s against 4 m 00–04 s without (three runs of `make test`, 2 cores).
  retries: 1,
  failOnFlakyTests: true,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    screenshot: 'on',
    trace: 'on-first-retry',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
