import { expect, test, uniqueId } from './fixtures';
import { joinLink, sinkDir, waitForMessageTo } from './mail';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { AcademyHome } from './pages/academy-home';
import { gotoHydrated, waitForHydration, waitForPath } from './pages/hydration';
import { JoinPage } from './pages/join-page';
import type { Invitee } from './pages/learners-page';
import { TeamPage, TeamsPage } from './pages/teams-page';

// Teams: creating one, inviting straight into it, the learner moving from "Invites in team" to
// "Learners in team" when they register, adding registered learners, and deleting a team.
// The academy: see own-academy.ts (TEAMS_SLUG etc.).

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'TEAMS');
});

test('E: create a team, invite to it by email; the learner registers from the link and is in the team', async ({ page, newPage }, testInfo) => {
  test.skip(!sinkDir, 'needs SMTP_SINK_DIR, the folder `smtp-sink -d` writes to (.ci/test.sh sets it)');
  const teamName = `Field Sales ${id}`;
  const tia: Invitee = { email: `tia-${id}@example.test`, firstName: 'Tia', lastName: 'Tanaka' };

  const learners = await signInAsOwner(page, academy);
  await learners.teamsTab.click();
  const teams = new TeamsPage(page, academy.slug);
  await waitForPath(page, teams.path());
  await expect(teams.teamsTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: 'No teams yet' })).toBeVisible();
  await teams.create(teamName, 'Purple');
  await expect(teams.notice).toHaveText(`Team "${teamName}" created.`);
  await expect(teams.row(teamName)).toBeVisible();
  await expect(teams.row(teamName).getByTestId('learners-count')).toHaveText('0');
  await expect(teams.row(teamName).getByTestId('invites-count')).toHaveText('0');
  // The badge wears the chosen colour.
  await expect(teams.row(teamName).getByTestId('team-badge')).toHaveCSS('background-color', 'rgb(106, 63, 160)');
  await shot(page, testInfo, 'e1-teams-list');

  // The same name in another case is refused, by name.
  await teams.create(teamName.toUpperCase(), 'Blue');
  await expect(teams.createForm).toContainText(`A team named "${teamName.toUpperCase()}" already exists`);
  await page.getByRole('button', { name: 'Cancel' }).click();

  await teams.row(teamName).getByRole('link', { name: 'Open', exact: true }).click();
  const team = new TeamPage(page);
  await page.waitForURL((url) => /\/admin\/teams\/\d+$/.test(url.pathname));
  await waitForHydration(page);
  await expect(team.title).toHaveText(teamName);
  await expect(team.counts).toHaveText('0 learners · 0 pending invites');
  await expect(page.getByRole('heading', { name: 'No learners in this team yet' })).toBeVisible();
  await expect(team.apiId).toHaveText(/^\d+$/);
  expect(page.url()).toContain(`/teams/${await team.apiId.textContent()}`);

  const dialog = await team.openInviteDialog();
  await expect(dialog.teams.getByRole('checkbox', { name: teamName })).toBeChecked();
  await expect(dialog.sendEmail).toBeChecked();
  await dialog.fillPeople([tia]);
  await shot(page, testInfo, 'e2-invite-to-team');
  await dialog.submitButton.click();
  await expect(dialog.result(tia.email)).toHaveText(`${tia.email} — Invited`);
  await dialog.doneButton.click();
  await expect(dialog.root).toBeHidden();
  await expect(team.counts).toHaveText('0 learners · 1 pending invite');

  await team.invitesInTeamTab.click();
  await page.waitForURL((url) => url.searchParams.get('tab') === 'invites');
  await expect(team.invite(tia.email)).toContainText(teamName);
  await expect(team.invite(tia.email).getByTestId('email-status')).toHaveText('Email Sent', { timeout: 30_000 });
  await expect(team.invite(tia.email).getByTestId('progress')).toHaveText('Invited');
  await shot(page, testInfo, 'e3-invites-in-team');

  // Tia, at her own computer, from the emailed link.
  const message = await waitForMessageTo(tia.email);
  const tiaPage = await newPage();
  await gotoHydrated(tiaPage, joinLink(message, academy.slug));
  const join = new JoinPage(tiaPage);
  await expect(join.email).toHaveValue(tia.email);
  await join.join(`Tia-${id}-secret`);
  const home = new AcademyHome(tiaPage, academy.slug);
  await waitForPath(tiaPage, home.path);
  await expect(home.heading).toHaveText(`Welcome, ${tia.firstName}`);
  await expect(tiaPage.getByText(teamName)).toBeVisible();

  // The admin's team page: she left "Invites in team" and is in "Learners in team".
  await page.reload();
  await waitForHydration(page);
  await expect(team.counts).toHaveText('1 learner · 0 pending invites');
  await expect(page.getByRole('heading', { name: 'No pending invites in this team' })).toBeVisible();
  await team.learnersInTeamTab.click();
  await page.waitForURL((url) => !url.searchParams.has('tab'));
  await expect(team.member(tia.email)).toContainText(`${tia.firstName} ${tia.lastName}`);
  await expect(team.member(tia.email)).toContainText('Learner');
  await shot(page, testInfo, 'e4-team-page-learner-in-team');

  // All Learners shows her team as a badge.
  await learners.goto();
  await expect(learners.learnerTeams(tia.email)).toHaveText([teamName]);
});

