import { expect, test, uniqueId } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';

// "Invite Learners" → "Add people": a list pasted into an Email field fills one row per person,
// and a line that cannot be read is named with its reason.

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'PASTE');
});

test('pasting ten people fills ten rows; an unreadable line is named; all ten are invited', async ({ page }, testInfo) => {
  const people = Array.from({ length: 10 }, (_, i) => ({
    email: `p${i}-${id}@example.test`,
    first: `First${i}`,
    last: `Last${i}`,
  }));
  const lines = people.map((p, i) =>
    i % 3 === 0 ? `${p.first} ${p.last} <${p.email}>` : i % 3 === 1 ? `${p.email}, ${p.first}, ${p.last}` : `${p.first}\t${p.last}\t${p.email}`,
  );
  lines.splice(4, 0, 'Just a name, no address');
  const text = lines.join('\n');

  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  const first = dialog.emails.first();
  await first.focus();
  // A real paste event with the list as its text/plain data, as the browser fires it.
  await first.evaluate((input, data) => {
    const transfer = new DataTransfer();
    transfer.setData('text/plain', data);
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, text);

  await expect(dialog.emails).toHaveCount(10);
  for (const [i, p] of people.entries()) {
    await expect(dialog.emails.nth(i)).toHaveValue(p.email);
    await expect(dialog.firstNames.nth(i)).toHaveValue(p.first);
    await expect(dialog.lastNames.nth(i)).toHaveValue(p.last);
  }
  const note = page.getByTestId('paste-result');
  await expect(note).toContainText('Filled in 10 people from the pasted list. 1 line could not be read:');
  await expect(note).toContainText('Line 5 ("Just a name, no address"): no email address on this line');
  await shot(page, testInfo, 'paste-1-filled');

  await dialog.submitButton.click();
  await expect(dialog.results).toBeVisible();
  for (const p of people) await expect(dialog.result(p.email)).toHaveText(`${p.email} — Invited`);
});
