import { expect, test, uniqueId } from './fixtures';
import { AdminShell } from './pages/admin-shell';
import { gotoHydrated, waitForPath } from './pages/hydration';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { SetupPage } from './pages/setup-page';

// The server starts with an empty database, and `/` offers the setup form only until the first
// academy exists. With one worker, tests run in the order written: the form's validation first
// (it creates nothing), then a serial group whose first test creates the academy and whose
// later tests reuse its slug and owner.
const id = uniqueId();

test('an unknown academy shows the 404 page with a way out', async ({ page }, testInfo) => {
  const response = await gotoHydrated(page, '/a/does-not-exist');
  expect(response?.status()).toBe(404);

  const notFound = new NotFoundPage(page);
  await expect(notFound.heading).toHaveText('No academy at this address');
  await page.screenshot({ path: testInfo.outputPath('not-found.png'), fullPage: true });

  await notFound.startPageLink.click();
  await waitForPath(page, '/');
});

test('the setup form shows field errors and keeps the other values', async ({ page }, testInfo) => {
  const setup = new SetupPage(page);
  await setup.goto();
  await expect(setup.heading).toHaveText('Create your academy');

  const values = {
    academyName: `Typo Academy ${id}`,
    slug: 'Not A Slug!',
    ownerName: 'Grace Typo',
    email: `typo-${id}@example.test`,
    password: 'short',
  };
  await setup.fill(values);
  await setup.submit();

  for (const bad of ['slug', 'password'] as const) {
    await expect(setup.fieldError(bad), `${bad} has a field error`).toBeVisible();
    await expect(setup.input(bad)).toHaveAttribute('aria-invalid', 'true');
  }
  for (const good of ['academyName', 'ownerName', 'email'] as const) {
    await expect(setup.input(good), `${good} keeps its value`).toHaveValue(values[good]);
    await expect(setup.fieldError(good), `${good} has no field error`).toHaveCount(0);
    await expect(setup.input(good)).not.toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page, 'still on the setup page').toHaveURL((url) => url.pathname === '/');
  await page.screenshot({ path: testInfo.outputPath('setup-field-errors.png'), fullPage: true });
});

test.describe('with an academy', () => {
  test.describe.configure({ mode: 'serial' });

  const academy = {
    academyName: `E2E Academy ${id}`,
    slug: `e2e-${id}`,
    ownerName: 'Ada Owner',
    email: `owner-${id}@example.test`,
    password: `Correct-Horse-${id}-Battery`,
  };

  test('create an academy, sign out, fail and then succeed to sign in', async ({ page }, testInfo) => {
    const setup = new SetupPage(page);
    await setup.goto();
    await expect(setup.heading).toHaveText('Create your academy');
    await setup.fill(academy);
    await page.screenshot({ path: testInfo.outputPath('setup-filled.png'), fullPage: true });
    await setup.submit();

    const shell = new AdminShell(page, academy.slug);
    await waitForPath(page, shell.learnersPath);
    await expect(shell.academyName).toHaveText(academy.academyName);
    for (const link of ['Learners & Teams', 'Statistics', 'Settings'] as const) {
      await expect(shell.navLink(link)).toBeVisible();
    }
    await page.screenshot({ path: testInfo.outputPath('admin-after-setup.png'), fullPage: true });

    await shell.signOut();
    const login = new LoginPage(page, academy.slug);
    await waitForPath(page, login.path);
    await expect(login.heading).toHaveText(`Sign in to ${academy.academyName}`);

    await login.signIn(academy.email, `${academy.password}-wrong`);
    await expect(login.error).toContainText('Invalid email or password');
    await expect(page).toHaveURL((url) => url.pathname === login.path);
    await page.screenshot({ path: testInfo.outputPath('login-wrong-password.png'), fullPage: true });

    await login.signIn(academy.email, academy.password);
    await waitForPath(page, shell.learnersPath);
    await expect(shell.academyName).toHaveText(academy.academyName);
    await expect(shell.userMenu).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('admin-after-sign-in.png'), fullPage: true });
  });

  test('a signed-in admin visiting the login page goes to the admin area', async ({ page }, testInfo) => {
    const login = new LoginPage(page, academy.slug);
    await login.goto();
    await login.signIn(academy.email, academy.password);
    const shell = new AdminShell(page, academy.slug);
    await waitForPath(page, shell.learnersPath);

    await page.goto(login.path);
    await waitForPath(page, shell.learnersPath);
    await expect(shell.academyName).toHaveText(academy.academyName);
    await page.screenshot({ path: testInfo.outputPath('login-redirects-admin.png'), fullPage: true });
  });
});
