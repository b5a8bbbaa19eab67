import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import { type Academy, ownAcademy, shot, signInAsOwner } from './own-academy';
import { gotoHydrated } from './pages/hydration';

// Settings → Webhooks in Chromium: an admin adds a webhook pointing at a receiver this test runs on
// loopback, copies nothing but reads the signing secret Shoal shows, presses "Send test event";
// the receiver gets a POST whose Shoal-Signature verifies with that secret, and the delivery log
// says "delivered" with HTTP 200. The academy: see own-academy.ts (HOOKS_SLUG etc.).

let academy: Academy;

test.beforeAll(async ({ browser }, testInfo) => {
  academy = await ownAcademy(browser, testInfo, 'HOOKS');
});

type Received = { headers: IncomingHttpHeaders; body: string };

test('L: add a webhook, send a test event, the receiver verifies its signature and the log says delivered', async ({ page }, testInfo) => {
  const received: Received[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/shoal`;
  try {
    await signInAsOwner(page, academy);
    await gotoHydrated(page, `/a/${academy.slug}/admin/settings?tab=webhooks`);
    await expect(page.getByTestId('settings-tab-webhooks')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('webhooks-empty')).toBeVisible();

    await page.getByTestId('add-webhook').click();
    const form = page.getByTestId('webhook-form');
    // A bad address is refused in words, and nothing is added.
    await form.getByLabel('Payload URL').fill('ftp://example.test/hook');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await expect(form).toContainText('http');
    await expect(page.getByTestId('webhook')).toHaveCount(0);
    await form.getByLabel('Payload URL').fill(url);
    await expect(form.getByTestId('webhook-event-invite.accepted')).toBeChecked();
    await expect(form.getByTestId('webhook-event-access_request.created')).toBeEnabled();
    await form.getByRole('button', { name: 'Add webhook' }).click();

    const created = page.getByTestId('webhook-created');
    await expect(created).toContainText(url);
    const secret = (await created.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const hook = page.getByTestId('webhook');
    await expect(hook).toHaveCount(1);

    await hook.getByTestId('webhook-send-test').click();
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    const got = received[0];
    expect(got.headers['shoal-event']).toBe('test');
    expect(got.headers['content-type']).toContain('application/json');
    const signature = String(got.headers['shoal-signature']);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
    expect(match, signature).not.toBeNull();
    const expected = createHmac('sha256', secret).update(`${match![1]}.${got.body}`).digest('hex');
    expect(match![2]).toBe(expected);
    const payload = JSON.parse(got.body);
    expect(payload.event).toBe('test');
    expect(payload.academy.slug).toBe(academy.slug);
    expect(String(payload.id)).toBe(String(got.headers['shoal-delivery']));

    const toggle = hook.getByTestId('webhook-toggle-log');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    const row = hook.getByTestId('delivery-row').first();
    await expect(row).toHaveAttribute('data-status', 'delivered', { timeout: 15_000 });
    await expect(row).toContainText('200');
    await shot(page, testInfo, 'l1-webhook-delivered');
  } finally {
    receiver.close();
  }
});
