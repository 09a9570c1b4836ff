import type { Request } from '@playwright/test';
import { API_URL, DEMO_TOKEN, K0RDENT_TOKEN, K0RDENT_URL, UI_URL, expect, pageTour, signInBoth, sim, storageEntries, test } from './helpers';

// Token hygiene, watched from the browser: every request it makes, every
// console line, every history entry, every stored value.
const TOKENS = [DEMO_TOKEN, K0RDENT_TOKEN];

function origin(url: string): string {
  return new URL(url).origin;
}

test.describe('token hygiene', () => {
  test('each token goes only to its own API, and never into a URL, a log line, history or page text', async ({ page, request }) => {
    const sent: { url: string; auth: string | undefined }[] = [];
    const logs: string[] = [];
    page.on('request', (r: Request) => sent.push({ url: r.url(), auth: r.headers()['authorization'] }));
    page.on('console', (m) => logs.push(m.text()));

    await signInBoth(page);
    const tour = await pageTour(request);
    for (const path of tour) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      // Let the page's calls go out.
      await page.waitForLoadState('networkidle');
      const text = await page.locator('body').innerText();
      for (const token of TOKENS) expect(text, `page text of ${path}`).not.toContain(token);
    }
    // An error message (a refused token) names no token either.
    await sim.setFaults(request, { path_prefix: '/resources', status: 401 });
    await page.goto('/resources');
    await expect(page.getByRole('alert').first()).toContainText('401');
    for (const token of TOKENS) expect(await page.locator('body').innerText()).not.toContain(token);
    await sim.clearFaults(request);

    const supplyCalls = sent.filter((r) => r.auth === `Bearer ${DEMO_TOKEN}`);
    const k0rdentCalls = sent.filter((r) => r.auth === `Bearer ${K0RDENT_TOKEN}`);
    expect(supplyCalls.length).toBeGreaterThan(5);
    expect(k0rdentCalls.length).toBeGreaterThan(0);
    expect(new Set(supplyCalls.map((r) => origin(r.url)))).toEqual(new Set([API_URL]));
    expect(new Set(k0rdentCalls.map((r) => origin(r.url)))).toEqual(new Set([K0RDENT_URL]));
    // No other request carries an Authorization header at all.
    const others = sent.filter((r) => r.auth !== undefined && !supplyCalls.includes(r) && !k0rdentCalls.includes(r));
    expect(others).toEqual([]);
    // The console's own files are fetched without credentials.
    expect(sent.filter((r) => origin(r.url) === UI_URL && r.auth !== undefined)).toEqual([]);
    for (const token of TOKENS) {
      expect(sent.filter((r) => r.url.includes(token))).toEqual([]);
      expect(logs.filter((line) => line.includes(token))).toEqual([]);
    }

    // Walk back through history: no entry holds a token.
    const seen: string[] = [page.url()];
    for (let i = 0; i < tour.length + 2; i++) {
      const back = await page.goBack();
      if (!back) break;
      seen.push(page.url());
    }
    expect(seen.length).toBeGreaterThan(3);
    for (const token of TOKENS) expect(seen.filter((u) => u.includes(token))).toEqual([]);
  });

  test('"this browser session only" writes no token to localStorage', async ({ page }) => {
    await signInBoth(page, K0RDENT_TOKEN, true);
    const local = await storageEntries(page, 'localStorage');
    for (const token of TOKENS) expect(local.filter((e) => e.includes(token))).toEqual([]);
    const session = await storageEntries(page, 'sessionStorage');
    for (const token of TOKENS) expect(session.some((e) => e.includes(token))).toBe(true);
  });

  test('sign-out removes every stored token', async ({ page }) => {
    await signInBoth(page);
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByText('Not signed in')).toBeVisible();
    const stored = await storageEntries(page, 'both');
    for (const token of TOKENS) expect(stored.filter((e) => e.includes(token))).toEqual([]);
  });
});
