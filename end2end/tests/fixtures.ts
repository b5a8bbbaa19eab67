import { test as base, expect } from '@playwright/test';

/** Every test fails if the page threw or logged an error: a broken WASM build or a hydration
 *  panic shows up here first (failed HTTP loads such as an expected 404 are not counted). */
export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          errors.push(`console.error: ${message.text()}`);
        }
      });
      await use(errors);
      expect(errors, 'errors in the browser console').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** A short random id for unique test data: lower-case letters and digits. */
export function uniqueId(): string {
  return (Date.now().toString(36).slice(-4) + Math.random().toString(36).slice(2, 6)).toLowerCase();
}
