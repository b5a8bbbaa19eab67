import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

// Benchmarks in the browser (`make bench` runs them; never part of `make test`): same Chromium,
// same server conventions as the end-to-end tests, one worker, generous time.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: '../test-results/bench',
  timeout: 600_000,
  expect: { timeout: 120_000 },
  // PapaParse is added to the page as a script; Shoal's CSP would (rightly) refuse it.
  use: { ...base.use, screenshot: 'off', trace: 'off', actionTimeout: 120_000, bypassCSP: true },
});
