import type { Page } from '@playwright/test';
import { expect, test, uniqueId } from './fixtures';
import { joinLink, messagesTo, sinkDir, waitForMessageTo } from './mail';
import { AcademyHome } from './pages/academy-home';
import { JoinPage } from './pages/join-page';
import { LoginPage } from './pages/login-page';
import { type Academy, ownAcademy, shot } from './own-academy';

// The entry pages work before the WASM arrives: a learner on a slow phone who types fast, or a
// browser without JavaScript, gets the same forms, errors shown in the page (never a JSON answer)
// and real redirects. Every step here runs with JavaScript off.

test.use({ javaScriptEnabled: false });

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'NOJS');
});

/** Signs the owner in through the plain form; the session then also carries `page.request`. */
async function signInOwner(page: Page) {
  const login = new LoginPage(page, academy.slug);
  await page.goto(login.path);
  await login.signIn(academy.email, academy.password);
  await page.waitForURL((url) => url.pathname === `/a/${academy.slug}/admin/learners`);
}

/** Invites through the server function, with the owner's session of `page`. */
async function invite(page: Page, email: string, sendEmail: boolean) {
  const base = test.info().project.use.baseURL!;
  const res = await page.request.post('/api/invite_learners', {
    headers: { Origin: new URL(base).origin, Accept: 'application/json' },
    data: { people: [{ email, first_name: 'Nora', last_name: 'Nojs' }], role: 'learner', team_ids: [], send_email: sendEmail },
  });
  expect(res.status(), await res.text()).toBe(200);
}

test('N1: sign in without JavaScript: a wrong password is told in the page, the right one signs in', async ({ page }, testInfo) => {
  const login = new LoginPage(page, academy.slug);
  await page.goto(login.path);
  await login.signIn(academy.email, 'not the password');
  // Back on the sign-in page, an HTML page with the error in it.
  await expect(page).toHaveURL(new RegExp(`/a/${academy.slug}/login`));
  await expect(login.error).toContainText('Invalid email or password');
  await expect(login.heading).toContainText('Sign in');
  await shot(page, testInfo, 'n1-wrong-password');
  await login.signIn(academy.email, academy.password);
  await page.waitForURL((url) => url.pathname === `/a/${academy.slug}/admin/learners`);
  // The list came with the page.
  await expect(page.getByRole('heading', { name: 'Manage Learners and Teams' })).toBeVisible();
  await expect(page.locator('.loading')).toHaveCount(0);
});

test('N2: join from the emailed link without JavaScript: a common password is refused in the page, then the learner is in', async ({ page, browser }, testInfo) => {
  test.skip(!sinkDir, 'needs SMTP_SINK_DIR (.ci/test.sh sets it)');
  const email = `nora-link-${id}@example.test`;
  await signInOwner(page);
  await invite(page, email, true);
  const link = joinLink(await waitForMessageTo(email), academy.slug);

  const learner = await browser.newPage({ javaScriptEnabled: false, baseURL: testInfo.project.use.baseURL });
  await learner.goto(link);
  const join = new JoinPage(learner);
  await expect(join.email).toHaveValue(email);
  // A password only the server can refuse (the browser checks lengths itself).
  await join.join('password123');
  await expect(learner.locator('.field-error')).toContainText(/common/i);
  await shot(learner, testInfo, 'n2-common-password');
  await join.join('a long enough password 2026');
  await learner.waitForURL((url) => url.pathname === `/a/${academy.slug}`);
  await expect(learner.getByRole('heading', { level: 1 })).toContainText('Welcome, Nora');
  await learner.close();
});

