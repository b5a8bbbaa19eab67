import { expect, test } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { gotoHydrated } from './pages/hydration';

// (Named to run after foundation.spec.ts, which needs the empty database at `/`.)
// Settings → Invitations: links that work for 30 days with a reminder 5 days before, then links
// that never expire; the Invites tab says so.

let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'LIFECYCLE');
});

test('an admin sets how long invitation links work and when the reminder goes out', async ({ page }, testInfo) => {
  const learners = await signInAsOwner(page, academy);
  await gotoHydrated(page, `/a/${academy.slug}/admin/settings`);
  const section = page.getByTestId('invitations-section');
  await expect(section.getByLabel('Invitation links work for (days)')).toHaveValue('14');
  await expect(section.getByTestId('send-reminder')).toBeChecked();

  await section.getByLabel('Invitation links work for (days)').fill('30');
  await section.getByLabel('Days before expiry').fill('5');
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('invitations-notice')).toHaveText(
    'Saved. A new invitation link works for 30 days; a reminder goes out 5 days before a link expires.',
  );
  await expect(section.getByLabel('Invitation links work for (days)')).toHaveValue('30');
  await shot(page, testInfo, 'lifecycle-1-saved');

  // A reminder as long as the link itself is refused, in the page.
  await section.getByLabel('Days before expiry').fill('30');
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByRole('alert')).toContainText('The reminder goes out 1 to 29 days before a link expires');

  await section.getByTestId('never-expire').check();
  await expect(section.getByLabel('Invitation links work for (days)')).toBeDisabled();
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('invitations-notice')).toHaveText('Saved. A new invitation link never expires.');

  // The invite dialog tells what the links do now.
  await learners.goto();
  const dialog = await learners.openInviteDialog();
  await expect(dialog.root.getByTestId('claim-hint')).toContainText('Each person gets an email with a link that never expires.');
});
