import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_TOKEN, expect, pageTour, signInBoth, sim, test } from './helpers';

// Hostile input from the API: markup, script tags, a 10,000-character word,
// right-to-left text and emoji in every free-text field render as text and
// do not break the layout; 10,000 offers and a 1 MB status answer do not
// freeze the page.

/** Nothing the API said became markup or ran. */
async function expectInert(page: Page, where: string): Promise<void> {
  // A script that ran would have set the title to exactly this.
  expect(await page.title(), `title on ${where}`).not.toBe('pwned');
  expect(await page.locator('main img[src="x"], main b, main script').count(), `markup on ${where}`).toBe(0);
}

/** The page does not scroll sideways: long words wrap or scroll in place. */
async function expectNoPageOverflow(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow on ${where}`).toBeLessThanOrEqual(1);
}

/** The main thread answers: a frame is drawn and a click is handled. */
async function expectResponsive(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
}

test.describe('hostile input', () => {
  test('API strings render as text on every page, without breaking the layout', async ({ page, request }) => {
    await signInBoth(page);
    const tour = await pageTour(request, 'instance-j0k1l2');
    // Every API answer gets hostile free-text fields from here on.
    await sim.setFaults(request, { kind: 'hostile_strings' });
    for (const where of tour) {
      await page.goto(where);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectInert(page, where);
      await expectNoPageOverflow(page, where);
    }
    // The texts are shown as they came, as text.
    await page.goto('/offers');
    // In the table (a select's options hold them too, but are not shown);
    // a GPU cell joins family and model, so match within the text.
    const offers = page.getByRole('table', { name: 'GPU offers' });
    await expect(offers.getByText(/<script>document\.title='pwned'<\/script>/).first()).toBeVisible();
    await expect(offers.getByText(/^<img src=x onerror=/).first()).toBeVisible();
    await expect(offers.getByText(/🚀🔥💥 GPU/).first()).toBeVisible();
    await page.goto(tour[4]);
    await expect(page.getByText(/W{200}/).first()).toBeAttached();
    await expectNoPageOverflow(page, 'resource after load');
  });

  test('a 1 MB status answer does not freeze the page', async ({ page, request }) => {
    await signInBoth(page);
    const offers = await sim.offers(request, { compute: { type: 'vm' } });
    await sim.setFaults(request, { kind: 'huge', path_prefix: '/offers/' });
    await page.goto(`/offers/${offers[0].offer_id}/status`);
    await expect(page.getByRole('status').filter({ hasText: /State: (?!loading)/ })).toBeVisible({ timeout: 20_000 });
    await expectResponsive(page);
    await sim.clearFaults(request);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(page.getByRole('status').filter({ hasText: /State: available/ })).toBeVisible();
    await expectResponsive(page);
  });

  test.describe('10,000 offers', () => {
    // Its own simulator, serving 10,000 offers.
    const root = path.resolve(__dirname, '..', '..');
    const PORT = Number(process.env.E2E_BIG_PORT ?? 18190);
    let big: ChildProcess;
    test.beforeAll(async () => {
      big = spawn(
        process.env.E2E_SIM_BIN ?? path.join(root, 'target', 'release', 'supply-sim'),
        ['--offers', '10000', '--port', String(PORT + 1), '--k0rdent-port', String(PORT + 2),
          '--ui-dir', process.env.E2E_DIST_DIR ?? path.join(root, 'dist'), '--ui-port', String(PORT), '--quiet'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        big.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
        big.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve());
      });
    });
    test.afterAll(() => {
      big?.kill();
    });

    test('load, filter and sort without freezing; only the rows in view are drawn', async ({ page }) => {
      const ui = `http://127.0.0.1:${PORT}`;
      await page.goto(`${ui}/settings`);
      await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.goto(`${ui}/offers`);
      // The service answers the console's spec (every family, one GPU) with
      // thousands of them.
      await expect(page.getByText(/ of \d{4,} offers/)).toBeVisible({ timeout: 20_000 });
      await expectResponsive(page);
      const rows = await page.locator('.table-wrap--scroll tbody tr:not(.spacer)').count();
      expect(rows).toBeLessThan(200);
      await page.getByLabel('Search offers').fill('h100');
      await expect(page.getByText(/^[1-9]\d* of \d{4,} offers/)).toBeVisible();
      await expectResponsive(page);
      await page.locator('button.sort').first().click();
      await expectResponsive(page);
    });
  });
});
