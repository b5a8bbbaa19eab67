import type { Locator, Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { AcademyHome } from './pages/academy-home';
import { gotoHydrated, waitForPath } from './pages/hydration';
import { LoginPage } from './pages/login-page';
import { TeamsPage } from './pages/teams-page';

// Courses (named to run after foundation.spec.ts, which needs the empty database): the owner creates
// a published course for a team and a draft; a learner of that team sees the published one only.
// The academy: see own-academy.ts (COURSES_SLUG etc.).

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'COURSES');
});

/** `/a/{slug}/admin/courses`. */
class CoursesPage {
  readonly heading: Locator;
  readonly createButton: Locator;
  readonly form: Locator;
  readonly title: Locator;
  readonly description: Locator;
  readonly published: Locator;
  readonly submit: Locator;
  readonly notice: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.createButton = page.getByTestId('create-course-button');
    this.form = page.getByTestId('new-course');
    this.title = this.form.getByLabel('Title', { exact: true });
    this.description = this.form.getByLabel(/^Description/);
    this.published = this.form.getByRole('checkbox', { name: /^Published/ });
    this.submit = this.form.getByRole('button', { name: 'Create course' });
    this.notice = page.getByTestId('courses-notice');
  }

  audience(name: 'Everyone in the academy' | 'Only these teams'): Locator {
    return this.form.getByRole('radio', { name: new RegExp(`^${name}`) });
  }

  row(title: string): Locator {
    return this.page.locator(`tr[data-testid="course-row"][data-title="${title}"]`);
  }
}

test('G: a published course for a team and a draft; the team\'s learner sees the published one only', async ({ page, newPage }, testInfo) => {
  // Unique titles only when the academy is reused between runs (COURSES_SLUG).
  const suffix = process.env.COURSES_SLUG ? ` ${id}` : '';
  const teamName = `Warehouse${suffix}`;
  const published = `Forklift safety basics${suffix}`;
  const draft = `Returns and refunds${suffix}`;
  const wes = { email: `wes-${id}@example.test`, firstName: 'Wes', lastName: 'Walker', password: `Wes-${id}-secret` };

  // The team, and Wes in it (invited without email; he signs up at the academy link).
  const learners = await signInAsOwner(page, academy);
  const teams = new TeamsPage(page, academy.slug);
  await teams.goto();
  await teams.create(teamName, 'Ochre');
  await expect(teams.row(teamName)).toBeVisible();
  await learners.goto();
  const invite = await learners.openInviteDialog();
  await invite.fillPeople([wes]);
  await invite.teams.getByRole('checkbox', { name: teamName }).check();
  await invite.sendEmail.uncheck();
  await invite.submitButton.click();
  await expect(invite.result(wes.email)).toHaveText(`${wes.email} — Invited`);
  await invite.doneButton.click();
  const wesFirst = await newPage();
  const home = new AcademyHome(wesFirst, academy.slug);
  await home.goto();
  await home.fillSignUp(wes);
  await home.signUpButton.click();
  await expect(home.heading).toHaveText(`Welcome, ${wes.firstName}`);
  await expect(wesFirst.getByTestId('my-courses-empty')).toHaveText(/No courses yet — your admin will add them here/);

  // The Courses section, from the admin menu: empty at first, and it says what to do.
  await page.getByRole('link', { name: 'Courses', exact: true }).click();
  await waitForPath(page, `/a/${academy.slug}/admin/courses`);
  const courses = new CoursesPage(page);
  await expect(courses.heading).toHaveText('Courses');
  await expect(page.getByTestId('courses-empty')).toContainText('Use "Create course"');

  // A published course for the team.
  await courses.createButton.click();
  await expect(courses.title).toBeFocused();
  await courses.title.fill(published);
  await courses.description.fill('How to drive, load and park a forklift safely.\nAbout 20 minutes, with a short quiz at the end.');
  await courses.audience('Only these teams').check();
  await courses.form.getByRole('checkbox', { name: teamName }).check();
  await courses.published.check();
  await courses.submit.click();
  await expect(courses.notice).toHaveText(`Course "${published}" created and published.`);
  await expect(courses.row(published).getByTestId('course-status')).toHaveText('Published');
  await expect(courses.row(published).getByTestId('team-badge')).toHaveText(teamName);

  // A draft for everyone, from the keyboard; the same title in another case is refused at its field.
  await courses.createButton.click();
  await courses.title.fill(published.toUpperCase());
  await courses.title.press('Enter');
  await expect(courses.form.locator('.field-error')).toHaveText(/^A course titled ".*" already exists in this academy/);
  await expect(courses.title).toHaveAttribute('aria-invalid', 'true');
  await courses.title.fill(draft);
  await courses.description.fill('When a customer may return an order, and how refunds reach them.');
  await courses.title.press('Enter');
  await expect(courses.notice).toHaveText(`Course "${draft}" created and saved as a draft.`);
  await expect(courses.row(draft).getByTestId('course-status')).toHaveText('Draft');
  await expect(courses.row(draft).getByTestId('course-everyone')).toHaveText('Everyone');
  await shot(page, testInfo, 'g1-courses-admin-list');

  // The course page: the form with its values and the learner's card.
  await courses.row(published).getByRole('link', { name: published, exact: true }).click();
  await page.waitForURL((url) => /\/admin\/courses\/\d+$/.test(url.pathname));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(published);
  await expect(page.getByTestId('course').getByLabel('Title', { exact: true })).toHaveValue(published);
  await expect(page.getByTestId('course-card')).toContainText('About 20 minutes');
  await shot(page, testInfo, 'g2-course-page');

  // Wes signs in at another computer: the published course of his team, not the draft.
  const wesPage = await newPage();
  const login = new LoginPage(wesPage, academy.slug);
  await login.goto();
  await login.signIn(wes.email, wes.password);
  await waitForPath(wesPage, `/a/${academy.slug}`);
  const cards = wesPage.getByTestId('course-card');
  await expect(cards).toHaveCount(1);
  await expect(cards.getByRole('heading')).toHaveText(published);
  await expect(cards).toContainText('How to drive, load and park a forklift safely.');
  await expect(wesPage.getByText(draft)).toHaveCount(0);
  await shot(wesPage, testInfo, 'g3-learner-home-courses');

  // Unpublished, it is gone from his home.
  await gotoHydrated(page, `/a/${academy.slug}/admin/courses`);
  await courses.row(published).getByRole('button', { name: `Unpublish course ${published}` }).click();
  await expect(courses.row(published).getByTestId('course-status')).toHaveText('Draft');
  await wesPage.reload();
  await expect(wesPage.getByTestId('my-courses-empty')).toBeVisible();
});
