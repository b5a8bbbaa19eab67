import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { test } from '../tests/fixtures';
import { type Academy, ownAcademy } from '../tests/own-academy';

// Issue 16's benchmark: the first contact with Shoal, in Chromium against the release server, cold
// cache, on two network profiles: the one Lighthouse calls mobile (Slow 4G: 150 ms RTT, 1.6 Mbps
// down, 750 kbps up, CPU 4x slower) and a 5 Mbps line (28 ms RTT, CPU as is). For each page:
// bytes transferred (everything the page loaded, as sent on the wire), first contentful paint,
// the time until the page is interactive (`body[data-hydrated]`), and — for the admin learners
// page — until the list is on screen. Beside each, the same page's HTML and CSS alone (scripts
// blocked): the floor no framework can go under; the ratio says how far above it the page is.
// Then a second visit with a warm cache: the bytes of assets (not the page itself) transferred.
// Writes JSON to BENCH_FIRST_LOAD_OUT; `.ci/bench-first-load.sh` prints the table.

const out = process.env.BENCH_FIRST_LOAD_OUT ?? '';
const RUNS = Number(process.env.BENCH_FIRST_LOAD_RUNS ?? 3);

type Profile = { name: string; latency: number; down: number; up: number; cpu: number };
const PROFILES: Profile[] = [
  { name: 'Slow 4G, CPU x4', latency: 150, down: 1_600_000 / 8, up: 750_000 / 8, cpu: 4 },
  { name: '5 Mbps, CPU x1', latency: 28, down: 5_000_000 / 8, up: 5_000_000 / 8, cpu: 1 },
];

type Load = { bytes: number; assetBytes: number; fcp: number; hydrated: number | null; list: number | null; load: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Records, from the first byte of the document on, when the body says it is hydrated and when the
 *  list (if any) is in the page. */
function watch() {
  const w = window as unknown as { __hydratedAt?: number; __listAt?: number };
  const check = () => {
    if (w.__hydratedAt === undefined && document.body?.dataset.hydrated === 'true') w.__hydratedAt = performance.now();
    if (w.__listAt === undefined && document.querySelector('[data-testid="learners-table"]')) w.__listAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
}

async function throttle(cdp: CDPSession, p: Profile) {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: p.latency,
    downloadThroughput: p.down,
    uploadThroughput: p.up,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: p.cpu });
}

/** One page load in `page` (already throttled): bytes on the wire (all, and all but the document).
 *  `scripts`: false for the floor, whose scripts are refused: it never hydrates, so waiting for
 *  that (up to 2 minutes per run) is skipped. */
async function load(page: Page, cdp: CDPSession, url: string, list: boolean, scripts = true): Promise<Load> {
  const sizes = new Map<string, number>();
  let documentId = '';
  const onFinished = (e: { requestId: string; encodedDataLength: number }) => sizes.set(e.requestId, e.encodedDataLength);
  const onResponse = (e: { requestId: string; type: string }) => {
    if (e.type === 'Document' && !documentId) documentId = e.requestId;
  };
  cdp.on('Network.loadingFinished', onFinished);
  cdp.on('Network.responseReceived', onResponse);
  await page.goto(url, { waitUntil: 'load' });
  // Interactive, and every request the page made in getting there finished.
  if (scripts) {
    await page.waitForFunction(() => document.body?.dataset.hydrated === 'true', null, { timeout: 120_000 }).catch(() => {});
  }
  // Bounded: a page that keeps a request going (a list polling while emails are on their way)
  // never goes network-idle, and an unbounded wait stalled the whole run until its timeout.
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
  cdp.off('Network.loadingFinished', onFinished);
  cdp.off('Network.responseReceived', onResponse);
  const t = await page.evaluate(() => {
    const w = window as unknown as { __hydratedAt?: number; __listAt?: number };
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { fcp, hydrated: w.__hydratedAt ?? null, list: w.__listAt ?? null, load: nav.loadEventEnd };
  });
  let bytes = 0;
  let assetBytes = 0;
  for (const [id, n] of sizes) {
    bytes += n;
    if (id !== documentId) assetBytes += n;
  }
  return {
    bytes,
    assetBytes,
    fcp: t.fcp,
    hydrated: t.hydrated,
    // On screen: in the page and painted.
    list: list && t.list !== null ? Math.max(t.list, t.fcp) : null,
    load: t.load,
  };
}

async function context(browser: Browser, cookie?: { name: string; value: string; url: string }): Promise<BrowserContext> {
  const ctx = await browser.newContext();
  if (cookie) await ctx.addCookies([cookie]);
  await ctx.addInitScript(watch);
  return ctx;
}

