import { expect, test, uniqueId } from './fixtures';
import { joinLink, messagesTo, sinkDir, waitForMessageTo } from './mail';
import { AcademyHome } from './pages/academy-home';
import { gotoHydrated, waitForHydration, waitForPath } from './pages/hydration';
import { JoinPage } from './pages/join-page';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';

// Private academies and access requests: the owner keeps the academy private in Settings, a stranger
// who signs up at the academy link is offered "Request access", and the owner approves (one request)
// and declines (another) on "Manage Learners and Teams" → "Access Requests".
// (Named to run after foundation.spec.ts, which creates the first academy through `/`.)

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'ACCESS');
});

test('M: a stranger requests access to a private academy; the owner approves it from the Access Requests tab', async ({ page, newPage }, testInfo) => {
  const jane = { email: `jane-${id}@example.test`, firstName: 'Jane', lastName: 'Doherty', password: `Jane-${id}-secret` };
  const omar = { email: `omar-${id}@example.test`, firstName: 'Omar', lastName: 'Okafor' };

  // Settings → General → Visibility: public, then private again (the page reloads after each save).
  await signInAsOwner(page, academy);
  await gotoHydrated(page, `/a/${academy.slug}/admin/settings`);
  const visibility = page.getByTestId('visibility-section');
  await visibility.getByTestId('visibility-public').check();
  await visibility.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('visibility-notice')).toContainText('Your academy is public');
  await waitForHydration(page);
  await expect(visibility.getByTestId('visibility-public')).toBeChecked();
  await visibility.getByTestId('visibility-private').check();
  await visibility.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('visibility-notice')).toContainText('Your academy is private');
  await waitForHydration(page);
  await expect(visibility.getByTestId('visibility-private')).toBeChecked();
  await expect(page.getByTestId('notify-access-requests')).toBeChecked();
  await visibility.scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'm1-settings-visibility');

  // Jane, told the academy link: her sign-up is refused as invite-only, and she is offered a request.
  const janePage = await newPage();
  const home = new AcademyHome(janePage, academy.slug);
  await home.goto();
  await home.fillSignUp({ ...jane, password: jane.password });
  await home.signUpButton.click();
  await expect(home.signUpSection).toContainText('invite-only');
  const offer = janePage.getByTestId('request-access-offer');
  await expect(offer).toBeVisible();
  await offer.getByRole('link', { name: 'Request access' }).click();
  const form = janePage.getByTestId('request-access-form');
  await expect(home.signUpSection).toBeHidden();
  // What she typed into "Sign up" comes along; a request never carries a password.
  await expect(form.getByLabel('Email', { exact: true })).toHaveValue(jane.email);
  await expect(form.getByLabel('First name')).toHaveValue(jane.firstName);
  await expect(form.getByLabel(/Password/)).toHaveCount(0);
  await form.getByLabel('Message').fill('I lead the new Berlin support team and would like to onboard with everyone else.');
  await expect(form).toContainText('80 / 1,000 characters');
  await shot(janePage, testInfo, 'm2-request-access-form');
  await form.getByRole('button', { name: 'Send request' }).click();
  await expect(janePage.getByTestId('request-sent')).toHaveText("Request sent. You'll get an email at the address you gave when there is news.");
  await shot(janePage, testInfo, 'm3-request-sent');

  // Omar asks too, through the "Request access" line, without a password.
  const omarPage = await newPage();
  const omarHome = new AcademyHome(omarPage, academy.slug);
  await omarHome.goto();
  await omarPage.getByTestId('request-access-link').click();
  const omarForm = omarPage.getByTestId('request-access-form');
  await omarForm.getByLabel('First name').fill(omar.firstName);
  await omarForm.getByLabel('Last name').fill(omar.lastName);
  await omarForm.getByLabel('Email', { exact: true }).fill(omar.email);
  await omarForm.getByRole('button', { name: 'Send request' }).click();
  await expect(omarPage.getByTestId('request-sent')).toContainText('Request sent.');

  // The owner: Manage Learners and Teams → Access Requests.
  await gotoHydrated(page, `/a/${academy.slug}/admin/learners?tab=requests`);
  await expect(page.getByRole('tab', { name: 'Access Requests' })).toHaveAttribute('aria-selected', 'true');
  const pendingTab = page.getByTestId('requests-tab-pending');
  await expect(pendingTab).toHaveAttribute('aria-selected', 'true');
  await expect(pendingTab).toContainText('2');
  const janeRow = page.locator(`tr[data-testid="request-row"][data-email="${jane.email}"]`);
  const omarRow = page.locator(`tr[data-testid="request-row"][data-email="${omar.email}"]`);
  await expect(janeRow).toContainText('Berlin support team');
  await expect(omarRow).toContainText(`${omar.firstName} ${omar.lastName}`);
  await shot(page, testInfo, 'm4-access-requests-pending');

  // Approve Jane as a Learner-Analyst: an invitation goes to her address, whose link proves it.
  await janeRow.getByTestId('approve-request').click();
  const dialog = page.getByTestId('answer-dialog');
  await expect(dialog).toContainText('They get an invitation email');
  await dialog.getByRole('radio', { name: /Learner-Analyst/ }).check();
  await dialog.screenshot({ path: testInfo.outputPath('m5-approve-dialog.png') });
  await dialog.getByTestId('confirm-approve').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('requests-notice')).toContainText(`Approved: an invitation is on its way to ${jane.email}`);
  await expect(janeRow).toHaveCount(0);

  // Decline Omar with a reason and an email; the request moves to Declined, with who and why.
  await omarRow.getByTestId('decline-request').click();
  await expect(dialog.getByTestId('decline-send-email')).toBeChecked();
  await dialog.getByLabel('Reason').fill('This academy is for Acme staff only.');
  await dialog.getByTestId('confirm-decline').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('requests-notice')).toContainText('Declined: Omar Okafor gets an email.');
  await expect(page.getByTestId('requests-empty')).toContainText('No access requests waiting');
  await page.getByTestId('requests-tab-declined').click();
  const declinedRow = page.locator(`tr[data-testid="request-row"][data-email="${omar.email}"]`);
  await expect(declinedRow).toContainText('This academy is for Acme staff only.');
  await expect(declinedRow).toContainText(`by ${academy.ownerName}`);
  await expect(declinedRow.getByTestId('approve-request')).toBeVisible();
  await shot(page, testInfo, 'm6-access-requests-declined');

  if (sinkDir) {
    // Jane joins through the emailed invitation, choosing her password there.
    const invitation = await waitForMessageTo(jane.email);
    expect(invitation.headers['subject']).toContain('invited you to');
    await janePage.goto(joinLink(invitation, academy.slug));
    await waitForHydration(janePage);
    await new JoinPage(janePage).join(jane.password);
    // Joined: her learner home at the academy link.
    await waitForPath(janePage, `/a/${academy.slug}`);
    await expect(home.heading).toHaveText(`Welcome, ${jane.firstName}`);

    const declined = await waitForMessageTo(omar.email);
    expect(declined.text).toContain('This academy is for Acme staff only.');
    expect(await messagesTo(omar.email), 'one email to Omar').toHaveLength(1);
    const toOwner = await messagesTo(academy.email);
    expect(toOwner.some((m) => (m.headers['subject'] ?? '').includes('asks to join')), 'the owner heard of the requests').toBe(true);
  }
});
