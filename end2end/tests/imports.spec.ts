import { expect, test } from './fixtures';
import { CsvUpload } from './pages/csv-upload';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';

// "Upload CSV File": files from the corpus admins really upload (app/testdata/csv), read and
// checked in the browser by the shared Rust code, previewed, fixed, sent in chunks.

let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'CSV');
});

test('G: bad-rows.csv is previewed with its counts and reasons, one row is fixed in place, the ready rows are invited', async ({ page }, testInfo) => {
  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  const csv = new CsvUpload(page, dialog.root);
  await csv.open();
  await expect(dialog.root.getByRole('link', { name: 'Download the template' })).toHaveAttribute('download', 'learners-template.csv');

  await csv.choose('bad-rows.csv');
  await csv.waitChecked();
  await expect(csv.preview).toContainText('bad-rows.csv · UTF-8 · 10 rows · header row found');
  await expect(csv.count('rows')).toHaveText('10 rows');
  await expect(csv.count('ready to invite')).toHaveText('3 ready to invite');
  await expect(csv.count('problems')).toHaveText('4 problems');
  await expect(csv.count('duplicate')).toHaveText('1 duplicate');
  await expect(csv.count('empty')).toHaveText('2 empty');
  // Every row is there with its line number and, when refused, a plain reason.
  await expect(csv.row(2)).toContainText('ann.lee@example.com');
  await expect(csv.row(2)).toContainText('Ready');
  await expect(csv.row(3)).toContainText('bob@@example.com');
  await expect(csv.row(6)).toContainText('Duplicate: the same email address is on line 2');
  await expect(csv.row(10)).toContainText('No email address: this row has only 2 columns');
  await expect(csv.row(5)).toHaveAttribute('data-line', '5');
  await expect(csv.submitButton).toHaveText('Invite 3 learners');
  await shot(page, testInfo, 'g1-csv-preview');
  await csv.preview.screenshot({ path: testInfo.outputPath('g1-csv-preview-whole.png') });

  // Only the problems.
  await csv.count('problems').click();
  await expect(csv.count('problems')).toHaveAttribute('aria-pressed', 'true');
  await expect(csv.rows).toHaveCount(4);
  await expect(csv.row(2)).toHaveCount(0);

  // The problems report lists the refused rows with their reasons.
  const download = page.waitForEvent('download');
  await csv.preview.getByRole('button', { name: 'Download problems report' }).click();
  const report = await download;
  expect(report.suggestedFilename()).toBe('bad-rows-problems.csv');
  const text = (await import('node:fs')).readFileSync((await report.path())!, 'utf8');
  expect(text).toContain('Line,First name,Last name,Email address,Problem');
  expect(text).toContain('Duplicate: the same email address is on line 2');

  // Fix Dora's address where it is; she joins the ready rows.
  await csv.preview.getByRole('button', { name: 'Fix line 7' }).click();
  const email = csv.preview.getByLabel('Email address, line 7');
  await expect(email).toHaveValue('dora maar@example.com');
  // The editor shows the whole reason, which the row could only show in part.
  await expect(csv.preview.getByTestId('edit-reason')).toHaveText('"dora maar@example.com" contains a space; email addresses have no spaces');
  await expect(csv.preview.getByRole('button', { name: 'Save' })).toBeInViewport();
  await shot(page, testInfo, 'g2-csv-fix-editor');
  await email.fill('dora.maar@example.com');
  await email.press('Enter');
  await expect(csv.count('problems')).toHaveText('3 problems');
  await csv.count('ready to invite').click();
  await expect(csv.row(7)).toContainText('Ready');
  await expect(csv.rows).toHaveCount(4);
  // The filtered rows sit one under the other (44 px each), not where they were in the whole file.
  await expect(csv.row(2)).toHaveCSS('top', '0px');
  await expect(csv.row(7)).toHaveCSS('top', '44px');
  await expect(csv.row(11)).toHaveCSS('top', '132px');
  await expect(csv.submitButton).toHaveText('Invite 4 learners');
  await shot(page, testInfo, 'g2-csv-fixed');

  await csv.sendEmail.uncheck();
  await csv.submitButton.click();
  await expect(csv.summary).toBeVisible({ timeout: 30_000 });
  await expect(csv.summary).toContainText('4 invited');
  await expect(csv.summary).toContainText('4 rows with problems were left out');
  await shot(page, testInfo, 'g3-csv-summary');
  await csv.summary.getByRole('button', { name: 'Done' }).click();
  await expect(dialog.root).toBeHidden();

  await learners.invitesTab.click();
  for (const email of ['ann.lee@example.com', 'eve@example.com', 'gus@example.com', 'dora.maar@example.com']) {
    await expect(learners.inviteRow(email)).toBeVisible();
    await expect(learners.emailStatus(email)).toHaveText('Not requested');
  }
  await expect(learners.inviteRow('bob@@example.com')).toHaveCount(0);

  // The upload is in the history, with its counts.
  await learners.openInviteDialog();
  await csv.open();
  await expect(csv.history.getByRole('row').filter({ hasText: 'bad-rows.csv' })).toContainText('4');
});

