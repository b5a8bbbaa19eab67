import type { Locator, Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { sinkDir, waitForMessageTo } from './mail';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { AcademyHome } from './pages/academy-home';
import { gotoHydrated, waitForHydration } from './pages/hydration';
import type { Invitee, LearnerRole } from './pages/learners-page';
import { TeamsPage } from './pages/teams-page';

// Statistics: an owner invites people into a team; a Learner-Analyst sees "Statistics" (and not
// "Learners & Teams" or "Invite Learners"), the funnel and the sign-ups chart, filters by the team
// in a URL that survives a reload, exports the CSV and gets a clear error for a backwards range.
// A plain Learner sees neither Statistics nor Invite, and the statistics URL sends them home.
// The academy: see own-academy.ts (STATISTICS_SLUG etc.).

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'STATISTICS');
});

/** `/a/{slug}/admin/statistics`. */
class StatisticsPage {
  readonly heading: Locator;
  readonly scope: Locator;
  readonly team: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly show: Locator;
  readonly filterErrors: Locator;
  readonly chart: Locator;
  readonly exportButton: Locator;

  constructor(
    private readonly page: Page,
    readonly slug: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.scope = page.getByTestId('stats-scope');
    this.team = page.getByLabel('Team', { exact: true });
    this.from = page.getByLabel('From', { exact: true });
    this.to = page.getByLabel('To', { exact: true });
    this.show = page.getByRole('button', { name: 'Show', exact: true });
    this.filterErrors = page.getByTestId('stats-filter-errors');
    this.chart = page.getByRole('img', { name: /^Sign-ups per day/ });
    this.exportButton = page.getByRole('button', { name: 'Export CSV' });
  }

  get path() {
    return `/a/${this.slug}/admin/statistics`;
  }

  async goto(query = '') {
    return gotoHydrated(this.page, `${this.path}${query}`);
  }

  card(name: 'invited' | 'accepted' | 'rate' | 'median' | 'failed' | 'signups'): Locator {
    return this.page.getByTestId(`stat-${name}`).locator('.stat-value');
  }

  funnelCount(step: 'Invited' | 'Email sent' | 'Accepted'): Locator {
    return this.page.locator(`.funnel-step[data-step="${step}"] .funnel-count`);
  }

  teamRow(name: string): Locator {
    return this.page.getByTestId('teams-stats-table').locator(`tr[data-team="${name}"]`);
  }
}

async function invite(page: Page, learners: Awaited<ReturnType<typeof signInAsOwner>>, person: Invitee, role: LearnerRole, team: string | null, email: boolean) {
  const dialog = await learners.openInviteDialog();
  await dialog.fillPeople([person]);
  await dialog.role(role).check();
  if (team) await dialog.teams.getByRole('checkbox', { name: team }).check();
  if (!email) await dialog.sendEmail.uncheck();
  await dialog.submitButton.click();
  await expect(dialog.result(person.email)).toHaveText(`${person.email} — Invited`);
  await dialog.doneButton.click();
  await expect(dialog.root).toBeHidden();
}

/** Signs `person` up at the academy link (they were invited, so any password works). */
async function signUp(page: Page, person: Invitee, password: string) {
  const home = new AcademyHome(page, academy.slug);
  await home.goto();
  await home.fillSignUp({ ...person, password });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/sign_up')),
    home.signUpButton.click(),
  ]);
  expect(response.status(), "sign_up answered").toBe(200);
  // Signed in: the page loads again where the person belongs, without the sign-up form.
  await expect(home.signUpSection).toHaveCount(0);
  await waitForHydration(page);
}

/** `YYYY-MM-DD` + `days`. */
function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

