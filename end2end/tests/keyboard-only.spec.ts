import type { Locator, Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { CsvUpload, corpus } from './pages/csv-upload';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';

// (Named to run after foundation.spec.ts, which needs the empty database at `/`.)
// An admin who uses no mouse: every step is Tab, Shift+Tab, Enter, Space, Escape and typing.
// Dialogs take focus when they open, keep Tab inside while open, close on Escape, and give focus
// back to the button that opened them; a confirmation starts on Cancel.

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'KEYS');
});

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Presses Tab until `target` has focus; fails if it is not reached in `max` presses. */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press('Tab');
  }
  expect(await isFocused(target), `reached by Tab within ${max} presses`).toBe(true);
}

/** Tab twenty times round an open dialog: focus never lands on the page behind it. */
async function expectTabStaysIn(page: Page, dialog: Locator) {
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const inside = await dialog.evaluate((d) => {
      const active = document.activeElement;
      return active === null || active === document.body || d.contains(active);
    });
    expect(inside, `Tab press ${i + 1} stays in the dialog`).toBe(true);
  }
}

test('an admin invites two people, uploads a CSV and revokes an invitation with the keyboard alone', async ({ page }, testInfo) => {
  const learners = await signInAsOwner(page, academy);
  const dialog = learners.dialog;

  // Two people through "Add people".
  await tabTo(page, learners.inviteButton);
  await page.keyboard.press('Enter');
  await expect(dialog.root).toBeVisible();
  await expect(dialog.emails.first(), 'the dialog opens with focus on the first field').toBeFocused();
  await expectTabStaysIn(page, dialog.root);
  await dialog.emails.first().focus();
  const people = [
    { email: `kim-${id}@example.test`, first: 'Kim', last: 'Keys' },
    { email: `lou-${id}@example.test`, first: 'Lou', last: 'Tabb' },
  ];
  // A wrong address is marked as soon as the field is left, in the words the server would use.
  await page.keyboard.type('kim.example.test');
  await page.keyboard.press('Tab');
  await expect(dialog.root.getByTestId('person-problem')).toContainText('has no @');
  await expect(dialog.emails.first()).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(people[0].email);
  await page.keyboard.press('Tab');
  await expect(dialog.root.getByTestId('person-problem')).toHaveCount(0);
  await page.keyboard.type(people[0].first);
  await page.keyboard.press('Tab');
  await page.keyboard.type(people[0].last);
  await tabTo(page, dialog.addPersonButton);
  await page.keyboard.press('Enter');
  await expect(dialog.emails).toHaveCount(2);
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, dialog.emails.nth(1));
  await page.keyboard.type(people[1].email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(people[1].first);
  await page.keyboard.press('Tab');
  await page.keyboard.type(people[1].last);
  await tabTo(page, dialog.sendEmail);
  await page.keyboard.press('Space');
  await expect(dialog.sendEmail).not.toBeChecked();
  await tabTo(page, dialog.submitButton);
  await page.keyboard.press('Enter');
  await expect(dialog.results).toBeVisible();
  for (const p of people) await expect(dialog.result(p.email)).toContainText('Invited');
  await shot(page, testInfo, 'keys-1-invited');

  // Escape closes; focus goes back to "Invite Learners".
  await page.keyboard.press('Escape');
  await expect(dialog.root).toBeHidden();
  await expect(learners.inviteButton, 'focus returns to the button that opened the dialog').toBeFocused();

  // A CSV file through "Upload CSV File".
  await page.keyboard.press('Enter');
  await expect(dialog.root).toBeVisible();
  const csv = new CsvUpload(page, dialog.root);
  await tabTo(page, csv.tab);
  await page.keyboard.press('Enter');
  await csv.fileInput.waitFor({ state: 'attached' });
  await tabTo(page, csv.fileInput);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(corpus('basic.csv'));
  await csv.waitChecked();
  await expect(csv.submitButton).toHaveText('Invite 5 learners');
  await tabTo(page, csv.sendEmail);
  await page.keyboard.press('Space');
  await expect(csv.sendEmail).not.toBeChecked();
  await tabTo(page, csv.submitButton);
  await page.keyboard.press('Enter');
  await expect(csv.summary).toBeVisible({ timeout: 30_000 });
  await expect(csv.summary).toContainText('5 invited');
  await shot(page, testInfo, 'keys-2-csv-sent');
  await tabTo(page, csv.summary.getByRole('button', { name: 'Done' }));
  await page.keyboard.press('Enter');
  await expect(dialog.root).toBeHidden();

  // Revoke Kim's invitation: the confirmation starts on Cancel, Escape keeps the invitation.
  await tabTo(page, learners.invitesTab);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.searchParams.get('tab') === 'invites');
  await expect(learners.inviteRow(people[0].email)).toBeVisible();
  const revoke = learners.inviteRow(people[0].email).getByRole('button', { name: `Revoke the invitation of ${people[0].email}` });
  await tabTo(page, revoke);
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: `Revoke the invitation of ${people[0].email}?` });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Cancel' }), 'a confirmation starts on Cancel').toBeFocused();
  await expectTabStaysIn(page, confirm);
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(revoke).toBeFocused();
  await expect(learners.progress(people[0].email)).toHaveText('Invited');

  await page.keyboard.press('Enter');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Yes, revoke' })).toBeFocused();
  await shot(page, testInfo, 'keys-3-revoke-confirmation');
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(learners.progress(people[0].email)).toHaveText('Revoked');
  await expect(learners.progress(people[1].email)).toHaveText('Invited');

  // A revoked invitation offers "Invite again".
  const again = learners.inviteRow(people[0].email).getByRole('button', { name: `Invite again: ${people[0].email}` });
  await tabTo(page, again);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('invites-notice')).toContainText(`Invited ${people[0].email} again`);
  await expect(learners.invitesTable.locator(`tr[data-email="${people[0].email}"]`)).toHaveCount(2);
});
