import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  DEMO_TOKEN,
  K0RDENT_TOKEN,
  expect,
  expectNoAxeViolations,
  onAuthorizedRequest,
  signInBoth,
  startServer,
  test,
} from './helpers';

// The console served by `supply-console` (what scripts/serve.sh runs for a
// real service), against a second simulator that sends no CORS headers, as
// a service that allows no browser origin would. Through the same-origin
// proxy the console works; pointed straight at the service it fails, and
// says why.
const root = path.resolve(__dirname, '..', '..');
const simBin = process.env.E2E_SIM_BIN ?? path.join(root, 'target', 'release', 'supply-sim');
const consoleBin = process.env.E2E_CONSOLE_BIN ?? path.join(path.dirname(simBin), 'supply-console');
const dist = process.env.E2E_DIST_DIR ?? path.join(root, 'dist');

const base = Number(process.env.E2E_PROXY_PORT_BASE ?? 18100);
const SIM_SUPPLY = `http://127.0.0.1:${base}`;
const SIM_K0RDENT = `http://127.0.0.1:${base + 1}`;
const PROXIED = `http://127.0.0.1:${base + 2}`;
const DIRECT = `http://127.0.0.1:${base + 3}`;

const children: ChildProcess[] = [];

test.beforeAll(async () => {
  const start = async (bin: string, args: string[]) => children.push(await startServer(bin, args));
  await start(simBin, ['--port', String(base), '--k0rdent-port', String(base + 1), '--no-cors', '--quiet']);
  const upstreams = ['--supply-url', SIM_SUPPLY, '--k0rdent-url', SIM_K0RDENT, '--ui-dir', dist, '--quiet'];
  await Promise.all([
    start(consoleBin, [...upstreams, '--port', String(base + 2), '--proxy']),
    start(consoleBin, [...upstreams, '--port', String(base + 3)]),
  ]);
});

test.afterAll(() => {
  for (const child of children) child.kill();
});

test.describe('the console served for a real service', () => {
  test('through the same-origin proxy it works, and tokens go only to the proxy paths', async ({ page }) => {
    const authorized: string[] = [];
    onAuthorizedRequest(page, (url) => authorized.push(url));
    await page.goto(`${PROXIED}/settings`);
    // config.json names paths on the console's own origin.
    await expect(page.getByLabel('API base URL')).toHaveValue(`${PROXIED}/supply-api`);
    await expect(page.getByLabel('k0rdent base URL')).toHaveValue(`${PROXIED}/k0rdent-api`);
    // No demo sign-in: a real service's config carries no token.
    await expect(page.getByRole('button', { name: 'Use the demo token' })).toHaveCount(0);
    await signInBoth(page, K0RDENT_TOKEN, false, PROXIED);

    await page.getByRole('link', { name: 'Offers', exact: true }).click();
    const table = page.getByRole('table', { name: 'GPU offers' });
    await expect(table.locator('tbody tr[data-pos]').first()).toBeVisible();
    await page.getByRole('link', { name: 'k0rdent', exact: true }).click();
    await expect(page.getByRole('heading', { name: /k0rdent/, level: 1 })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);

    expect(authorized.length).toBeGreaterThan(0);
    const elsewhere = authorized.filter(
      (url) => !url.startsWith(`${PROXIED}/supply-api/`) && !url.startsWith(`${PROXIED}/k0rdent-api/`),
    );
    expect(elsewhere, 'requests with a token that went past the proxy paths').toEqual([]);
  });

  test('pointed straight at a service without CORS, it fails clearly and keeps the settings', async ({ page }) => {
    await page.goto(`${DIRECT}/settings`);
    await expect(page.getByLabel('API base URL')).toHaveValue(SIM_SUPPLY);
    await signInBoth(page, K0RDENT_TOKEN, false, DIRECT);
    await page.getByRole('link', { name: 'Offers', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The API could not be reached' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('CORS');
    await expect(alert).toContainText(SIM_SUPPLY);
    await expectNoAxeViolations(page);
  });

  test('a path typed as the base URL means one on the console\'s own origin', async ({ page }) => {
    await page.goto(`${DIRECT}/settings`);
    await page.getByLabel('API base URL').fill('/supply-api');
    await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByLabel('API base URL')).toHaveValue(`${DIRECT}/supply-api`);
  });
});
