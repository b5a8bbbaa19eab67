import { expect, test } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { waitForMessageTo } from './mail';
import { gotoHydrated } from './pages/hydration';

// (Named to run after foundation.spec.ts, which needs the empty database at `/`.)
// Settings → Invitations: links that work for 30 days with a reminder 5 days before, then links
// that never expire; the Invites tab says so. The default personal message, its preview, and a
// batch that says its own words.

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

test('the default personal message is previewed, offered in the invite dialog and sent as edited', async ({ page }, testInfo) => {
  const learners = await signInAsOwner(page, academy);
  await gotoHydrated(page, `/a/${academy.slug}/admin/settings`);
  const section = page.getByTestId('invitation-email-section');
  const message = section.getByLabel('Default personal message');
  await expect(message).toHaveValue('');

  // The preview follows the words as they are typed, before anything is saved.
  await message.fill('Welcome aboard!\n\nStart with "First week".');
  const preview = section.getByTestId('email-preview');
  await expect(preview.getByTestId('preview-text')).toContainText('> Welcome aboard!');
  await expect(preview.getByTestId('preview-from')).toContainText(' via ');
  await expect(preview.getByTestId('preview-subject')).toContainText('invited you to');
  // The email's HTML, in a sandboxed frame: the words quoted above the link, as text.
  await expect(preview.getByTestId('preview-html')).toHaveAttribute(
    'srcdoc',
    /<blockquote[^>]*>Welcome aboard!<br><br>Start with &quot;First week&quot;\.<\/blockquote>/,
  );
  await shot(page, testInfo, 'message-1-preview');

  // Too many lines: said at the field, nothing to save.
  await message.fill(Array.from({ length: 31 }, (_, i) => `Line ${i + 1}`).join('\n'));
  await expect(section.getByRole('alert')).toContainText('The personal message has 31 lines; at most 30 fit');
  await expect(section.getByTestId('save-message')).toBeDisabled();

  await message.fill('Welcome aboard!\n\nStart with "First week".');
  await section.getByTestId('save-message').click();
  await expect(section.getByTestId('message-saved')).toHaveText('Saved. New invite dialogs start with this message.');

  // The dialog starts with the default; this batch gets its own words.
  await learners.goto();
  const dialog = await learners.openInviteDialog();
  const batch = dialog.root.getByLabel('Personal message (optional)');
  await expect(batch).toHaveValue('Welcome aboard!\n\nStart with "First week".');
  await batch.fill('Ann, you lead the Monday group.');
  const email = `message-${Date.now()}@example.test`;
  await dialog.fillPeople([{ email, firstName: 'Ann', lastName: 'Lee' }]);
  await batch.scrollIntoViewIfNeeded();
  await expect(dialog.root.getByText('31 / 1,000')).toBeVisible();
  await shot(page, testInfo, 'message-2-dialog');
  await dialog.submitButton.click();
  await expect(dialog.result(email)).toContainText('Invited');

  const mail = await waitForMessageTo(email);
  expect(mail.text).toContain('wrote:\n> Ann, you lead the Monday group.');
  expect(mail.text).not.toContain('Welcome aboard!');
});
