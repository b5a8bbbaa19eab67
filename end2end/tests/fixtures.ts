import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

/** Playwright itself runs a script in every frame; in a frame sandboxed without scripts (the
 *  email preview in Settings) Chromium refuses it and logs this. A person's browser never does
 *  (microsoft/playwright#33343), so it is not the page's error. */
const PLAYWRIGHT_IN_SANDBOX = "Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed";

/** Collects what `page` throws or logs as an error (failed HTTP loads such as an expected 404 are
 *  not counted). */
export function trackBrowserErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !text.startsWith('Failed to load resource') && !text.startsWith(PLAYWRIGHT_IN_SANDBOX)) {
      errors.push(`console.error: ${message.text()}`);
    }
  });
}

type Fixtures = {
  browserErrors: string[];
  /** Opens a page in a new browser context (its own cookies: another person at another
   *  computer). Its errors count like the main page's; it is closed after the test. */
  newPage: () => Promise<Page>;
};

/** Every test fails if a page threw or logged an error: a broken WASM build or a hydration
 *  panic shows up here first. */
export const test = base.extend<Fixtures>({
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      trackBrowserErrors(page, errors);
      await use(errors);
      expect(errors, 'errors in the browser console').toEqual([]);
    },
    { auto: true },
  ],
  newPage: async ({ browser, browserErrors }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      // Inside a test, browser.newContext() applies the config's `use` options (baseURL, viewport).
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      trackBrowserErrors(page, browserErrors);
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };

/** A short random id for unique test data: lower-case letters and digits. */
export function uniqueId(): string {
  return (Date.now().toString(36).slice(-4) + Math.random().toString(36).slice(2, 6)).toLowerCase();
}
