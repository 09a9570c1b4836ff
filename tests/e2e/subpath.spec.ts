import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEMO_TOKEN, expect, startStaticHost, test } from './helpers';

// The sub-path build (scripts/test.sh builds it with --public-url /console/)
// served by a plain static server that answers unknown paths with 404.html.
const root = path.resolve(__dirname, '..', '..');
const dist = process.env.E2E_SUBPATH_DIST_DIR ?? path.join(root, 'dist-console');
const PORT = Number(process.env.E2E_STATIC_PORT ?? 18090);
const HOST = `http://127.0.0.1:${PORT}`;
// A resource the simulator seeds.
const RESOURCE = '0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01';

let server: ChildProcess;

test.beforeAll(async () => {
  server = await startStaticHost(dist, '/console/', PORT);
});

test.afterAll(() => {
  server?.kill();
});

test.describe('served under /console/ by a plain static host', () => {
  test('a shared resource link opens directly, through settings and back', async ({ page }) => {
    await page.goto(`${HOST}/console/resources/${RESOURCE}`);
    // No token yet: settings first, under the sub-path.
    await expect(page).toHaveURL(new RegExp(`^${HOST}/console/settings\\?next=`));
    await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page).toHaveURL(`${HOST}/console/resources/${RESOURCE}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('train-h100-01');

    // A reload of the deep link works: the host answers 404.html.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('train-h100-01');

    // Links stay under the sub-path.
    await page.getByRole('link', { name: 'Offers', exact: true }).click();
    await expect(page).toHaveURL(`${HOST}/console/offers`);
    await expect(page.getByRole('heading', { name: 'GPU offers' })).toBeVisible();
    const row = page.getByRole('table', { name: 'GPU offers' }).locator('tbody tr[data-pos]').first();
    await row.getByRole('link', { name: /^Procure / }).click();
    await expect(page).toHaveURL(new RegExp(`^${HOST}/console/offers/[0-9a-f-]{36}/procure$`));
    await page.goto(`${HOST}/console/`);
    await expect(page).toHaveURL(`${HOST}/console/offers`);
  });

  test('an unknown path under the sub-path shows the console\'s not-found page', async ({ page }) => {
    await page.goto(`${HOST}/console/settings`);
    await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.goto(`${HOST}/console/no/such/page`);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });
});
