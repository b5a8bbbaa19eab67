import type { Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { type Academy, ownAcademy, signInAsOwner } from './own-academy';
import { AcademyHome } from './pages/academy-home';
import { gotoHydrated, waitForPath } from './pages/hydration';
import { type Invitee } from './pages/learners-page';

// A visitor without a session hydrates with the smallest bundle (visitor.<hash>.wasm: sign-in,
// joining, the academy link's way in); the learner pages with a bundle of their own
// (learner.<hash>.wasm, the learner routes alone); the admin pages with the admin bundle
// (shoal.<hash>.wasm and the chunk of the area). A link from one of the first two to a page its
// bundle lacks loads that page from the server.

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

test('a visitor page loads the visitor bundle alone, a learner page the learner bundle, and a link to an admin page brings the admin bundle', async ({ page }) => {
  const wasm = wasmRequests(page);
  await gotoHydrated(page, `/a/${academy.slug}/login`);
  expect(wasm, 'the sign-in page').toEqual([expect.stringMatching(/^visitor\.[\w-]{22}\.wasm$/)]);
  // Its links to the other visitor pages stay in the page (no other module is fetched).
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await waitForPath(page, `/a/${academy.slug}/forgot`);
  expect(wasm, 'forgot').toHaveLength(1);

  // Signing in (on the sign-in page, loaded again) is a whole page load: the admin page comes
  // with the admin bundle, then its area's modules.
  wasm.length = 0;
  await signInAsOwner(page, academy);
  const admin = wasm.slice(wasm.findIndex((name) => !name.startsWith('visitor.')));
  expect(admin[0], wasm.join(', ')).toMatch(/^shoal\.[\w-]{22}\.wasm$/);
  expect(admin.some((name) => /^(visitor|learner)\./.test(name)), wasm.join(', ')).toBe(false);

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

test('a person who signs up at the academy link on the visitor bundle lands on the learner home with the learner bundle', async ({ page, newPage }) => {
  const id = uniqueId();
  const ivy: Invitee = { email: `ivy-${id}@example.test`, firstName: 'Ivy', lastName: 'Iles' };
  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  await dialog.fillPeople([ivy]);
  await dialog.sendEmail.uncheck();
  await dialog.submitButton.click();
  await expect(dialog.result(ivy.email)).toHaveText(`${ivy.email} — Invited`);

  const ivyPage = await newPage();
  const wasm = wasmRequests(ivyPage);
  const home = new AcademyHome(ivyPage, academy.slug);
  await home.goto();
  expect(wasm, 'the academy link').toEqual([expect.stringMatching(/^visitor\./)]);
  await home.fillSignUp({ email: ivy.email, firstName: ivy.firstName, lastName: ivy.lastName, password: `Ivy-${id}-secret` });
  await home.signUpButton.click();
  await expect(home.heading).toHaveText(`Welcome, ${ivy.firstName}`);
  await expect(ivyPage.locator('body')).toHaveAttribute('data-hydrated', 'true');
  expect(wasm, wasm.join(', ')).toEqual([expect.stringMatching(/^visitor\./), expect.stringMatching(/^learner\./)]);
});

// The release WASM stops at a panic without a word (`panic = "immediate-abort"`): the trap reaches
// the page as a WebAssembly.RuntimeError, and the page's own script marks it broken, so nobody
// (and no test) takes a dead page for a working one.
test('a page whose WASM traps stops saying it is hydrated, whatever its bundle', async ({ page, browserErrors }) => {
  for (const path of [`/a/${academy.slug}/login`, '/no-such-page']) {
    await gotoHydrated(page, path);
    // Thrown from a task (an event handler's trap) and from a promise (hydration's first steps).
    await page.evaluate(() => {
      setTimeout(() => {
        throw new WebAssembly.RuntimeError('unreachable');
      });
    });
    await expect(page.locator('body')).toHaveAttribute('data-panicked', 'true');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'false');

    await gotoHydrated(page, path);
    await page.evaluate(() => {
      void Promise.reject(new WebAssembly.RuntimeError('unreachable'));
    });
    await expect(page.locator('body')).toHaveAttribute('data-panicked', 'true');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'false');

    // Another error is not a trap: the page still works.
    await gotoHydrated(page, path);
    await page.evaluate(() => {
      setTimeout(() => {
        throw new TypeError('not the module');
      });
    });
    await expect.poll(() => browserErrors.some((e) => e.includes('not the module'))).toBe(true);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page.locator('body')).not.toHaveAttribute('data-panicked', /.*/);
  }
  // The errors thrown on purpose above are not the page's.
  browserErrors.splice(0, browserErrors.length);
});