test('F: add a registered learner to a team, take her out again from All Learners, rename and delete the team', async ({ page, newPage }, testInfo) => {
  const teamName = `Support ${id}`;
  const ria: Invitee = { email: `ria-${id}@example.test`, firstName: 'Ria', lastName: 'Rossi' };

  // Ria registered earlier without any team (invited without email, signed up at the academy link).
  const learners = await signInAsOwner(page, academy);
  const invite = await learners.openInviteDialog();
  await invite.fillPeople([ria]);
  await invite.sendEmail.uncheck();
  await invite.submitButton.click();
  await expect(invite.result(ria.email)).toHaveText(`${ria.email} — Invited`);
  await invite.doneButton.click();
  const riaPage = await newPage();
  const home = new AcademyHome(riaPage, academy.slug);
  await home.goto();
  await home.fillSignUp({ email: ria.email, firstName: ria.firstName, lastName: ria.lastName, password: `Ria-${id}-secret` });
  await home.signUpButton.click();
  await expect(home.heading).toHaveText(`Welcome, ${ria.firstName}`);

  const teams = new TeamsPage(page, academy.slug);
  await teams.goto();
  await teams.create(teamName, 'Teal');
  await teams.row(teamName).getByRole('link', { name: 'Open', exact: true }).click();
  await page.waitForURL((url) => /\/admin\/teams\/\d+$/.test(url.pathname));
  await waitForHydration(page);
  const team = new TeamPage(page);
  await expect(team.title).toHaveText(teamName);

  await team.addLearnersButton.click();
  await page.getByRole('searchbox', { name: 'Search learners to add' }).fill('ria-');
  await team.candidates.getByRole('checkbox', { name: new RegExp(`${ria.firstName} ${ria.lastName}`) }).check();
  await shot(page, testInfo, 'f1-add-learners');
  await page.getByRole('button', { name: 'Add 1 learner' }).click();
  await expect(page.getByTestId('members-notice')).toHaveText('Added 1 learner to the team.');
  await expect(team.member(ria.email)).toBeVisible();
  await expect(team.counts).toHaveText('1 learner · 0 pending invites');

  // On All Learners her row shows the team; its × takes her out of it.
  await learners.goto();
  await expect(learners.learnerTeams(ria.email)).toHaveText([teamName]);
  await learners.learnerRow(ria.email).getByRole('button', { name: `Remove ${ria.firstName} ${ria.lastName} from ${teamName}` }).click();
  await expect(learners.learnerTeams(ria.email)).toHaveCount(0);
  // …and its "+ Team" picker puts her back.
  await learners.learnerRow(ria.email).getByRole('combobox', { name: `Add ${ria.firstName} ${ria.lastName} to a team` }).selectOption({ label: teamName });
  await expect(learners.learnerTeams(ria.email)).toHaveText([teamName]);
  await shot(page, testInfo, 'f2-all-learners-team-badges');

  // Rename, then delete with a confirmation that says what happens to her.
  await teams.goto();
  await teams.row(teamName).getByRole('link', { name: 'Open', exact: true }).click();
  await page.waitForURL((url) => /\/admin\/teams\/\d+$/.test(url.pathname));
  await waitForHydration(page);
  const renamed = `${teamName} Desk`;
  await team.settingsForm.getByLabel('Team name').fill(renamed);
  await team.settingsForm.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`Saved: the team is now "${renamed}".`)).toBeVisible();
  await expect(team.title).toHaveText(renamed);
  await page.getByRole('button', { name: 'Delete team…' }).click();
  const confirm = page.getByRole('dialog', { name: `Delete team "${renamed}"?` });
  await expect(confirm).toContainText('Its 1 learner stays in the academy.');
  await shot(page, testInfo, 'f3-delete-team-confirmation');
  await confirm.getByRole('button', { name: 'Yes, delete team' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Team deleted');
  await expect(page.getByRole('status')).toContainText(`Team "${renamed}" deleted.`);
  await page.getByRole('link', { name: 'Back to all teams' }).click();
  await waitForPath(page, teams.path());
  await expect(teams.row(renamed)).toHaveCount(0);
  await learners.goto();
  await expect(learners.learnerRow(ria.email), 'she stays in the academy').toBeVisible();
  await expect(learners.learnerTeams(ria.email)).toHaveCount(0);
});