test('H: an Excel file (BOM, semicolons, German headers) keeps its accents; known addresses are told apart', async ({ page }, testInfo) => {
  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  // Zoë is invited first, by hand: the file then finds her invited already.
  await dialog.fillPeople([{ email: 'zoe.lefevre@example.fr', firstName: 'Zoë', lastName: 'Lefèvre' }]);
  await dialog.sendEmail.uncheck();
  await dialog.submitButton.click();
  await expect(dialog.results).toBeVisible();
  await dialog.inviteMoreButton.click();

  const csv = new CsvUpload(page, dialog.root);
  await csv.open();
  await csv.choose('excel-semicolon-bom.csv');
  await csv.waitChecked();
  await expect(csv.notes).toContainText('Columns are separated by semicolons.');
  for (const [line, first, last] of [[2, 'Jürgen', 'Müller'], [3, 'Zoë', 'Lefèvre'], [4, 'Åsa', 'Öberg']] as const) {
    await expect(csv.row(line)).toContainText(first);
    await expect(csv.row(line)).toContainText(last);
  }
  await expect(csv.count('ready to invite')).toHaveText('2 ready to invite');
  await expect(csv.count('already invited')).toHaveText('1 already invited');
  await expect(csv.row(3)).toContainText('Already invited: the invitation is renewed');
  await expect(csv.submitButton).toHaveText('Invite 3 learners');
  await shot(page, testInfo, 'h1-csv-excel-preview');
  await csv.sendEmail.uncheck();
  await csv.submitButton.click();
  await expect(csv.summary).toContainText('2 invited');
  await expect(csv.summary).toContainText('1 already invited');
  await csv.summary.getByRole('button', { name: 'Done' }).click();

  await learners.invitesTab.click();
  await expect(learners.inviteRow('juergen.mueller@example.de')).toContainText('Jürgen Müller');
  await expect(learners.inviteRow('asa.oberg@example.se')).toContainText('Åsa Öberg');
});

test('I: a file that cannot be a learners list is refused in words, and nothing is sent', async ({ page }) => {
  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  const csv = new CsvUpload(page, dialog.root);
  await csv.open();
  await csv.choose('empty.csv');
  await expect(csv.error).toContainText('empty.csv: The file is empty.');
  await csv.choose('header-only.csv');
  await expect(csv.error).toContainText('The file has no learners: it holds only a header row.');
  await expect(csv.preview).toHaveCount(0);
});

test('J: a long file is shown whole, yet only the rows in view are in the page', async ({ page }) => {
  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  const csv = new CsvUpload(page, dialog.root);
  await csv.open();
  const lines = ['First name,Last name,Email address'];
  for (let i = 0; i < 5000; i++) lines.push(`Pat,Row${i},pat.${i}@example.test`);
  await csv.fileInput.setInputFiles({ name: 'long.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await csv.waitChecked();
  await expect(csv.count('rows')).toHaveText('5,000 rows');
  await expect(csv.count('ready to invite')).toHaveText('5,000 ready to invite');
  expect(await csv.rows.count()).toBeLessThan(40);
  await csv.preview.locator('.preview-scroll').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(csv.row(5001)).toContainText('pat.4999@example.test');
  await expect(csv.row(2)).toHaveCount(0);
  expect(await csv.rows.count()).toBeLessThan(40);
});