test('S: a Learner-Analyst sees the funnel and the sign-ups chart, filters by team in the URL and exports the CSV; a Learner sees neither', async ({ page, newPage }, testInfo) => {
  const teamName = `Sales ${id}`;
  const ana: Invitee = { email: `ana-${id}@example.test`, firstName: 'Ana', lastName: 'Alves' };
  const pat: Invitee = { email: `pat-${id}@example.test`, firstName: 'Pat', lastName: 'Park' };
  const lea: Invitee = { email: `lea-${id}@example.test`, firstName: 'Lea', lastName: 'Lund' };

  // The owner makes a team and invites Ana (Learner-Analyst) and Pat into it, Lea without one.
  const learners = await signInAsOwner(page, academy);
  await learners.teamsTab.click();
  const teams = new TeamsPage(page, academy.slug);
  await page.waitForURL((url) => url.pathname === teams.path());
  await waitForHydration(page);
  await teams.create(teamName, 'Teal');
  await expect(teams.row(teamName)).toBeVisible();
  await learners.goto();
  await invite(page, learners, ana, 'Learner-Analyst', teamName, false);
  // Pat's invitation goes by email when there is a mail server to take it (.ci/test.sh has one).
  await invite(page, learners, pat, 'Learner', teamName, !!sinkDir);
  await invite(page, learners, lea, 'Learner', null, false);

  const anaPage = await newPage();
  await signUp(anaPage, ana, `Ana-${id}-secret`);
  const leaPage = await newPage();
  await signUp(leaPage, lea, `Lea-${id}-secret`);
  if (sinkDir) await waitForMessageTo(pat.email);

  // Ana: "Statistics" in the menu, no "Learners & Teams" and no "Invite Learners".
  const stats = new StatisticsPage(anaPage, academy.slug);
  await stats.goto();
  await expect(stats.heading).toHaveText('Statistics');
  await expect(anaPage.getByRole('link', { name: 'Statistics', exact: true })).toBeVisible();
  await expect(anaPage.getByRole('link', { name: 'Learners & Teams' })).toHaveCount(0);
  await expect(anaPage.getByRole('button', { name: 'Invite Learners' })).toHaveCount(0);
  // The last 30 days by default, all teams; the chart is drawn with its axes.
  await expect(stats.scope).toContainText('All teams · days in UTC');
  await expect(stats.chart).toBeVisible();
  await expect(stats.chart).toHaveAttribute('aria-label', /in all; most on /);
  const dates = anaPage.locator('[data-testid="signups-chart"] .chart-date');
  expect(await dates.count()).toBeGreaterThanOrEqual(4);
  await expect(dates.first()).toBeVisible();
  await expect(dates.first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2}$/);
  await expect(anaPage.locator('[data-testid="signups-chart"] .chart-label', { hasText: /^0$/ })).toBeVisible();
  await expect(anaPage.locator('[data-testid="signups-chart"] rect.chart-bar')).toHaveCount(30);
  const to = await stats.to.inputValue();
  expect(await stats.from.inputValue()).toBe(addDays(to, -29));

  // One team: Ana and Pat were invited into it, Ana joined.
  await stats.team.selectOption({ label: teamName });
  await stats.show.click();
  await anaPage.waitForURL((url) => url.searchParams.has('team') && url.searchParams.get('to') === to);
  await expect(stats.scope).toContainText(teamName);
  await expect(stats.card('invited')).toHaveText('2');
  await expect(stats.card('accepted')).toHaveText('1');
  await expect(stats.card('rate')).toHaveText('50%');
  await expect(stats.card('signups')).toHaveText('1');
  await expect(stats.funnelCount('Invited')).toHaveText('2');
  await expect(stats.funnelCount('Accepted')).toHaveText('1');
  await expect(stats.teamRow(teamName).getByTestId('team-learners')).toHaveText('1');
  await expect(stats.teamRow(teamName).getByTestId('team-pending')).toHaveText('1');
  if (sinkDir) {
    // Pat's email reached the mail server: the funnel's middle step counts it.
    await expect(async () => {
      await anaPage.reload();
      await waitForHydration(anaPage);
      await expect(stats.funnelCount('Email sent')).toHaveText('1', { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
  }
  // The filtered view survives a reload: it lives in the URL.
  await anaPage.reload();
  await waitForHydration(anaPage);
  await expect(stats.team.locator('option:checked')).toHaveText(teamName);
  await expect(stats.card('invited')).toHaveText('2');
  await expect(stats.chart).toBeVisible();
  await shot(anaPage, testInfo, 's1-statistics-team');

  // The CSV of what is shown, named for the academy, the dates and the team.
  const [download] = await Promise.all([anaPage.waitForEvent('download'), stats.exportButton.click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${academy.slug}-statistics-${addDays(to, -29)}-to-${to}-team-\\d+\\.csv$`));

  // A backwards range is refused, naming the field; the presets are gone with the numbers, and a
  // link offers the default again.
  await stats.from.fill(addDays(to, 1));
  await stats.show.click();
  await expect(stats.filterErrors).toContainText(/^From \(.+\) is after To \(.+\)\. Choose a start date on or before the end date\.$/);
  await expect(stats.from).toHaveAttribute('aria-invalid', 'true');
  await shot(anaPage, testInfo, 's2-statistics-bad-range');
  await anaPage.getByRole('link', { name: 'Show the last 30 days' }).click();
  await expect(stats.chart).toBeVisible();
  await expect(stats.filterErrors).toBeEmpty();

  // All teams again, for the picture of the whole academy.
  await stats.goto();
  await expect(stats.chart).toBeVisible();
  await shot(anaPage, testInfo, 's3-statistics-all-teams');

  // Lea, a plain Learner: no Statistics, no Invite; the statistics URL sends her home.
  const home = new AcademyHome(leaPage, academy.slug);
  await home.goto();
  await expect(home.heading).toHaveText(`Welcome, ${lea.firstName}`);
  await expect(leaPage.getByRole('link', { name: 'Statistics', exact: true })).toHaveCount(0);
  await expect(leaPage.getByRole('button', { name: /Invite/ })).toHaveCount(0);
  await leaPage.goto(stats.path);
  await leaPage.waitForURL((url) => url.pathname === home.path);
  await waitForHydration(leaPage);
  await expect(home.heading).toHaveText(`Welcome, ${lea.firstName}`);
});
