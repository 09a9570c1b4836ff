import type { Page } from '@playwright/test';
import { API_URL, expect, K0RDENT_URL, procureVm, SEEDED_RESOURCE, signInBoth, test } from './helpers';

// Data that arrives after the page's first paint moves nothing already on
// it: every API answer is held back here, so the page is drawn before its
// data whatever the machine's speed, and the layout shifts the browser
// reports over the visit are summed (what Lighthouse calls CLS).
const HOLD_MS = 700;
const INSTANCES = '/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances';

declare global {
  interface Window {
    layoutShift: number;
  }
}

async function visitWithDataHeldBack(page: Page, address: string) {
  await page.addInitScript(() => {
    window.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) window.layoutShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const apis = [new URL(API_URL).origin, new URL(K0RDENT_URL).origin];
  await page.route(
    (url) => apis.includes(url.origin),
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      await route.continue();
    },
  );
  await page.goto(address);
}

const shifted = (page: Page) => page.evaluate(() => window.layoutShift);

test.describe('data arriving moves nothing on the page', () => {
  // Lighthouse's mobile screen, where most of a page is below the fold.
  test.use({ viewport: { width: 412, height: 823 } });
  test.beforeEach(async ({ page }) => {
    await signInBoth(page);
    await page.goto('about:blank');
  });

  test('provisioning status: the timeline, instances and resources arrive together', async ({ page, request }) => {
    const offerId = await procureVm(request, 'e2e-layout');
    await visitWithDataHeldBack(page, `/offers/${offerId}/status`);
    await expect(page.getByRole('heading', { name: 'Provisioning status', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Timeline', level: 2 })).toBeVisible();
    await expect(page.getByRole('heading', { name: "This order's resources" })).toBeVisible();
    await expect(page.locator('.spend-meter__figure')).toContainText('/h');
    expect(await shifted(page)).toBeLessThan(0.001);
  });

  test('k0rdent instances: the pager sits above the list', async ({ page }) => {
    await visitWithDataHeldBack(page, INSTANCES);
    await expect(page.getByRole('navigation', { name: 'Pages of instances' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Inference gateway' })).toBeVisible();
    await expect(page.locator('.spend-meter__figure')).toContainText('/h');
    expect(await shifted(page)).toBeLessThan(0.001);
  });

  test('a k0rdent instance: "Open another instance" sits above the details', async ({ page }) => {
    await visitWithDataHeldBack(page, `${INSTANCES}/instance-a1b2c3`);
    await expect(page.getByText('Open another instance')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Lifecycle:' })).not.toContainText('loading');
    await expect(page.locator('.spend-meter__figure')).toContainText('/h');
    expect(await shifted(page)).toBeLessThan(0.001);
  });

  for (const [address, ready] of [
    ['/resources', 'resources ·'],
    [`/resources/${SEEDED_RESOURCE}`, 'Force refresh'],
    ['/k0rdent', 'project-x9y8z7'],
  ] as const) {
    test(`${address}: its data lands without moving what was drawn`, async ({ page }) => {
      await visitWithDataHeldBack(page, address);
      await expect(page.getByText(ready).first()).toBeVisible();
      await expect(page.locator('.spend-meter__figure')).toContainText('/h');
      expect(await shifted(page)).toBeLessThan(0.001);
    });
  }

  test('offers: the heading keeps its size when the answer arrives', async ({ page }) => {
    await visitWithDataHeldBack(page, '/offers');
    const refresh = page.locator('.offers .page-heading > button');
    const hint = page.locator('.offers > .hint');
    await expect(refresh).toHaveAccessibleName('Asking vendors…');
    const before = { button: await refresh.boundingBox(), hint: await hint.boundingBox() };
    await expect(page.locator('.offers .summary')).toContainText(/\d+ of \d+ offers/);
    await expect(refresh).toHaveAccessibleName('Refresh');
    expect({ button: await refresh.boundingBox(), hint: await hint.boundingBox() }).toEqual(before);
  });

  // The GPU boxes wait for the service's list (longer than the documented
  // one, in its own order) in a box of fixed height.
  test("offers: the service's GPU list and the answer land without moving what was drawn", async ({ page }) => {
    await visitWithDataHeldBack(page, '/offers');
    await expect(page.locator('.offers .summary')).toContainText(/\d+ of \d+ offers/);
    await expect(page.getByRole('checkbox', { name: 'nvidia-h200-sxm5-141gb', exact: true })).toBeVisible();
    expect(await shifted(page)).toBeLessThan(0.001);
  });
});
