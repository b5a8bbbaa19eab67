import { expect, test, uniqueId } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { gotoHydrated } from './pages/hydration';

// Settings → API: an admin registers an OAuth application in the UI; the test then uses its
// credentials the way an integrator's script would (plain HTTP, no browser session), sees the
// invitation it made in the Invites tab, renames and revokes the application, and the token stops
// working. The academy: see own-academy.ts (API_SLUG etc.).

const id = uniqueId();
let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'API');
});

test('K: register an OAuth application, invite a learner with its credentials, rename and revoke it', async ({ page, request }, testInfo) => {
  await signInAsOwner(page, academy);
  await gotoHydrated(page, `/a/${academy.slug}/admin/settings?tab=api`);
  await expect(page.getByTestId('settings-tab-api')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('api-empty')).toContainText('No applications yet');
  const examples = page.getByTestId('api-examples');
  await expect(examples).toContainText('/oauth/token');
  await expect(examples).toContainText('client_id=YOUR_CLIENT_ID');

  await page.getByTestId('register-app').click();
  const form = page.getByTestId('register-form');
  await expect(form.getByLabel('Name')).toBeFocused();
  await form.getByLabel('Name').fill(`HR system ${id}`);
  await form.getByLabel(/Callback URI/).fill('https://hr.example.test/shoal');
  await form.getByLabel('Name').press('Enter');

  const credentials = page.getByTestId('new-credentials');
  await expect(credentials).toContainText(`"HR system ${id}" is registered`);
  await expect(credentials).toContainText('cannot show it again');
  const clientId = (await credentials.getByTestId('client-id').textContent())!.trim();
  const secret = (await credentials.getByTestId('client-secret').textContent())!.trim();
  expect(clientId).toMatch(/^[0-9a-f]{24}$/);
  expect(secret).toHaveLength(43);
  const rows = page.getByTestId('api-client-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(clientId);
  await expect(rows.first()).toContainText('https://hr.example.test/shoal');
  await expect(rows.first()).toContainText('Never');
  // The examples now carry the new client's id and this server's base URL.
  await expect(examples).toContainText(`client_id=${clientId}`);
  const base = new URL(page.url()).origin;
  await expect(examples).toContainText(`${base}/api/v1/`);
  await shot(page, testInfo, 'k1-api-registered');

  // An integrator's script: no cookies, only the credentials.
  const tokenRes = await request.post('/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: '' },
  });
  expect(tokenRes.status()).toBe(200);
  const token = await tokenRes.json();
  expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 604800 });
  const auth = { Authorization: `Bearer ${token.access_token}` };
  const email = `api-${id}@example.test`;
  const invited = await request.post('/api/v1/', {
    headers: auth,
    data: { action: 'inviteLearners', options: { send_email: false, learners: [{ email, first_name: 'Api', last_name: 'Person' }, { email: 'broken@', first_name: 'X' }] } },
  });
  expect(invited.status()).toBe(200);
  const results = await invited.json();
  expect(results[0]).toMatchObject({ email, status: 'invited' });
  expect(results[1].status).toBe('error');
  const form2 = await request.post('/api/v1', {
    headers: auth,
    form: { action: 'invites ', 'options[status]': 'pending' },
  });
  expect(form2.status()).toBe(200);
  expect((await form2.json()).map((i: { email: string }) => i.email)).toContain(email);

  await gotoHydrated(page, `/a/${academy.slug}/admin/learners?tab=invites`);
  await expect(page.getByText(email)).toBeVisible();

  await gotoHydrated(page, `/a/${academy.slug}/admin/settings?tab=api`);
  const row = page.getByTestId('api-client-row').first();
  await expect(row).not.toContainText('Never');
  await row.getByRole('button', { name: 'Rename' }).click();
  await row.getByLabel('Name').fill(`Payroll ${id}`);
  await row.getByLabel('Name').press('Enter');
  await expect(page.getByTestId('api-notice')).toHaveText(`Renamed: the application is now "Payroll ${id}".`);
  await page.getByTestId('api-client-row').first().getByRole('button', { name: 'Revoke…' }).click();
  await page.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(page.getByTestId('api-notice')).toContainText('is revoked: its tokens no longer work');
  await expect(page.getByTestId('api-client-row').first()).toContainText('Revoked');
  await shot(page, testInfo, 'k2-api-revoked');

  const refused = await request.post('/api/v1/', { headers: auth, data: { action: 'getTeams', options: {} } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toContain('/oauth/token');
});
