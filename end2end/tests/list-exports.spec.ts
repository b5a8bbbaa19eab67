import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { type Invitee } from './pages/learners-page';
import { type Academy, ownAcademy, signInAsOwner } from './own-academy';

// (Named to run after foundation.spec.ts, which needs the empty database at `/`.)
// "Export CSV" on the Invites tab: the file holds every row the list matches — the search
// included — with the tab's columns, and opens in a spreadsheet (BOM, CRLF).

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'EXPORTS');
});

/** The downloaded file's lines, without the BOM. */
async function linesOf(download: Download): Promise<string[]> {
  const text = await readFile(await download.path(), 'utf8');
  expect(text.startsWith('\ufeff'), 'a BOM, so Excel reads it as UTF-8').toBe(true);
  return text.slice(1).trimEnd().split('\r\n');
}

async function exportCsv(page: Page): Promise<{ name: string; lines: string[] }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  return { name: download.suggestedFilename(), lines: await linesOf(download) };
}

test('export downloads a file whose rows are the rows the Invites list matches', async ({ page }) => {
  const people: Invitee[] = [
    { email: `ella-${id}@example.test`, firstName: 'Ella', lastName: 'Lindgren' },
    { email: `finn-${id}@example.test`, firstName: 'Finn', lastName: 'Fox' },
    { email: `gus-${id}@example.test`, firstName: 'Gus', lastName: 'Lindholm' },
  ];
  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  await dialog.fillPeople(people);
  await dialog.submitButton.click();
  await expect(dialog.results).toBeVisible();
  await dialog.doneButton.click();

  await learners.invitesTab.click();
  await page.waitForURL((url) => url.searchParams.get('tab') === 'invites');
  const rows = learners.invitesTable.locator('tbody tr');
  const emailsOnScreen = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-email')));
  const emailsIn = (lines: string[]) => lines.slice(1).map((l) => l.split(',')[0]);
  await expect(rows).toHaveCount(3);

  const all = await exportCsv(page);
  expect(all.name).toMatch(/^invites-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(all.lines[0]).toBe('Email,Name,Role,Teams,Invited,Invited by,Expires,Email Status,Invitation Progress');
  expect(emailsIn(all.lines), 'every invitation, newest first as on screen').toEqual(await emailsOnScreen());

  await page.getByPlaceholder('Search invites by name or email').fill('lind');
  await expect(rows).toHaveCount(2);
  const found = await exportCsv(page);
  const onScreen = await emailsOnScreen();
  expect(emailsIn(found.lines), 'the search as on screen').toEqual(onScreen);
  expect([...onScreen].sort()).toEqual([people[0].email, people[2].email].sort());
});
