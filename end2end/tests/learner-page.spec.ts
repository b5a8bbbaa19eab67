import { expect, test, uniqueId } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { AcademyHome } from './pages/academy-home';
import { gotoHydrated } from './pages/hydration';

// (Named to run after foundation.spec.ts, which needs the empty database at `/`.)
// A learner's page, opened from All Learners: the invitation they accepted, what the audit log
// says about them, their name and email corrected (the new address is the one they sign in with).

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'PERSON');
});

test("an admin opens a learner's page from All Learners and corrects the learner's name and email", async ({ page, newPage }, testInfo) => {
  const email = `pia-${id}@example.test`;
  const newEmail = `pia.petersen-${id}@example.test`;
  const password = `pia-password-${id}`;
  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  await dialog.fillPeople([{ email, firstName: 'Pia', lastName: 'Peters' }]);
  await dialog.sendEmail.uncheck();
  await dialog.submitButton.click();
  await expect(dialog.results).toBeVisible();
  await dialog.doneButton.click();

  // Pia signs up at the academy link with the address she was invited with.
  const pia = await newPage();
  const home = new AcademyHome(pia, academy.slug);
  await home.goto();
  // The names stay empty: she keeps the ones the admin entered.
  await home.signUpSection.getByLabel('Email').fill(email);
  await home.signUpSection.getByLabel('Password', { exact: true }).fill(password);
  await home.signUpButton.click();
  await pia.waitForURL((url) => url.pathname === `/a/${academy.slug}`);
  await expect(pia.getByRole('heading', { level: 1 })).toHaveText('Welcome, Pia');

  await learners.goto();
  await learners.learnerRow(email).getByRole('link', { name: 'Pia Peters' }).click();
  await page.waitForURL((url) => /\/admin\/learners\/\d+$/.test(url.pathname));
  await expect(page.getByTestId('learner-name')).toHaveText('Pia Peters');
  await expect(page.getByTestId('learner-invitations')).toContainText('Has accepted invite');
  await expect(page.getByTestId('learner-activity')).toContainText('invited');
  await shot(page, testInfo, 'person-1-page');

  const form = page.getByTestId('learner-edit');
  await form.getByLabel('Last name').fill('Petersen');
  await form.getByLabel('Email').fill(newEmail);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('learner-saved')).toContainText(`Both ${email} and ${newEmail} are told`);
  await expect(page.getByTestId('learner-name')).toHaveText('Pia Petersen');
  // The invitation she accepted under her old address stays on her page.
  await expect(page.getByTestId('learner-invitations')).toContainText('Has accepted invite');
  await shot(page, testInfo, 'person-2-saved');

  await page.getByRole('link', { name: '← All Learners' }).click();
  await expect(learners.learnerRow(newEmail)).toContainText('Pia Petersen');

  // She signs in with the new address.
  const again = await newPage();
  await gotoHydrated(again, `/a/${academy.slug}/login`);
  await again.getByLabel('Email').fill(newEmail);
  await again.getByLabel('Password', { exact: true }).fill(password);
  await again.getByRole('button', { name: 'Sign in' }).click();
  await again.waitForURL((url) => url.pathname === `/a/${academy.slug}`);
  await expect(again.getByRole('heading', { level: 1 })).toHaveText('Welcome, Pia');
});
