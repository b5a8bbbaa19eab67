import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { type Academy, ownAcademy, signInAsOwner } from './own-academy';
import { gotoHydrated, waitForPath } from './pages/hydration';

// The learner pages hydrate with a bundle of their own (learner.<hash>.wasm, the learner routes
// alone); the admin pages with the admin bundle (shoal.<hash>.wasm and the chunk of the area).
// A link from a learner page to a page the learner bundle lacks loads that page from the server.

let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'BUNDLE');
});

/** The WASM files the page asks for from now on, by file name. */
function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm')) seen.push(name);
  });
  return seen;
}

test('a learner page loads the learner bundle alone, and its link to an admin page brings the admin bundle', async ({ page }) => {
  const wasm = wasmRequests(page);
  await gotoHydrated(page, `/a/${academy.slug}/login`);
  expect(wasm, 'the sign-in page').toEqual([expect.stringMatching(/^learner\.[\w-]{22}\.wasm$/)]);

  // Signing in (on that page, loaded again) is a whole page load: the admin page comes with the
  // admin bundle, then its area's modules.
  wasm.length = 0;
  await signInAsOwner(page, academy);
  const admin = wasm.slice(wasm.findIndex((name) => !name.startsWith('learner.')));
  expect(admin[0], wasm.join(', ')).toMatch(/^shoal\.[\w-]{22}\.wasm$/);
  expect(admin.some((name) => name.startsWith('learner.')), wasm.join(', ')).toBe(false);

  // "Your account" is a learner page; its "Back" leads an owner to an admin page, which the
  // learner bundle does not have: the browser loads it from the server, and it works.
  wasm.length = 0;
  await gotoHydrated(page, `/a/${academy.slug}/account`);
  expect(wasm, 'Your account').toEqual([expect.stringMatching(/^learner\./)]);
  await page.getByRole('link', { name: 'Back' }).click();
  await waitForPath(page, `/a/${academy.slug}/admin/learners`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Manage Learners and Teams');
  expect(wasm.some((name) => name.startsWith('shoal.')), wasm.join(', ')).toBe(true);
  await page.getByRole('tab', { name: /Invites/ }).click();
  await expect(page).toHaveURL(/tab=invites/);
});
