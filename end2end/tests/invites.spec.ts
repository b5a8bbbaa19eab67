import type { Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { joinLink, messagesTo, sinkDir, waitForMessageTo } from './mail';
import { AcademyHome } from './pages/academy-home';
import { gotoHydrated, waitForHydration, waitForPath } from './pages/hydration';
import { JoinPage } from './pages/join-page';
import { type Invitee, LearnersPage } from './pages/learners-page';
import { type Academy, ownAcademy, shot, signInAsOwner as signInOwner } from './own-academy';

// Inviting learners, by email and without, and how they join.
//
// The academy: see own-academy.ts (INVITES_SLUG etc.). Scenario A reads the invitation email from
// the folder Postfix's smtp-sink writes every message to (SMTP_SINK_DIR; the server must send to
// that sink through SHOAL_SMTP_URL).

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'INVITES');
});

// Checks of what the page shows beside the scenario (e.g. one table, not two) are soft: they fail
// the test but let the scenario go on, so one rendering bug does not hide the rest.

async function signInAsOwner(page: Page): Promise<LearnersPage> {
  return signInOwner(page, academy);
}

test('A: invite two learners by email; one joins through the emailed link', async ({ page, newPage }, testInfo) => {
  test.skip(!sinkDir, 'needs SMTP_SINK_DIR, the folder `smtp-sink -d` writes to (.ci/test.sh sets it)');
  const lea: Invitee = { email: `lea-${id}@example.test`, firstName: 'Lea', lastName: 'Lindqvist' };
  const omar: Invitee = { email: `omar-${id}@example.test`, firstName: 'Omar', lastName: 'Okafor' };

  const learners = await signInAsOwner(page);
  const dialog = await learners.openInviteDialog();
  await dialog.fillPeople([lea, omar]);
  await expect(dialog.emails).toHaveCount(2);
  await dialog.role('Learner-Analyst').check();
  await expect(dialog.sendEmail).toBeChecked();
  await shot(page, testInfo, 'a1-invite-dialog-filled');
  // The dialog scrolls inside the viewport; this shows all of it.
  await dialog.root.screenshot({ path: testInfo.outputPath('a1-invite-dialog-filled-whole.png') });

  await dialog.submitButton.click();
  await expect(dialog.results).toBeVisible();
  for (const person of [lea, omar]) {
    await expect(dialog.result(person.email)).toHaveText(`${person.email} — Invited`);
  }
  await expect(dialog.inviteMoreButton).toBeVisible();
  await shot(page, testInfo, 'a2-invite-dialog-results');
  await dialog.doneButton.click();
  await expect(dialog.root).toBeHidden();

  await learners.invitesTab.click();
  await page.waitForURL((url) => url.searchParams.get('tab') === 'invites');
  await expect(learners.invitesTab).toHaveAttribute('aria-selected', 'true');
  await expect.soft(learners.panelContent, 'the Invites tab shows its table only').toHaveCount(1);
  // The tab reloads itself every 1.5 s while an email is queued.
  for (const person of [lea, omar]) {
    await expect(learners.emailStatus(person.email)).toHaveText('Email Sent', { timeout: 30_000 });
    await expect(learners.progress(person.email)).toHaveText('Invited');
    await expect(learners.inviteRow(person.email)).toContainText('Learner-Analyst');
  }
  await shot(page, testInfo, 'a3-invites-tab-email-sent');

  // Exactly one message each, addressed to the invitee, with a link on the public address.
  const message = await waitForMessageTo(lea.email);
  await waitForMessageTo(omar.email);
  await testInfo.attach('invitation-to-lea.eml', { body: message.raw, contentType: 'message/rfc822' });
  expect(await messagesTo(lea.email), 'messages to Lea').toHaveLength(1);
  expect(await messagesTo(omar.email), 'messages to Omar').toHaveLength(1);
  expect(message.headers['subject']).toContain(academy.name);
  const link = joinLink(message, academy.slug);
  expect(link.startsWith(`${testInfo.project.use.baseURL}/a/${academy.slug}/join/`), link).toBe(true);

  // Lea, at her own computer.
  const leaPage = await newPage();
  await gotoHydrated(leaPage, link);
  const join = new JoinPage(leaPage);
  await expect(join.heading).toHaveText(`Join ${academy.name}`);
  await expect(join.email).toHaveValue(lea.email);
  await expect(join.email).not.toBeEditable();
  await expect(join.firstName).toHaveValue(lea.firstName);
  await expect(join.lastName).toHaveValue(lea.lastName);
  await join.password.fill(`Lea-${id}-secret`);
  await shot(leaPage, testInfo, 'a4-join-page');
  await join.submitButton.click();
  const home = new AcademyHome(leaPage, academy.slug);
  await waitForPath(leaPage, home.path);
  await expect(home.heading).toHaveText(`Welcome, ${lea.firstName}`);
  await shot(leaPage, testInfo, 'a5-learner-home');

  // The admin sees her join.
  await page.reload();
  await waitForHydration(page);
  await expect(learners.progress(lea.email)).toHaveText('Has accepted invite');
  await expect(learners.progress(omar.email)).toHaveText('Invited');
  await shot(page, testInfo, 'a6-invites-tab-accepted');

  await learners.allLearnersTab.click();
  await page.waitForURL((url) => !url.searchParams.has('tab'));
  await expect(learners.allLearnersTab).toHaveAttribute('aria-selected', 'true');
  await expect.soft(learners.panelContent, 'the All Learners tab shows its table only').toHaveCount(1);
  await expect(learners.learnerRow(lea.email)).toContainText(`${lea.firstName} ${lea.lastName}`);
  await expect(learners.learnerRow(lea.email)).toContainText('Learner-Analyst');
  await expect(learners.learnerRow(omar.email), 'Omar has not joined').toHaveCount(0);
  // The role picker of the row offers the learner roles, Learner-Admin disabled with the reason (Starter plan).
  const roleOption = learners.learnerRow(lea.email).getByRole('combobox', { name: `Role of ${lea.firstName} ${lea.lastName}` });
  await expect(roleOption.locator('option[value="learner_admin"]')).toBeDisabled();
  await expect(roleOption.locator('option[value="learner_admin"]')).toHaveAttribute('title', 'Learner-Admin is available on the Business plan.');
  await expect(learners.learnerRow(lea.email).getByRole('button', { name: `Remove ${lea.firstName} ${lea.lastName}` })).toBeVisible();
  await shot(page, testInfo, 'a7-all-learners');
});

