import { readFileSync } from 'node:fs';
import { expect, test, uniqueId } from './fixtures';
import { sinkDir } from './mail';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { gotoHydrated, waitForPath } from './pages/hydration';

// Settings → Admins and the Audit log: the owner invites an administrator from the keyboard, sees
// the pending invitation, then finds that action in the audit log, filters it and exports it.
// The academy: see own-academy.ts (STAFF_SLUG etc.).

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'STAFF');
});

test('M: invite an administrator from the keyboard, then find, filter and export it in the audit log', async ({ page }, testInfo) => {
  const email = `grace-${id}@example.test`;
  await signInAsOwner(page, academy);
  await gotoHydrated(page, `/a/${academy.slug}/admin/settings?tab=admins`);
  await expect(page.getByTestId('settings-tab-admins')).toHaveAttribute('aria-selected', 'true');
  const staff = page.getByTestId('staff-row');
  await expect(staff).toHaveCount(1);
  await expect(staff.first()).toContainText(academy.email);
  await expect(staff.first()).toContainText('Owner');
  await expect(staff.first()).toContainText('(you)');
  await expect(page.getByTestId('admin-invites-empty')).toContainText('No pending invitations');

  // From the keyboard: open the form, type, Tab between fields, Enter sends.
  await page.getByTestId('invite-admin').focus();
  await page.keyboard.press('Enter');
  const form = page.getByTestId('invite-admin-form');
  await expect(form.getByLabel('Email')).toBeFocused();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('First name')).toBeFocused();
  await page.keyboard.type('Grace');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Hopper');
  await shot(page, testInfo, 'm1-admins-invite-form');
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('admins-notice')).toContainText(`Invitation sent to ${email}.`);
  await expect(form).toBeHidden();
  const row = page.locator(`[data-testid="admin-invite-row"][data-email="${email}"]`);
  await expect(row).toContainText('Grace Hopper');
  await expect(row).toContainText(`by ${academy.ownerName}`);
  await expect(row.getByRole('button', { name: `Resend to ${email}` })).toBeVisible();
  if (sinkDir) await expect(row.getByTestId('email-status')).toHaveText('Email Sent', { timeout: 20_000 });
  // The learners' Invites tab is for learners only.
  await shot(page, testInfo, 'm2-admins-pending-invitation');

  // The audit log, from the main navigation.
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await waitForPath(page, `/a/${academy.slug}/admin/audit`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
  const rows = page.getByTestId('audit-row');
  const invited = rows.filter({ hasText: email });
  await expect(invited).toHaveCount(1);
  await expect(invited).toHaveAttribute('data-action', 'admin.invited');
  await expect(invited).toContainText('invited an administrator');
  await expect(invited).toContainText(academy.ownerName);
  await expect(page.getByTestId('audit-total')).toContainText('times in your time zone');
  await shot(page, testInfo, 'm3-audit-log');

  // Filter: administrators' actions, then a search; both go into the address.
  await page.getByTestId('filter-action').selectOption({ label: 'Administrators' });
  await page.waitForURL((url) => url.searchParams.get('action') === 'admins');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'admin.invited');
  await page.getByTestId('filter-search').fill(`grace-${id}`);
  await page.waitForURL((url) => url.searchParams.get('q') === `grace-${id}`);
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('audit-total')).toContainText('1 entry');
  await shot(page, testInfo, 'm4-audit-filtered');

  // The filtered view survives a reload.
  await page.reload();
  await expect(page.getByTestId('filter-search')).toHaveValue(`grace-${id}`);
  await expect(page.getByTestId('filter-action')).toHaveValue('admins');
  await expect(rows).toHaveCount(1);

  // The export has the same rows.
  const download = page.waitForEvent('download');
  await page.getByTestId('audit-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`audit-log-${academy.slug}.csv`);
  const text = readFileSync((await file.path())!, 'utf8');
  expect(text).toMatch(/^\uFEFFWhen \(UTC[^)]*\),Who,Email,What,Action,Target,Detail\r\n/);
  expect(text).toContain(`invited an administrator,admin.invited,${email}`);
  expect(text.trim().split('\r\n')).toHaveLength(2);
  await expect(page.getByTestId('audit-notice')).toHaveText('Exported 1 entry.');

  // A filter that matches nothing says so, and "Clear filters" brings every row back.
  await page.getByTestId('filter-action').selectOption({ label: 'Sign-ins and passwords' });
  await expect(page.getByTestId('audit-no-match')).toContainText('No entry matches these filters');
  await page.getByTestId('filter-clear').click();
  await page.waitForURL((url) => url.search === '');
  await expect(page.getByTestId('filter-search')).toHaveValue('');
  await expect(rows.filter({ hasText: 'signed in' }).first()).toBeVisible();
  await expect(rows.filter({ hasText: email })).toHaveCount(1);
  await shot(page, testInfo, 'm5-audit-cleared');
});
