import { expect, test } from './fixtures';
import { resetLink, sinkDir, waitForMessageTo } from './mail';
import { gotoHydrated, waitForHydration, waitForPath } from './pages/hydration';
import { LoginPage } from './pages/login-page';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';

// Account recovery: "Forgot your password?" on the sign-in page → the emailed single-use link →
// a new password → every session that was open before has ended.

let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'RESET');
});

test('R: forgot password, the emailed link sets a new one, and the session left open elsewhere is gone', async ({ page, newPage }, testInfo) => {
  test.skip(!sinkDir, 'needs SMTP_SINK_DIR (.ci/test.sh sets it)');
  // A session left open on another device.
  await signInAsOwner(page, academy);

  const phone = await newPage();
  const login = new LoginPage(phone, academy.slug);
  await login.goto();
  await phone.getByRole('link', { name: 'Forgot your password?' }).click();
  await waitForPath(phone, `/a/${academy.slug}/forgot`);
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Forgot your password?');
  await phone.getByLabel('Email', { exact: true }).fill(academy.email);
  await phone.getByRole('button', { name: 'Email me a link' }).click();
  await expect(phone.getByTestId('reset-sent')).toContainText('an email with a link to choose a new password is on its way');
  await shot(phone, testInfo, 'r1-reset-sent');

  const message = await waitForMessageTo(academy.email);
  expect(message.headers['subject']).toContain('Choose a new password');
  const link = resetLink(message, academy.slug);
  await phone.goto(link);
  await waitForHydration(phone);
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  await expect(phone.getByLabel('Email')).toHaveValue(academy.email);
  // A common password is refused in the page; then a good one.
  await phone.getByLabel('New password').fill('password123');
  await phone.getByRole('button', { name: 'Set the new password' }).click();
  await expect(phone.locator('.field-error')).toContainText(/common/i);
  await shot(phone, testInfo, 'r2-reset-common-password');
  const fresh = `${academy.password}-renewed`;
  await phone.getByLabel('New password').fill(fresh);
  await phone.getByRole('button', { name: 'Set the new password' }).click();
  await waitForPath(phone, `/a/${academy.slug}/admin/learners`);

  // The session left open before is gone: the next page asks to sign in again.
  await page.goto(`/a/${academy.slug}/admin/learners`);
  await waitForPath(page, `/a/${academy.slug}/login`);
  // The link worked once only.
  await gotoHydrated(phone, new URL(link).pathname);
  await expect(phone.getByTestId('reset-problem')).toContainText('expired or was used');
  // The new password signs in.
  const again = new LoginPage(page, academy.slug);
  await again.goto();
  await again.signIn(academy.email, fresh);
  await waitForPath(page, `/a/${academy.slug}/admin/learners`);
  academy.password = fresh;
});