test('B: invite without email; the person signs up at the academy link', async ({ page, newPage }, testInfo) => {
  const sam: Invitee = { email: `sam-${id}@example.test`, firstName: 'Sam', lastName: 'Sato' };

  const learners = await signInAsOwner(page);
  const dialog = await learners.openInviteDialog();
  await dialog.fillPeople([sam]);
  await expect(dialog.role('Learner')).toBeChecked();
  await dialog.sendEmail.uncheck();
  await expect(dialog.sendEmail).not.toBeChecked();
  await expect(dialog.root).toContainText('No email is sent');
  await shot(page, testInfo, 'b1-invite-dialog-no-email');
  await dialog.submitButton.click();
  await expect(dialog.result(sam.email)).toHaveText(`${sam.email} — Invited`);
  await dialog.doneButton.click();
  await expect(dialog.root).toBeHidden();

  // The Invites tab straight from its address this time.
  await learners.goto('invites');
  await expect(learners.invitesTab).toHaveAttribute('aria-selected', 'true');
  await expect(learners.emailStatus(sam.email)).toHaveText('Not requested');
  await expect(learners.progress(sam.email)).toHaveText('Invited');
  await expect.soft(learners.panelContent, 'the Invites tab shows its table only').toHaveCount(1);
  await shot(page, testInfo, 'b2-invites-tab-not-requested');

  // Sam, told the academy link by word of mouth.
  const samPage = await newPage();
  const home = new AcademyHome(samPage, academy.slug);
  await home.goto();
  await expect(home.signUpSection).toBeVisible();
  await home.fillSignUp({ email: sam.email, firstName: sam.firstName, lastName: sam.lastName, password: `Sam-${id}-secret` });
  await shot(samPage, testInfo, 'b3-sign-up-filled');
  await home.signUpButton.click();
  await expect(home.heading).toHaveText(`Welcome, ${sam.firstName}`);
  await waitForHydration(samPage);
  await expect(samPage).toHaveURL((url) => url.pathname === home.path);
  await shot(samPage, testInfo, 'b4-learner-home');

  await page.reload();
  await waitForHydration(page);
  await expect(learners.progress(sam.email)).toHaveText('Has accepted invite');
  await expect(learners.emailStatus(sam.email)).toHaveText('Not requested');
  if (sinkDir) expect(await messagesTo(sam.email), 'no email to Sam').toHaveLength(0);
});

test('C: the invite dialog offers Learner-Admin only on the Business plan', async ({ page }, testInfo) => {
  const learners = await signInAsOwner(page);
  const dialog = await learners.openInviteDialog();
  await expect(dialog.role('Learner')).toBeChecked();
  await expect(dialog.role('Learner')).toBeEnabled();
  await expect(dialog.role('Learner-Analyst')).toBeEnabled();
  await expect(dialog.role('Learner-Admin')).toBeDisabled();
  await expect(dialog.roleLabel('Learner-Admin')).toContainText('Learner-Admin is available on the Business plan.');
  await expect(dialog.roleLabel('Learner-Analyst')).not.toContainText('available on');
  await expect(dialog.teams).toBeVisible();
  await shot(page, testInfo, 'c1-invite-dialog-plan');
  await dialog.closeButton.click();
  await expect(dialog.root).toBeHidden();
});

test('D: View as Learner shows the learner home with a banner and the academy link, and Exit goes back', async ({ page }, testInfo) => {
  await signInAsOwner(page);
  await page.getByTestId('view-as-learner').click();
  const home = new AcademyHome(page, academy.slug);
  await waitForPath(page, home.path);
  await waitForHydration(page);
  const banner = page.getByTestId('view-as-learner-banner');
  await expect(banner).toContainText('You are viewing as a learner.');
  await expect(banner.getByRole('button', { name: 'Copy academy link' })).toBeVisible();
  await expect(home.heading).toHaveText(`Welcome, ${academy.ownerName.split(' ')[0]}`);
  await expect(page.getByRole('link', { name: 'Learners & Teams' }), 'no admin navigation in learner view').toHaveCount(0);
  await shot(page, testInfo, 'd1-view-as-learner');

  await banner.getByRole('button', { name: 'Exit learner view' }).click();
  await waitForPath(page, `/a/${academy.slug}/admin/learners`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Manage Learners and Teams');
});
