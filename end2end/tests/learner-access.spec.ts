import { expect, test, uniqueId } from './fixtures';
import { AcademyHome } from './pages/academy-home';
import { waitForHydration } from './pages/hydration';
import { LoginPage } from './pages/login-page';
import { type Invitee } from './pages/learners-page';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';

// "Revoke access" on All Learners: the learner's open session ends at once, the row moves to
// "Access revoked", and "Give access again" lets them sign in.

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'ACCESS');
});

test('revoking access signs the learner out at once; giving it back lets them in again', async ({ page, newPage }, testInfo) => {
  const vic: Invitee = { email: `vic-${id}@example.test`, firstName: 'Vic', lastName: 'Vale' };
  const password = `Vic-${id}-secret`;

  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  await dialog.fillPeople([vic]);
  await dialog.sendEmail.uncheck();
  await dialog.submitButton.click();
  await expect(dialog.result(vic.email)).toHaveText(`${vic.email} — Invited`);
  await dialog.doneButton.click();

  // Vic signs up at the academy link and keeps the page open.
  const vicPage = await newPage();
  const home = new AcademyHome(vicPage, academy.slug);
  await home.goto();
  await home.fillSignUp({ email: vic.email, firstName: vic.firstName, lastName: vic.lastName, password });
  await home.signUpButton.click();
  await expect(home.heading).toHaveText(`Welcome, ${vic.firstName}`);

  await page.reload();
  await waitForHydration(page);
  const row = learners.learnersTable.locator('tbody tr').filter({ hasText: vic.email });
  await row.getByRole('button', { name: `Revoke access of ${vic.firstName} ${vic.lastName}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke ${vic.firstName} ${vic.lastName}'s access?` });
  await expect(confirm).toContainText('They are signed out at once');
  await confirm.getByRole('button', { name: 'Yes, revoke access' }).click();
  await expect(page.getByTestId('learners-notice')).toContainText('access is revoked');
  await expect(row).toHaveCount(0);
  await shot(page, testInfo, 'access-1-revoked');

  // Vic's next page load finds the session gone, and signing in is refused.
  await vicPage.reload();
  await expect(home.heading).not.toHaveText(`Welcome, ${vic.firstName}`);
  const login = new LoginPage(vicPage, academy.slug);
  await login.goto();
  await login.signIn(vic.email, password);
  await expect(login.error).toContainText('Invalid email or password');

  await page.getByTestId('learners-filter').selectOption('deactivated');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('access-revoked')).toHaveText('Access revoked');
  await shot(page, testInfo, 'access-2-revoked-filter');
  await row.getByRole('button', { name: `Give access again to ${vic.firstName} ${vic.lastName}` }).click();
  await expect(page.getByTestId('learners-notice')).toContainText('can sign in again');
  await expect(row).toHaveCount(0);

  await login.goto();
  await login.signIn(vic.email, password);
  await expect(home.heading).toHaveText(`Welcome, ${vic.firstName}`);
});
