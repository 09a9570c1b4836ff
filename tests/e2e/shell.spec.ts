import { expect, pathname, signIn, test } from './helpers';

// Fixed: test titles must be the same each time the file is loaded.
const uuid = '3f2b8c1e-6a4d-4e8f-9b7a-1c2d3e4f5a6b';

// Every route of the console; each must render a level-1 heading without an
// uncaught error (the guard in helpers.ts fails the test on a pageerror).
const routes = [
  '/offers',
  '/resources',
  '/settings',
  `/offers/${uuid}/procure`,
  `/offers/${uuid}/status`,
  `/resources/${uuid}`,
  '/k0rdent',
  '/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances',
  '/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances/instance-d4e5f6',
];

test.describe('app shell', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('header navigation links to Offers, Resources and Settings', async ({ page }) => {
    await page.goto('/offers');
    const nav = page.getByRole('navigation').filter({ has: page.getByRole('link', { name: 'Offers', exact: true }) });
    for (const name of ['Offers', 'Resources', 'Settings']) {
      await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
    }
    await nav.getByRole('link', { name: 'Resources', exact: true }).click();
    await expect.poll(() => pathname(page)).toBe('/resources');
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  });

  test('an unknown path shows "Page not found"', async ({ page }) => {
    await page.goto('/nope');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });

  for (const route of routes) {
    test(`renders ${route}`, async ({ page }) => {
      await page.goto(route);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      // Let its requests settle so a late failure still surfaces here.
      await page.waitForLoadState('networkidle');
    });
  }

  test('a deep link survives a reload (SPA fallback)', async ({ page, request }) => {
    const deep = `/resources/${uuid}`;
    const res = await request.get(deep);
    expect(res.status(), 'the server answers a deep link with index.html').toBe(200);
    expect(res.headers()['content-type'] ?? '').toContain('text/html');

    await page.goto(deep);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    expect(pathname(page)).toBe(deep);
  });
  test('lazy pages are fetched in the background once the console is up', async ({ page }) => {
    const chunks: string[] = [];
    page.on('request', (r) => {
      if (/\/split_\w+_chunk\.wasm$/.test(r.url())) chunks.push(r.url());
    });
    await signIn(page);
    await expect.poll(() => chunks.some((u) => u.endsWith('/split_offers_chunk.wasm'))).toBe(true);
    await expect.poll(() => chunks.some((u) => u.endsWith('/split_status_chunk.wasm'))).toBe(true);
    await expect.poll(() => chunks.some((u) => u.endsWith('/split_resources_chunk.wasm'))).toBe(true);
    await expect.poll(() => chunks.some((u) => u.endsWith('/split_resource_chunk.wasm'))).toBe(true);
  });

  test('a slow first page does not hide the page navigated to next', async ({ page }) => {
    await signIn(page);
    // The status page's code arrives late; the person leaves for Offers.
    await page.route(/\/split_status_chunk\.wasm$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.goto('/offers/00000000-0000-4000-8000-000000000000/status');
    await page.getByRole('link', { name: 'Offers', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'GPU offers' })).toBeVisible();
    await page.waitForTimeout(2000);
    await expect(page.getByRole('heading', { name: 'GPU offers' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Provisioning status' })).toHaveCount(0);
  });
});
