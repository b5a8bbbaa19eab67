import type { Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';

// (Named to run after foundation.spec.ts, which needs the empty database at `/`.)
// Bulk actions on All Learners: tick the page, "Select all N matching" across pages, one action,
// one confirmation naming the count, a summary; revoking access signs a learner out at once.

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'BULK');
});

/** Invites `emails` (no email sent) with the owner's session of `owner`, and has each join through
 *  their invitation link in `member`'s context (the academy is invite-only; its session cookie
 *  stays in that context). */
async function inviteAndJoin(owner: Page, member: Page, emails: string[]) {
  const headers = { Origin: new URL(test.info().project.use.baseURL!).origin, Accept: 'application/json' };
  const people = emails.map((email) => ({ email, first_name: 'Bulk', last_name: email.split('-')[0] }));
  const res = await owner.request.post('/api/invite_learners', {
    headers,
    data: { people, role: 'learner', team_ids: [], send_email: false },
  });
  expect(res.status(), await res.text()).toBe(200);
  for (const [i, result] of (await res.json()).entries()) {
    const email = emails[i];
    const { invite_id } = result.outcome as { status: string; invite_id: number };
    const link = await owner.request.post('/api/invite_link', { headers, form: { invite_id: String(invite_id) } });
    expect(link.status(), await link.text()).toBe(200);
    const token = String(await link.json()).split('/join/')[1];
    const joined = await member.request.post('/api/join', {
      headers,
      form: { slug: academy.slug, token, first_name: 'Bulk', last_name: email.split('-')[0], password: `bulk-password-${id}` },
    });
    expect(joined.status(), await joined.text()).toBe(200);
  }
}

test('select all matching learners, change their role, and read the summary', async ({ page, newPage }, testInfo) => {
  const learners = await signInAsOwner(page, academy);
  const emails = Array.from({ length: 30 }, (_, i) => `bulk${String(i).padStart(2, '0')}-${id}@example.test`);
  await inviteAndJoin(page, await newPage(), emails);
  await learners.goto();
  await page.getByRole('searchbox', { name: 'Search learners by name or email' }).fill(`-${id}@`);
  await expect(page.getByText('30 in all')).toBeVisible();
  await expect(learners.learnersTable.locator('tbody tr')).toHaveCount(25);

  await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar.getByTestId('bulk-count')).toHaveText('25 selected');
  await bar.getByRole('button', { name: 'Select all 30 matching learners' }).click();
  await expect(bar.getByTestId('bulk-count')).toHaveText('30 selected');
  await expect(bar).toContainText('All 30 matching learners are selected.');

  await bar.getByRole('combobox', { name: 'Action for the selected rows' }).selectOption({ label: 'Learner-Analyst' });
  await bar.getByRole('button', { name: 'Apply…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Make 30 learners Learner-Analyst?' });
  await expect(confirm).toBeVisible();
  await shot(page, testInfo, 'bulk-1-confirm');
  await confirm.getByRole('button', { name: 'Yes, change the role' }).click();
  await expect(page.getByTestId('learners-notice')).toHaveText('Role changed: 30 learners.');
  await expect(bar).toBeHidden();

  // Every one of them, on both pages.
  const roles = learners.learnersTable.getByTestId('role-select');
  await expect(roles).toHaveCount(25);
  for (const value of await roles.evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value))) {
    expect(value).toBe('learner_analyst');
  }
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(roles).toHaveCount(5);
  for (const value of await roles.evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value))) {
    expect(value).toBe('learner_analyst');
  }
  await shot(page, testInfo, 'bulk-2-summary');
});

test("revoking the access of ticked learners signs them out at once", async ({ page, newPage }) => {
  const kim = `kim-${id}@example.test`;
  const lou = `lou-${id}@example.test`;
  const learners = await signInAsOwner(page, academy);
  const kimPage = await newPage();
  await inviteAndJoin(page, kimPage, [kim]);
  await inviteAndJoin(page, await newPage(), [lou]);
  await kimPage.goto(`/a/${academy.slug}/account`);
  await expect(kimPage).toHaveURL(new RegExp(`/a/${academy.slug}/account$`));
  await learners.goto();
  await page.getByRole('searchbox', { name: 'Search learners by name or email' }).fill(id);
  await learners.learnerRow(kim).getByRole('checkbox').check();
  await learners.learnerRow(lou).getByRole('checkbox').check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar.getByTestId('bulk-count')).toHaveText('2 selected');
  await bar.getByRole('combobox', { name: 'Action for the selected rows' }).selectOption({ label: 'Revoke access' });
  await bar.getByRole('button', { name: 'Apply…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke the access of 2 learners?' });
  await confirm.getByRole('button', { name: 'Yes, revoke access' }).click();
  await expect(page.getByTestId('learners-notice')).toHaveText('Access revoked: 2 learners.');

  // Kim's open session ended: the next page she opens asks her to sign in.
  await kimPage.goto(`/a/${academy.slug}/account`);
  await expect(kimPage).toHaveURL(new RegExp(`/a/${academy.slug}/login`));
});
