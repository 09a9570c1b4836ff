import type { Locator, Page } from '@playwright/test';
import { expect, expectNoAxeViolations, signIn, sim, test, type Offer } from './helpers';

const perGpuHour = (o: Offer) =>
  typeof o.pricing_hourly === 'number' && typeof o.gpu_count === 'number' && o.gpu_count > 0
    ? o.pricing_hourly / o.gpu_count
    : Infinity;

const table = (page: Page) => page.getByRole('table', { name: 'GPU offers' });
/** Body rows that hold an offer (not the virtual-scroll spacers). */
const offerRows = (page: Page) => table(page).locator('tbody tr[data-pos]');

test.describe('offers', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('lists the offers, cheapest GPU-hour first', async ({ page, request }) => {
    const offers = await sim.offers(request);
    expect(offers.length).toBeGreaterThan(0);
    const cheapest = [...offers].sort((a, b) => perGpuHour(a) - perGpuHour(b))[0];
    const before = await sim.requestCount(request, 'POST', '/get_offers');

    await page.goto('/offers');
    await expect(offerRows(page).first()).toContainText(cheapest.gpu_type as string);
    await expect(offerRows(page).first()).toContainText(cheapest.vendor as string);
    await expect(page.getByText(`${offers.length} of ${offers.length} offers`)).toBeVisible();
    await expect(page.getByRole('columnheader', { name: '$/GPU-hour' })).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(() => sim.requestCount(request, 'POST', '/get_offers')).toBeGreaterThan(before);
  });

  test('only the rows in view are in the page', async ({ page, request }) => {
    const offers = await sim.offers(request);
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    const rendered = await offerRows(page).count();
    expect(rendered).toBeLessThan(offers.length);
    await expect(table(page)).toHaveAttribute('aria-rowcount', String(offers.length + 1));
  });

  test('filters narrow the list and live in the URL; Back undoes them', async ({ page, request }) => {
    const h100 = (await sim.offers(request)).filter((o) => o.gpu_type === 'H100');
    await page.goto('/offers');
    await page.getByRole('checkbox', { name: 'H100', exact: true }).check();
    await expect(page).toHaveURL(/gpu=H100/);
    await expect(page.getByText(new RegExp(`^${h100.length} of \\d+ offers`))).toBeVisible();
    for (const row of await offerRows(page).all()) {
      await expect(row).toContainText('H100');
    }
    await page.getByLabel('Vendor').selectOption({ index: 1 });
    await expect(page).toHaveURL(/vendor=/);
    await page.goBack();
    await expect(page).not.toHaveURL(/vendor=/);
    await expect(page).toHaveURL(/gpu=H100/);
    await expect(page.getByRole('checkbox', { name: 'H100', exact: true })).toBeChecked();
  });

  test('sorting goes both ways by any column', async ({ page }) => {
    await page.goto('/offers');
    const header = page.getByRole('columnheader', { name: '$/hour' });
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    await expect(page).toHaveURL(/sort=price/);
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    const price = async (n: number) =>
      Number((await offerRows(page).nth(n).locator('td').nth(10).innerText()).replace(/[$,]/g, ''));
    expect(await price(0)).toBeGreaterThanOrEqual(await price(1));
  });

  test('a copied link restores the view', async ({ page }) => {
    await page.goto('/offers?gpu=A100&sort=gpus&dir=desc&q=a100');
    await expect(page.getByRole('checkbox', { name: 'A100', exact: true })).toBeChecked();
    await expect(page.getByLabel('Search offers')).toHaveValue('a100');
    await expect(page.getByRole('columnheader', { name: 'GPUs', exact: true })).toHaveAttribute('aria-sort', 'descending');
    await expect(offerRows(page).first()).toContainText('A100');
  });

  test('an offer expiring while shown is marked and cannot be procured', async ({ page }) => {
    await page.clock.install();
    await page.goto('/offers');
    await expect(offerRows(page).first().getByRole('link', { name: /Procure/ })).toBeVisible();
    // Offers last 30 minutes; the first row is gone after that at the latest.
    await page.clock.fastForward('31:00');
    await expect(offerRows(page).first()).toContainText('Expired');
    await expect(offerRows(page).first().getByRole('link', { name: /Procure/ })).toHaveCount(0);
  });

  test('compare puts offers side by side with the price difference', async ({ page }) => {
    await page.goto('/offers');
    await offerRows(page).nth(0).getByRole('checkbox').check();
    await offerRows(page).nth(1).getByRole('checkbox').check();
    const compare = page.getByRole('region', { name: 'Compare offers' });
    await expect(compare).toBeVisible();
    await expect(compare.getByRole('row', { name: /Price difference/ })).toContainText('cheapest');
    await compare.getByRole('button', { name: 'Clear comparison' }).click();
    await expect(compare).toHaveCount(0);
  });

  test('an API error keeps the last list on screen, and Retry recovers', async ({ page, request }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await sim.setFaults(request, { path_prefix: '/get_offers', status: 503, times: 1 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '503' });
    await expect(alert).toBeVisible();
    await expect(offerRows(page).first()).toBeVisible();
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(alert).toHaveCount(0);
  });

  test('the keyboard reaches search, rows and procure', async ({ page }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await page.locator('body').press('/');
    await expect(page.getByLabel('Search offers')).toBeFocused();
    await offerRows(page).first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(offerRows(page).nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/offers\/[0-9a-f-]{36}\/procure$/);
  });

  test('no match names the filter that removed the most', async ({ page }) => {
    await page.goto('/offers?q=no-such-gpu');
    await expect(page.getByText(/No offers match\. The search text filter removes the most/)).toBeVisible();
  });

  test('the price chart filters by the GPU type picked', async ({ page }) => {
    await page.goto('/offers');
    await page.getByRole('button', { name: /^H100: / }).click();
    await expect(page).toHaveURL(/gpu=H100/);
  });

  test('the price chart follows the search once typing pauses', async ({ page }) => {
    await page.goto('/offers');
    const chart = page.getByRole('group', { name: 'Price spread per GPU type' });
    await expect(chart.getByRole('button', { name: /^H100: / })).toBeVisible();
    expect(await chart.getByRole('button').count()).toBeGreaterThan(1);
    await page.getByLabel('Search offers').pressSequentially('h100', { delay: 50 });
    await expect(chart.getByRole('button')).toHaveCount(1);
    await expect(chart.getByRole('button', { name: /^H100: / })).toBeVisible();
    await chart.getByRole('button', { name: /^H100: / }).press('Enter');
    await expect(page).toHaveURL(/gpu=H100/);
  });

  test('named searches are kept on the device', async ({ page }) => {
    await page.goto('/offers?gpu=H100&sort=price');
    await page.getByLabel('Save this search as').fill('Big H100');
    await page.getByRole('button', { name: 'Save search' }).click();
    const saved = page.getByRole('list', { name: 'Saved searches' });
    await expect(saved.getByRole('link', { name: 'Big H100' })).toBeVisible();
    await page.goto('/offers');
    await saved.getByRole('link', { name: 'Big H100' }).click();
    await expect(page).toHaveURL(/gpu=H100/);
    await expect(page).toHaveURL(/sort=price/);
    await saved.getByRole('button', { name: 'Delete saved search Big H100' }).click();
    await expect(saved.getByRole('link', { name: 'Big H100' })).toHaveCount(0);
    await page.reload();
    await expect(saved.getByRole('link')).toHaveCount(0);
  });

  test('typing does not reset "updated n s ago"', async ({ page }) => {
    await page.clock.install();
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await page.clock.pauseAt(Date.now());
    // The next refresh is at least 5 s after an answer, so none comes in 4 s.
    await page.clock.fastForward(4000);
    const summary = page.locator('.summary');
    await expect(summary).toContainText(/updated 4 s ago/);
    await page.getByLabel('Search offers').fill('h100');
    await expect(summary).toHaveText(/^\d+ of \d+ offers · updated 4 s ago$/);
    await page.getByLabel('Search offers').fill('');
    await expect(summary).toContainText(/updated 4 s ago/);
  });

  test('a compare box follows its offer when the rows change under it', async ({ page }) => {
    await page.goto('/offers');
    const first = offerRows(page).first();
    // An offer is known by its procure link.
    const offerOf = (row: Locator) => row.getByRole('link', { name: /^Procure / }).getAttribute('href');
    const firstGpu = (await first.locator('td').nth(1).innerText()).trim();
    const picked = await offerOf(first);
    await first.getByRole('checkbox').check();
    // Search for another GPU type: the rows now show other offers, and a
    // box is ticked only where its own offer was picked.
    const other = (await offerRows(page).locator('td:nth-child(2)').allInnerTexts())
      .map((t) => t.trim())
      .find((gpu) => !gpu.toLowerCase().includes(firstGpu.toLowerCase()));
    expect(other).toBeTruthy();
    await page.getByLabel('Search offers').fill(other as string);
    await expect(first.getByRole('link', { name: /^Procure / })).not.toHaveAttribute('href', picked as string);
    const rows = await offerRows(page).all();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const mine = (await offerOf(row)) === picked;
      expect(await row.getByRole('checkbox').isChecked()).toBe(mine);
    }
    await page.getByLabel('Search offers').fill('');
    await expect(first.locator('td').nth(1)).toHaveText(firstGpu);
    await expect(first.getByRole('checkbox')).toBeChecked();
  });

  test('at most four offers are compared', async ({ page }) => {
    await page.goto('/offers');
    for (let n = 0; n < 4; n++) await offerRows(page).nth(n).getByRole('checkbox').check();
    await expect(offerRows(page).nth(4).getByRole('checkbox')).toBeDisabled();
    await expect(page.getByRole('region', { name: 'Compare offers' }).getByRole('columnheader')).toHaveCount(5);
    await offerRows(page).nth(0).getByRole('checkbox').uncheck();
    await expect(offerRows(page).nth(4).getByRole('checkbox')).toBeEnabled();
  });

  test('has no axe-core violations', async ({ page }) => {
    test.slow();
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