test('N3: sign up at the academy link without JavaScript: a common password is refused in the page, then the learner is in', async ({ page, browser }, testInfo) => {
  const email = `nora-academy-${id}@example.test`;
  await signInOwner(page);
  await invite(page, email, false);

  const learner = await browser.newPage({ javaScriptEnabled: false, baseURL: testInfo.project.use.baseURL });
  const home = new AcademyHome(learner, academy.slug);
  await learner.goto(home.path);
  await home.fillSignUp({ email, firstName: 'Nora', lastName: 'Nojs', password: 'password123' });
  await home.signUpButton.click();
  await expect(learner).toHaveURL(new RegExp(`/a/${academy.slug}`));
  await expect(home.signUpSection.locator('.field-error')).toContainText(/common/i);
  await shot(learner, testInfo, 'n3-common-password');
  await home.fillSignUp({ email, firstName: 'Nora', lastName: 'Nojs', password: 'a long enough password 2026' });
  await home.signUpButton.click();
  await learner.waitForURL((url) => url.pathname === `/a/${academy.slug}`);
  await expect(learner.getByRole('heading', { level: 1 })).toContainText('Welcome, Nora');
  await learner.close();
});

test('N4: the sign-up confirmation code without JavaScript: an emailed invitation at the academy link asks for the code, a wrong one is told in the page', async ({ page, browser }, testInfo) => {
  test.skip(!sinkDir, 'needs SMTP_SINK_DIR (.ci/test.sh sets it)');
  const email = `nora-code-${id}@example.test`;
  await signInOwner(page);
  await invite(page, email, true);

  const learner = await browser.newPage({ javaScriptEnabled: false, baseURL: testInfo.project.use.baseURL });
  const home = new AcademyHome(learner, academy.slug);
  await learner.goto(home.path);
  await home.fillSignUp({ email, firstName: 'Nora', lastName: 'Nojs', password: 'a long enough password 2026' });
  await home.signUpButton.click();
  // The emailed invitation is claimed at the academy link only with the code sent to the address.
  const step = learner.getByTestId('code-step');
  await expect(step).toContainText(`We sent a 6-digit code to ${email}`);
  const deadline = Date.now() + 20_000;
  let code = '';
  while (!code && Date.now() < deadline) {
    const mail = (await messagesTo(email)).find((m) => (m.headers['subject'] ?? '').includes('Your code for'));
    code = mail?.headers['subject']?.split(': ').pop()?.trim() ?? '';
    if (!code) await new Promise((r) => setTimeout(r, 100));
  }
  expect(code).toMatch(/^\d{6}$/);
  await step.getByLabel('Confirmation code').fill(code === '000000' ? '111111' : '000000');
  await step.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(learner.getByTestId('code-step').locator('.field-error')).toContainText('not right');
  await shot(learner, testInfo, 'n4-wrong-code');
  await learner.getByTestId('code-step').getByLabel('Confirmation code').fill(code);
  await learner.getByTestId('code-step').getByRole('button', { name: 'Confirm and sign in' }).click();
  await learner.waitForURL((url) => url.pathname === `/a/${academy.slug}` && !url.search);
  await expect(learner.getByRole('heading', { level: 1 })).toContainText('Welcome, Nora');
  await learner.close();
});

test('N5: request access without JavaScript: an address without a dot after the @ is told in the page, then the request is sent', async ({ browser }, testInfo) => {
  const visitor = await browser.newPage({ javaScriptEnabled: false, baseURL: testInfo.project.use.baseURL });
  await visitor.goto(`/a/${academy.slug}?request`);
  const form = visitor.getByTestId('request-access-form');
  await form.getByLabel('First name').fill('Rita');
  await form.getByLabel('Last name').fill('Request');
  // The browser's own check lets "rita@example" through; the server's names the problem.
  await form.getByLabel('Email', { exact: true }).fill('rita@example');
  await form.getByRole('button', { name: 'Send request' }).click();
  await expect(visitor.getByTestId('request-access-form').locator('.field-error')).toContainText('needs a dot');
  await shot(visitor, testInfo, 'n5-bad-address');
  const again = visitor.getByTestId('request-access-form');
  await again.getByLabel('First name').fill('Rita');
  await again.getByLabel('Email', { exact: true }).fill(`rita-${id}@example.test`);
  await again.getByRole('button', { name: 'Send request' }).click();
  await expect(visitor.getByTestId('request-sent')).toContainText('Request sent.');
  await visitor.close();
});