/** Signs in through the server function, as a browser's form would; returns the session cookie. */
async function signIn(base: string, a: Academy) {
  const res = await fetch(`${base}/api/sign_in`, {
    method: 'POST',
    headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ slug: a.slug, email: a.email, password: a.password }),
  });
  const cookie = (res.headers.getSetCookie?.() ?? []).find((c) => /^(__Host-)?shoal_session=/.test(c));
  if (!res.ok || !cookie) throw new Error(`sign in failed: ${res.status} ${await res.text()}`);
  const [pair] = cookie.split(';');
  const [name, value] = pair.split('=');
  return { name, value, url: base };
}

/** A server function call: JSON for the JSON-input ones, else form-encoded as a form sends it. */
async function call(base: string, cookie: string, endpoint: string, body: Record<string, unknown>, form = false) {
  const res = await fetch(`${base}/api/${endpoint}`, {
    method: 'POST',
    headers: {
      Origin: base,
      'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      Accept: 'application/json',
      Cookie: cookie,
    },
    body: form ? new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])) : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${endpoint}: ${res.status} ${await res.text()}`);
  return res.json();
}

test('first load of the learner pages and the admin learners page, two network profiles', async ({ browser }, testInfo) => {
  test.skip(!out, 'needs BENCH_FIRST_LOAD_OUT (.ci/bench-first-load.sh sets it)');
  const base = testInfo.project.use.baseURL!;
  const academy = await ownAcademy(browser, testInfo, 'FIRSTLOAD');
  const owner = await signIn(base, academy);
  const ownerCookie = `${owner.name}=${owner.value}`;
  // 25 learners who joined (a list worth showing) and one invitation whose link the join page opens.
  const people = Array.from({ length: 25 }, (_, i) => ({ email: `learner${i}@example.test`, first_name: `Learner`, last_name: `${i}` }));
  await call(base, ownerCookie, 'invite_learners', { people, role: 'learner', team_ids: [], send_email: false });
  for (const p of people) {
    await fetch(`${base}/api/sign_up`, {
      method: 'POST',
      headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ slug: academy.slug, email: p.email, first_name: p.first_name, last_name: p.last_name, password: 'bench password 2026' }),
    });
  }
  const invited = await call(base, ownerCookie, 'invite_learners', {
    people: [{ email: 'newcomer@example.test', first_name: 'New', last_name: 'Comer' }],
    role: 'learner',
    team_ids: [],
    send_email: false,
  });
  const joinLink: string = await call(base, ownerCookie, 'invite_link', { invite_id: invited[0].outcome.invite_id }, true);
  const joinPath = new URL(joinLink).pathname;

  const pages = [
    { name: 'academy link', path: `/a/${academy.slug}`, signedIn: false, list: false },
    { name: 'join (invitation link)', path: joinPath, signedIn: false, list: false },
    { name: 'sign-in', path: `/a/${academy.slug}/login`, signedIn: false, list: false },
    { name: 'admin: All Learners', path: `/a/${academy.slug}/admin/learners`, signedIn: true, list: true },
  ];
  const results = [];
  for (const profile of PROFILES) {
    for (const p of pages) {
      const first: Load[] = [];
      const floor: Load[] = [];
      const second: Load[] = [];
      for (let run = 0; run < RUNS; run++) {
        // Cold: a new context has an empty cache.
        const ctx = await context(browser, p.signedIn ? owner : undefined);
        const page = await ctx.newPage();
        const cdp = await ctx.newCDPSession(page);
        await throttle(cdp, profile);
        await page.evaluate(() => 0).catch(() => {});
        first.push(await load(page, cdp, base + p.path, p.list));
        // Warm: the same browser comes back.
        second.push(await load(page, cdp, base + p.path, p.list));
        await ctx.close();
        // The floor: the same page with scripts refused (HTML, CSS and the favicon only).
        const bare = await context(browser, p.signedIn ? owner : undefined);
        const barePage = await bare.newPage();
        await barePage.route(/\.(js|wasm)(\?|$)/, (r) => r.abort());
        const bareCdp = await bare.newCDPSession(barePage);
        await throttle(bareCdp, profile);
        floor.push(await load(barePage, bareCdp, base + p.path, p.list, false));
        await bare.close();
      }
      const m = (xs: Load[], k: keyof Load) => median(xs.map((x) => (x[k] as number | null) ?? NaN));
      results.push({
        profile: profile.name,
        page: p.name,
        path: p.path,
        transferred_bytes: m(first, 'bytes'),
        fcp_ms: m(first, 'fcp'),
        hydrated_ms: m(first, 'hydrated'),
        list_ms: p.list ? m(first, 'list') : null,
        floor_bytes: m(floor, 'bytes'),
        floor_ms: m(floor, 'load'),
        second_visit_asset_bytes: m(second, 'assetBytes'),
        runs: { first, floor, second },
      });
      console.log(JSON.stringify(results[results.length - 1]));
    }
  }
  writeFileSync(out, JSON.stringify({ runs: RUNS, results }, null, 2));
});
