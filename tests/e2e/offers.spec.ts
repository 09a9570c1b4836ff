import type { Locator, Page } from '@playwright/test';
import { DEMO_TOKEN, expect, expectNoAxeViolations, signIn, sim, test, type Offer } from './helpers';

const perGpuHour = (o: Offer) => (typeof o.gpu_price_per_hour === 'number' ? o.gpu_price_per_hour : Infinity);

const table = (page: Page) => page.getByRole('table', { name: 'GPU offers' });
/** Body rows that hold an offer (not the virtual-scroll spacers). */
const offerRows = (page: Page) => table(page).locator('tbody tr[data-pos]');

test.describe('offers', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('asks the service in YAML for every family, and lists the answer cheapest GPU-hour first', async ({ page, request }) => {
    const families = await sim.families(request);
    const answer = await sim.answer(request);
    const offers = answer.offers;
    expect(offers.length).toBeGreaterThan(0);
    const cheapest = [...offers].sort((a, b) => perGpuHour(a) - perGpuHour(b))[0];
    const sent = page.waitForRequest((r) => r.url().endsWith('/get_offers') && r.method() === 'POST');

    await page.goto('/offers');
    const query = await sent;
    expect(query.headers()['content-type']).toBe('application/yaml');
    const body = query.postData() ?? '';
    expect(body).toContain(`gpu_type: "${families.join(' | ')}"`);
    expect(body).toContain('gpu_count: 1');
    expect(body.trim().startsWith('{')).toBe(false);
    await expect(offerRows(page).first()).toContainText(cheapest.gpu_family as string);
    await expect(offerRows(page).first()).toContainText(cheapest.vendor as string);
    await expect(page.getByText(`${offers.length} of ${answer.total_count} offers`)).toBeVisible();
    await expect(page.getByRole('columnheader', { name: '$/GPU-hour' })).toHaveAttribute('aria-sort', 'ascending');
    for (const family of families) {
      await expect(page.getByRole('checkbox', { name: family, exact: true })).toBeChecked();
    }
    // What the service understood is shown as it said it.
    await page.getByText('What the service understood').click();
    await expect(page.locator('.understood pre')).toContainText('gpu_type');
  });

  test('discovery is asked once per browser session, and falls back to the documented choices', async ({ page, request }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await expect(page.getByText(/^Choices from the service, asked/)).toBeVisible();
    const asked = await sim.requestCount(request, 'GET', '/available_gpus');
    await page.reload();
    await expect(offerRows(page).first()).toBeVisible();
    expect(await sim.requestCount(request, 'GET', '/available_gpus')).toBe(asked);

    // A new browser session whose GPU call fails still opens on offers,
    // asking for the families the gpu-selection guide lists.
    await page.evaluate(() => sessionStorage.clear());
    await sim.setFaults(request, { path_prefix: '/available_gpus', status: 503 });
    const sent = page.waitForRequest((r) => r.url().endsWith('/get_offers'));
    await page.reload();
    expect((await sent).postData()).toContain('gpu_type: "H100 | H200 | A100 | L40S | L4 | RTX 4090"');
    await expect(page.getByText(/^Showing the documented choices for: GPU/)).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'nvidia-h100-sxm5-80gb', exact: true })).toBeVisible();
    await expect(offerRows(page).first()).toBeVisible();
  });

  test('only the rows in view are in the page', async ({ page, request }) => {
    const offers = await sim.offers(request);
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    const rendered = await offerRows(page).count();
    expect(rendered).toBeLessThan(offers.length);
    await expect(table(page)).toHaveAttribute('aria-rowcount', String(offers.length + 1));
  });

  test('the rows drawn follow the window as it is resized, without a scroll', async ({ page, request }) => {
    const offers = await sim.offers(request);
    await page.setViewportSize({ width: 1280, height: 600 });
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    const short = await offerRows(page).count();
    await page.setViewportSize({ width: 1280, height: 1600 });
    await expect.poll(() => offerRows(page).count()).toBeGreaterThan(short);
    expect(await offerRows(page).count()).toBeLessThan(offers.length);
  });

  test('the rows drawn are those in view and 8 beyond each edge, none past either end', async ({ page, request }) => {
    const offers = await sim.offers(request);
    expect(offers.length).toBeGreaterThan(60);
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    const wrap = page.locator('.table-wrap--scroll');
    const height = await wrap.evaluate((e) => e.clientHeight);
    const inView = Math.ceil(height / 38);
    const positions = async () => (await offerRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-pos')))));
    // At the top: the rows in view and 8 below, nothing above.
    await expect.poll(async () => (await positions()).length).toBe(inView + 8);
    expect((await positions())[0]).toBe(0);
    // Scrolled to row 40: 8 above it, the rows in view and 8 below.
    await wrap.evaluate((e) => { e.scrollTop = 40 * 38; });
    await expect.poll(async () => (await positions())[0]).toBe(32);
    expect((await positions()).at(-1)).toBe(40 + inView + 8 - 1);
    // At the bottom: the last offer is drawn, and nothing past it.
    await wrap.evaluate((e) => { e.scrollTop = e.scrollHeight; });
    await expect.poll(async () => (await positions()).at(-1)).toBe(offers.length - 1);
    await expect(table(page)).toHaveAttribute('aria-rowcount', String(offers.length + 1));
  });

  test('the rows drawn fill the table when a search that left it short at first is cleared', async ({ page, request }) => {
    const offers = await sim.offers(request);
    await page.setViewportSize({ width: 1280, height: 1600 });
    // The table first appears one row high.
    await page.goto(`/offers?q=${offers[0].offer_id}`);
    await expect(offerRows(page)).toHaveCount(1);
    await page.locator('#offer-search').fill('');
    const wrap = page.locator('.table-wrap--scroll');
    const inView = async () => Math.floor((await wrap.evaluate((e) => e.clientHeight)) / 38);
    await expect.poll(async () => (await offerRows(page).count()) >= (await inView())).toBe(true);
    expect(await inView()).toBeGreaterThan(20);
  });

  test('spec filters send a new query and live in the URL; Back undoes them', async ({ page, request }) => {
    const eight = await sim.offers(request, { compute: { gpu_count: 8 } });
    expect(eight.length).toBeGreaterThan(0);
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    const sent = page.waitForRequest((r) => r.url().endsWith('/get_offers') && (r.postData() ?? '').includes('gpu_count: 8'));
    await page.getByLabel('GPUs', { exact: true }).selectOption('8');
    await sent;
    await expect(page).toHaveURL(/gpus=8/);
    await expect(page.getByText(new RegExp(`^${eight.length} of ${eight.length} offers`))).toBeVisible();
    for (const row of (await offerRows(page).all()).slice(0, 5)) {
      await expect(row.locator('td').nth(2)).toHaveText(/^8( \(\d+ × \d+\))?$/);
    }
    const vendor = eight[0].vendor as string;
    await page.getByLabel('Vendor', { exact: true }).selectOption(vendor);
    await expect(page).toHaveURL(new RegExp(`vendor=${vendor}`));
    for (const row of (await offerRows(page).all()).slice(0, 5)) {
      await expect(row.locator('td').nth(3)).toHaveText(vendor);
    }
    await page.goBack();
    await expect(page).not.toHaveURL(/vendor=/);
    await expect(page).toHaveURL(/gpus=8/);
    await expect(page.getByLabel('GPUs', { exact: true })).toHaveValue('8');
  });

  test('one family, then an exact model', async ({ page, request }) => {
    const families = await sim.families(request);
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    // Untick every family but H100.
    for (const family of families.filter((f) => f !== 'H100')) {
      await page.getByRole('checkbox', { name: family, exact: true }).uncheck();
    }
    await expect(page).toHaveURL(/gpu=H100(&|$)/);
    for (const row of (await offerRows(page).all()).slice(0, 5)) {
      await expect(row.locator('td').nth(1)).toContainText('H100');
    }
    const h100 = await sim.offers(request, { compute: { gpu_type: 'H100' } });
    const model = h100[0].gpu_type as string;
    await page.getByRole('checkbox', { name: model, exact: true }).check();
    await page.getByRole('checkbox', { name: 'H100', exact: true }).uncheck();
    await expect(page).toHaveURL(new RegExp(`gpu=${model}(&|$)`));
    for (const row of (await offerRows(page).all()).slice(0, 5)) {
      await expect(row.locator('td').nth(1)).toContainText(model);
    }
  });

  test('the spec editor and the filters follow each other, and a broken spec is not sent', async ({ page, request }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await page.getByText('Spec (YAML) sent to the service').click();
    const editor = page.getByLabel('Offer spec');
    await expect(editor).toHaveValue(/gpu_count: 1/);
    await page.getByLabel('GPUs', { exact: true }).selectOption('4');
    await expect(editor).toHaveValue(/gpu_count: 4/);

    // Edited by hand: the filters follow, unknown keys are kept.
    const text = (await editor.inputValue()).replace('gpu_count: 4', 'gpu_count: 2') + 'future_key: kept\n';
    const sentWithKey = page.waitForRequest((r) => (r.postData() ?? '').includes('future_key: "kept"'));
    await editor.fill(text);
    await sentWithKey;
    await expect(page).toHaveURL(/spec=/);
    await expect(page.getByLabel('GPUs', { exact: true })).toHaveValue('2');
    await page.getByLabel('Search offers').focus();
    await expect(editor).toHaveValue(/future_key: "?kept"?/);
    expect(decodeURIComponent(new URL(page.url()).search)).toContain('future_key: "kept"');

    // Not YAML: the problem is shown with where it is, and nothing is sent.
    await sim.resetStats(request);
    await editor.fill('compute:\n  gpu_type: [H100\n');
    const problem = page.getByRole('list', { name: 'Spec problems' }).getByRole('button');
    await expect(problem).toContainText(/^Line \d+, column \d+: YAML error/);
    await page.waitForTimeout(1000);
    expect(await sim.requestCount(request, 'POST', '/get_offers')).toBe(0);
    // The offers of the last good spec stay.
    await expect(offerRows(page).first()).toBeVisible();

    // Closed and opened again, the panel keeps what was typed.
    await page.getByText('Spec (YAML) sent to the service').click();
    await expect(editor).toBeHidden();
    await page.getByText('Spec (YAML) sent to the service').click();
    await expect(editor).toHaveValue('compute:\n  gpu_type: [H100\n');
    await expect(problem).toContainText(/^Line \d+, column \d+: YAML error/);
  });

  test('the spec panel builds its editor when first opened, not with the page', async ({ page }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await expect(page.locator('#offer-spec')).toHaveCount(0);
    await page.getByText('Spec (YAML) sent to the service').press('Enter');
    await expect(page.getByLabel('Offer spec')).toHaveValue(/gpu_count: 1/);
    await expect(page.getByLabel('Volume type', { exact: true })).toBeVisible();
  });

  test('a storage volume goes into the spec and its price into the offers', async ({ page }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await page.getByText('Spec (YAML) sent to the service').click();
    await page.getByLabel('Volume type', { exact: true }).selectOption('filesystem');
    await page.getByLabel('Volume size', { exact: true }).fill('2TB');
    await page.getByLabel(/^Persistent/).check();
    const sent = page.waitForRequest((r) => r.url().endsWith('/get_offers') && (r.postData() ?? '').includes('storage:'));
    await page.getByRole('button', { name: 'Add volume' }).click();
    const body = (await sent).postData() ?? '';
    expect(body).toMatch(/storage:\n  - type: "filesystem"\n    size: "2TB"\n    persistent: true/);
    await expect(page.getByRole('button', { name: /^Remove volume 1: 2TB filesystem/ })).toBeVisible();
    await expect(offerRows(page).first().locator('td').nth(9)).not.toHaveText('—');
  });

  test('copy as curl gives the exact request, with $SUPPLY_TOKEN and never the token', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/offers?gpus=2');
    await expect(offerRows(page).first()).toBeVisible();
    await page.getByText('Spec (YAML) sent to the service').click();
    await page.getByRole('button', { name: 'Copy the request as a curl command' }).click();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip).toContain("curl --request POST '");
    expect(clip).toContain('/get_offers');
    expect(clip).toContain('Bearer $SUPPLY_TOKEN');
    expect(clip).toContain("'Content-Type: application/yaml'");
    expect(clip).toContain('gpu_count: 2');
    expect(clip).not.toContain(DEMO_TOKEN);
  });

  test('a 422 on the spec lands on the filter it names', async ({ page, request }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    await sim.setFaults(request, { path_prefix: '/get_offers', status: 422, times: 1 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const countError = page.locator('#gpu-count-error');
    await expect(countError).not.toBeEmpty();
    await expect(page.getByLabel('GPUs', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('alert')).toContainText('422');
  });

  test('while the service is asked again, the last answer for the same spec stays, with its age', async ({ page, request }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    const first = await offerRows(page).first().getByRole('link', { name: /^Procure / }).getAttribute('href');
    await sim.setFaults(request, { path_prefix: '/get_offers', latency_ms: 3000, times: 1 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText(/the offers shown are the last answer for this spec/)).toBeVisible();
    await expect(offerRows(page).first().getByRole('link', { name: /^Procure / })).toHaveAttribute('href', first as string);
    await expect(page.locator('.summary')).toContainText(/updated \d+ s ago/);
    await expect(page.getByText(/the offers shown are the last answer for this spec/)).toHaveCount(0, { timeout: 10000 });
  });

  test('an older answer never replaces a newer one', async ({ page, request }) => {
    await page.goto('/offers');
    await expect(offerRows(page).first()).toBeVisible();
    // The count-2 answer is slow; the count-4 one, asked after it, is quick.
    await sim.setFaults(request, { path_prefix: '/get_offers', latency_ms: 2500, times: 1 });
    await page.getByLabel('GPUs', { exact: true }).selectOption('2');
    await page.waitForRequest((r) => (r.postData() ?? '').includes('gpu_count: 2'));
    await page.getByLabel('GPUs', { exact: true }).selectOption('4');
    await expect(offerRows(page).first().locator('td').nth(2)).toHaveText(/^4/);
    await page.waitForTimeout(3000);
    await expect(page.getByLabel('GPUs', { exact: true })).toHaveValue('4');
    for (const row of (await offerRows(page).all()).slice(0, 5)) {
      await expect(row.locator('td').nth(2)).toHaveText(/^4/);
    }
  });

  test('a first visit opens on the last search', async ({ page }) => {
    await page.goto('/offers?gpus=8&q=nebius');
    await expect(page.getByLabel('Search offers')).toHaveValue('nebius');
    await page.goto('/offers');
    await expect(page).toHaveURL(/gpus=8/);
    await expect(page.getByLabel('Search offers')).toHaveValue('nebius');
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
      Number((await offerRows(page).nth(n).locator('td').nth(8).innerText()).replace(/[$,]/g, ''));
    expect(await price(0)).toBeGreaterThanOrEqual(await price(1));
  });

  test('a copied link restores the view', async ({ page }) => {
    await page.goto('/offers?gpu=A100&gpus=1&sort=gpus&dir=desc&q=a100');
    await expect(page.getByRole('checkbox', { name: 'A100', exact: true })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'H100', exact: true })).not.toBeChecked();
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
    // Paused just ahead of the page's own clock (never behind it).
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 50);
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
    const family = (label: string) => label.split(' · ')[0];
    const picked = await offerOf(first);
    await first.getByRole('checkbox').check();
    // Search for another GPU type: the rows now show other offers, and a
    // box is ticked only where its own offer was picked.
    const other = (await offerRows(page).locator('td:nth-child(2)').allInnerTexts())
      .map((t) => family(t.trim()))
      .find((gpu) => gpu.toLowerCase() !== family(firstGpu).toLowerCase());
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
