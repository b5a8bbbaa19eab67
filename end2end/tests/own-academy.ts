import { execFileSync } from 'node:child_process';
import type { Browser, Page, TestInfo } from '@playwright/test';
import { expect, uniqueId } from './fixtures';
import { waitForPath } from './pages/hydration';
import { LearnersPage } from './pages/learners-page';
import { LoginPage } from './pages/login-page';
import { SetupPage } from './pages/setup-page';

// Spec files that need an academy of their own, signed in as its owner. foundation.spec.ts (which
// runs first) creates the first academy through the setup form at `/`, so the others cannot; each
// takes the first that applies (PREFIX is the spec's, e.g. INVITES or TEAMS):
//  1. PREFIX_SLUG set: an academy created beforehand (e.g. with `shoal academy create`), signed
//     in with PREFIX_EMAIL / PREFIX_PASSWORD;
//  2. SHOAL_CLI set (.ci/test.sh passes a script running the server's CLI on its database): a new
//     academy, created with `academy create`;
//  3. `/` still offers the setup form (the spec run alone on an empty database): a new academy
//     created through the form;
//  4. otherwise the defaults of 1: e2e-<prefix>, ivy@example.test, ivy-password-2026.

export type Academy = { slug: string; name: string; ownerName: string; email: string; password: string };

function fromEnv(prefix: string): Academy {
  const lower = prefix.toLowerCase();
  return {
    slug: process.env[`${prefix}_SLUG`] ?? `e2e-${lower}`,
    name: process.env[`${prefix}_NAME`] ?? `${prefix[0]}${lower.slice(1)} Academy`,
    ownerName: 'Ivy Owner',
    email: process.env[`${prefix}_EMAIL`] ?? 'ivy@example.test',
    password: process.env[`${prefix}_PASSWORD`] ?? 'ivy-password-2026',
  };
}

export async function ownAcademy(browser: Browser, testInfo: TestInfo, prefix: string): Promise<Academy> {
  if (process.env[`${prefix}_SLUG`]) return fromEnv(prefix);
  const id = uniqueId();
  const lower = prefix.toLowerCase();
  const fresh: Academy = {
    slug: `${lower}-${id}`,
    name: `${prefix[0]}${lower.slice(1)} Academy ${id}`,
    ownerName: 'Ivy Owner',
    email: `ivy-${id}@example.test`,
    password: `ivy-password-2026-${id}`,
  };
  const cli = process.env.SHOAL_CLI;
  if (cli) {
    execFileSync(
      cli,
      ['academy', 'create', '--slug', fresh.slug, '--name', fresh.name, '--owner-name', fresh.ownerName, '--owner-email', fresh.email],
      { env: { ...process.env, SHOAL_OWNER_PASSWORD: fresh.password }, stdio: 'pipe', timeout: 30_000 },
    );
    return fresh;
  }
  const page = await browser.newPage({ baseURL: testInfo.project.use.baseURL });
  try {
    const setup = new SetupPage(page);
    await setup.goto();
    if ((await setup.heading.textContent())?.trim() !== 'Create your academy') return fromEnv(prefix);
    await setup.fill({ academyName: fresh.name, slug: fresh.slug, ownerName: fresh.ownerName, email: fresh.email, password: fresh.password });
    await setup.submit();
    await waitForPath(page, `/a/${fresh.slug}/admin/learners`);
    return fresh;
  } finally {
    await page.close();
  }
}

/** Signs in as the academy's owner; returns the learners page it lands on. */
export async function signInAsOwner(page: Page, academy: Academy): Promise<LearnersPage> {
  const login = new LoginPage(page, academy.slug);
  await login.goto();
  await login.signIn(academy.email, academy.password);
  const learners = new LearnersPage(page, academy.slug);
  await waitForPath(page, learners.path());
  await expect(learners.heading).toHaveText('Manage Learners and Teams');
  await expect(learners.allLearnersTab).toHaveAttribute('aria-selected', 'true');
  await expect.soft(learners.panelContent, 'the All Learners tab shows one table or one empty state').toHaveCount(1);
  return learners;
}

/** A full-page screenshot in the test's output folder. */
export async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}
