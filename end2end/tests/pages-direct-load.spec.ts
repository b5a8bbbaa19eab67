import { expect, test } from './fixtures';
import { type Academy, ownAcademy, signInAsOwner } from './own-academy';
import { gotoHydrated } from './pages/hydration';

// (Named to run after foundation.spec.ts, which creates the first academy through `/`.)
// Every admin page opened directly (a reload, a bookmark, a link in an email) is rendered by the
// server with its data and then hydrates without an error in the console (the fixture fails the
// test on any). Pages reached only by clicking never exercise that path.

let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'DIRECT');
});

test('every admin page opened directly hydrates, with its data from the server', async ({ page }, testInfo) => {
  await signInAsOwner(page, academy);
  const headers = { Origin: new URL(testInfo.project.use.baseURL!).origin, Accept: 'application/json' };
  const team = await (await page.request.post('/api/create_team', { headers, form: { name: 'Direct Team', color: '#6a3fa0' } })).json();
  const course = await (
    await page.request.post('/api/create_course', {
      headers,
      data: { course: { title: 'Direct Course', description: '', published: false, for_everyone: true, team_ids: [] } },
    })
  ).json();
  const a = `/a/${academy.slug}`;
  const pages: [string, string][] = [
    [`${a}/admin/learners`, 'Manage Learners and Teams'],
    [`${a}/admin/learners?tab=invites`, 'Manage Learners and Teams'],
    [`${a}/admin/learners?tab=requests`, 'Manage Learners and Teams'],
    [`${a}/admin/teams`, 'Direct Team'],
    [`${a}/admin/teams/${team.id}`, 'Direct Team'],
    [`${a}/admin/teams/${team.id}?tab=invites`, 'Direct Team'],
    [`${a}/admin/courses`, 'Direct Course'],
    [`${a}/admin/courses/${course.id}`, 'Direct Course'],
    [`${a}/admin/statistics`, 'Statistics'],
    [`${a}/admin/settings`, 'Settings'],
    [`${a}/admin/audit`, 'Audit log'],
    [`${a}/account`, 'Your account'],
  ];
  for (const [path, text] of pages) {
    await gotoHydrated(page, path);
    await expect(page.locator('main').first(), path).toContainText(text);
    await expect(page.locator('.loading'), path).toHaveCount(0);
  }
});
