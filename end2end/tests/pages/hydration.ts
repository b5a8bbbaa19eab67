import type { Page } from '@playwright/test';

/** The app sets `data-hydrated="true"` on `<body>` once the WASM has hydrated the page.
 *  Clicking before that would hit server-rendered HTML with no event handlers attached. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForSelector('body[data-hydrated="true"]', { state: 'attached', timeout: 20_000 });
}

/** Navigates and waits for hydration; returns the navigation's response (for its status). */
export async function gotoHydrated(page: Page, path: string) {
  const response = await page.goto(path);
  await waitForHydration(page);
  return response;
}

/** Waits for a navigation started by a click (client-side or full page) to settle on `path`. */
export async function waitForPath(page: Page, path: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === path);
  await waitForHydration(page);
}
