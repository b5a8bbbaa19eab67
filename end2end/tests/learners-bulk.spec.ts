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

/** Signs `email` up at the academy link through the server function, in `page`'s context (its
 *  session cookie stays there). */
async function signUp(page: Page, baseURL: string, email: string, lastName: string) {
  const res = await page.request.post('/api/sign_up', {
    headers: { Origin: new URL(baseURL).origin, Accept: 'application/json' },
    form: { slug: academy.slug, email, first_name: 'Bulk', last_name: lastName, password: `bulk-password-${id}` },
  });
  expect(res.status(), await res.text()).toBe(200);
}

test('select all matching learners, change their role, and read the summary', async ({ page, newPage }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  const other = await newPage();
  for (let i = 0; i < 30; i++) {
    await signUp(other, baseURL, `bulk-${String(i).padStart(2, '0')}-${id}@example.test`, `Person ${i}`);
  }
  const learners = await signInAsOwner(page, academy);
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

test("revoking the access of ticked learners signs them out at once", async ({ page, newPage }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  const kim = `kim-${id}@example.test`;
  const lou = `lou-${id}@example.test`;
  const kimPage = await newPage();
  await signUp(kimPage, baseURL, kim, 'Kim');
  await signUp(await newPage(), baseURL, lou, 'Lou');
  await kimPage.goto(`/a/${academy.slug}/account`);
  await expect(kimPage).toHaveURL(new RegExp(`/a/${academy.slug}/account$`));

  const learners = await signInAsOwner(page, academy);
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
