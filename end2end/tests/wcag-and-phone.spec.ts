import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { gotoHydrated, waitForHydration } from './pages/hydration';

// (Named to run after foundation.spec.ts, which needs the empty database at `/`.)
// Every screen passes axe-core's WCAG 2.1 A/AA rules with no serious or critical violation, and
// the learner's pages and the admin's learners page fit a phone (390×844): no sideways scroll,
// nothing outside the screen, the user menu's "Sign out" on it.

let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'WCAG');
});

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now, one line each. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`));
}

async function post(page: Page, fn: string, body: object, json = true) {
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const res = await page.request.post(`/api/${fn}`, {
    headers: { Origin: origin, Accept: 'application/json' },
    ...(json ? { data: body } : { form: body as Record<string, string> }),
  });
  expect(res.status(), `${fn}: ${await res.text()}`).toBe(200);
  return res.json();
}

/** An academy with a team, a course, a learner who joined and one still invited; returns the
 *  invitation link of the one still invited. */
async function furnish(page: Page): Promise<{ teamId: number; courseId: number; link: string; learner: { email: string; password: string } }> {
  await signInAsOwner(page, academy);
  const tag = uniqueId();
  const team = await post(page, 'create_team', { name: `Phones ${tag}`, color: '#6a3fa0' }, false);
  const course = await post(page, 'create_course', {
    course: { title: `Welcome course ${tag}`, description: 'Start here.', published: true, for_everyone: true, team_ids: [] },
  });
  const people = [
    { email: `wren-${tag}@example.test`, first_name: 'Wren', last_name: 'Wide' },
    { email: `nell-${tag}@example.test`, first_name: 'Nell', last_name: 'Narrow' },
  ];
  const results = await post(page, 'invite_learners', { people, role: 'learner', team_ids: [team.id], send_email: false });
  const [wren, nell] = results.map((r: { outcome: { invite_id: number } }) => r.outcome.invite_id);
  const wrenLink: string = await post(page, 'invite_link', { invite_id: String(wren) }, false);
  const link: string = await post(page, 'invite_link', { invite_id: String(nell) }, false);
  // Wren joins, so there is a learner with a home page.
  const password = `phone-password-${tag}`;
  const joining = await page.context().browser()!.newPage({ baseURL: test.info().project.use.baseURL });
  await gotoHydrated(joining, new URL(wrenLink).pathname);
  await joining.getByLabel('Password', { exact: true }).fill(password);
  await joining.getByRole('button', { name: 'Join the academy' }).click();
  await joining.waitForURL((url) => url.pathname === `/a/${academy.slug}`);
  await joining.close();
  return { teamId: team.id, courseId: course.id, link: new URL(link).pathname, learner: { email: people[0].email, password } };
}

test('every screen has no serious or critical WCAG 2.1 A/AA violation (axe-core)', async ({ page, newPage }, testInfo) => {
  const { teamId, courseId, link, learner } = await furnish(page);
  const a = `/a/${academy.slug}`;
  const found: string[] = [];
  const check = async (p: Page, what: string) => {
    for (const v of await violations(p)) found.push(`${what}: ${v}`);
  };
  const adminPages = [
    `${a}/admin/learners`,
    `${a}/admin/learners?tab=invites`,
    `${a}/admin/learners?tab=requests`,
    `${a}/admin/teams`,
    `${a}/admin/teams/${teamId}`,
    `${a}/admin/teams/${teamId}?tab=invites`,
    `${a}/admin/courses`,
    `${a}/admin/courses/${courseId}`,
    `${a}/admin/statistics`,
    `${a}/admin/settings`,
    `${a}/admin/settings?tab=api`,
    `${a}/admin/settings?tab=webhooks`,
    `${a}/admin/settings?tab=admins`,
    `${a}/admin/audit`,
    `${a}/account`,
  ];
  for (const path of adminPages) {
    await gotoHydrated(page, path);
    await check(page, path);
  }
  // A learner's page, opened from All Learners.
  await gotoHydrated(page, `${a}/admin/learners`);
  await page.getByRole('link', { name: 'Wren Wide' }).first().click();
  await page.waitForURL((url) => /\/admin\/learners\/\d+$/.test(url.pathname));
  await waitForHydration(page);
  await expect(page.getByTestId('learner-name')).toHaveText('Wren Wide');
  await check(page, 'a learner page');
  // The open dialogs.
  await gotoHydrated(page, `${a}/admin/learners`);
  await page.getByRole('button', { name: 'Invite Learners', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Invite Learners' })).toBeVisible();
  await check(page, 'the Invite Learners dialog');
  await page.getByRole('tab', { name: 'Upload CSV File' }).click();
  await check(page, 'the Upload CSV File tab');
  await page.keyboard.press('Escape');
  await gotoHydrated(page, `${a}/admin/learners?tab=invites`);
  await page.getByRole('button', { name: /^Revoke the invitation of/ }).first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check(page, 'the revoke confirmation');
  await page.keyboard.press('Escape');
  // A selection: the bulk bar, and its confirmation.
  await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
  await expect(page.getByTestId('bulk-bar')).toBeVisible();
  await check(page, 'the bulk action bar');
  await page.getByTestId('bulk-bar').getByRole('combobox').selectOption({ label: 'Resend' });
  await page.getByRole('button', { name: 'Apply…' }).click();
  await expect(page.getByRole('dialog', { name: /^Resend \d+ invitations?\?$/ })).toBeVisible();
  await check(page, 'the bulk confirmation');
  await page.keyboard.press('Escape');

  // Signed out, and as the learner.
  const visitor = await newPage();
  for (const path of [a, `${a}/login`, `${a}/forgot`, link]) {
    await gotoHydrated(visitor, path);
    await check(visitor, `${path} (signed out)`);
  }
  await gotoHydrated(visitor, `${a}/login`);
  await visitor.getByLabel('Email').fill(learner.email);
  await visitor.getByLabel('Password', { exact: true }).fill(learner.password);
  await visitor.getByRole('button', { name: 'Sign in' }).click();
  await visitor.waitForURL((url) => url.pathname === a);
  for (const path of [a, `${a}/account`]) {
    await gotoHydrated(visitor, path);
    await check(visitor, `${path} (learner)`);
  }
  await shot(visitor, testInfo, 'wcag-learner-home');
  expect(found, 'serious or critical axe-core violations').toEqual([]);
});

/** What sticks out of a 390 px wide page: the page's own sideways scroll, and every visible
 *  element outside the screen that no scrolling box of its own holds. */
async function outsideTheScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width + 1) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide`);
    const scrolls = (el: Element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      let held = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (scrolls(p)) {
          held = true;
          break;
        }
      }
      if (held) continue;
      if (r.left < -1 || r.right > width + 1) {
        const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : '');
        out.push(`${name} "${(el.textContent ?? '').trim().slice(0, 40)}" spans ${Math.round(r.left)}..${Math.round(r.right)}px`);
      }
    }
    return out;
  });
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the learner pages and the admin learners page fit a 390×844 screen, the user menu included', async ({ page, newPage }, testInfo) => {
    const { link, learner } = await furnish(page);
    const a = `/a/${academy.slug}`;
    const found: string[] = [];
    const look = async (p: Page, what: string, name: string) => {
      for (const o of await outsideTheScreen(p)) found.push(`${what}: ${o}`);
      await shot(p, testInfo, name);
    };
    for (const [path, name] of [
      [`${a}/admin/learners`, 'phone-admin-learners'],
      [`${a}/admin/learners?tab=invites`, 'phone-admin-invites'],
      [`${a}/admin/teams`, 'phone-admin-teams'],
      [`${a}/admin/statistics`, 'phone-admin-statistics'],
      [`${a}/admin/audit`, 'phone-admin-audit'],
      [`${a}/admin/settings`, 'phone-admin-settings'],
    ]) {
      await gotoHydrated(page, path);
      await look(page, path, name);
    }
    // The bulk bar, with a selection.
    await gotoHydrated(page, `${a}/admin/learners?tab=invites`);
    await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
    await expect(page.getByTestId('bulk-bar')).toBeVisible();
    await look(page, 'the bulk action bar', 'phone-bulk-bar');
    // A learner's page, from the list.
    await gotoHydrated(page, `${a}/admin/learners`);
    await page.getByRole('link', { name: 'Wren Wide' }).first().click();
    await page.waitForURL((url) => /\/admin\/learners\/\d+$/.test(url.pathname));
    await waitForHydration(page);
    await look(page, "a learner's page", 'phone-learner-page');
    // The user menu opens on the screen, "Sign out" included.
    await page.getByTestId('user-menu').click();
    const signOut = page.getByRole('button', { name: 'Sign out' }).or(page.getByRole('link', { name: 'Sign out' }));
    await expect(signOut).toBeVisible();
    const box = (await signOut.boundingBox())!;
    expect(box.x, 'Sign out starts on the screen').toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, 'Sign out ends on the screen').toBeLessThanOrEqual(390);
    await look(page, 'the open user menu', 'phone-user-menu');

    const visitor = await newPage();
    await visitor.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      [a, 'phone-academy-home'],
      [`${a}/login`, 'phone-login'],
      [`${a}/forgot`, 'phone-forgot'],
      [link, 'phone-join'],
    ]) {
      await gotoHydrated(visitor, path);
      await look(visitor, `${path} (signed out)`, name);
    }
    await gotoHydrated(visitor, `${a}/login`);
    await visitor.getByLabel('Email').fill(learner.email);
    await visitor.getByLabel('Password', { exact: true }).fill(learner.password);
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await visitor.waitForURL((url) => url.pathname === a);
    for (const [path, name] of [
      [a, 'phone-learner-home'],
      [`${a}/account`, 'phone-learner-account'],
    ]) {
      await gotoHydrated(visitor, path);
      await look(visitor, `${path} (learner)`, name);
    }
    expect(found, 'nothing outside a 390 px screen').toEqual([]);
  });
});
