import { expect, expectNoAxeViolations, signIn, sim, test } from './helpers';

// Case-insensitive: the page may prettify "lambda" as "Lambda".
const text = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');

test.describe('offers', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('lists the simulator\'s offers in a table', async ({ page, request }) => {
    const offers = await sim.offers(request);
    expect(offers.length, 'the simulator has offers').toBeGreaterThan(0);
    const first = offers[0];
    expect(typeof first.gpu_type, 'first offer has a gpu_type').toBe('string');
    expect(typeof first.vendor, 'first offer has a vendor').toBe('string');
    const before = await sim.requestCount(request, 'POST', '/get_offers');

    await page.goto('/offers');
    const table = page.getByRole('table', { name: 'GPU offers' });
    await expect(table).toBeVisible();
    await expect(table.getByRole('row').filter({ hasText: text(first.gpu_type as string) }).first()).toBeVisible();
    await expect(table).toContainText(text(first.vendor as string));

    await expect.poll(() => sim.requestCount(request, 'POST', '/get_offers')).toBeGreaterThan(before);
  });

  test('a 503 shows an alert, and Retry recovers', async ({ page, request }) => {
    await sim.setFaults(request, { path_prefix: '/get_offers', status: 503, times: 1 });
    await page.goto('/offers');

    const alert = page.getByRole('alert').filter({ hasText: '503' });
    await expect(alert).toBeVisible();
    // The fault fired once; the retry goes through.
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(page.getByRole('table', { name: 'GPU offers' })).toBeVisible();
    await expect(alert).toHaveCount(0);
  });

  test('has no axe-core violations', async ({ page }) => {
    // axe over a few hundred table rows takes seconds on 2 cores.
    test.slow();
    await page.goto('/offers');
    await expect(page.getByRole('table', { name: 'GPU offers' })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
