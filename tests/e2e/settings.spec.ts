import {
  API_URL,
  DEMO_TOKEN,
  WRONG_TOKEN,
  announcements,
  expect,
  expectNoAxeViolations,
  pathname,
  signIn,
  storageEntries,
  test,
} from './helpers';

test.describe('settings', () => {
  test('without a token, a page that needs one leads to settings and back', async ({ page, request }) => {
    await page.goto('/offers');
    await expect(page).toHaveURL(/\/settings/);

    await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();

    const config = await (await request.get('/config.json')).json();
    expect(String(config.api_base_url)).toContain(new URL(API_URL).port);
    await expect(page.getByRole('textbox', { name: 'API base URL', exact: true })).toHaveValue(config.api_base_url);

    const token = page.getByLabel('API token', { exact: true });
    await expect(token).toHaveAttribute('type', 'password');
    await expect(page.getByRole('radio', { name: 'Remember on this device', exact: true })).toBeVisible();
    await expect(page.getByRole('radio', { name: 'This browser session only', exact: true })).toBeVisible();
    for (const name of ['Save', 'Test connection', 'Sign out']) {
      await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
    }

    await token.fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => pathname(page)).toBe('/offers');
  });

  test('the simulator\'s demo opens ready: one click signs in to both APIs and shows offers', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/settings\?next=/);
    const demo = page.getByRole('region', { name: 'Try the demo' });
    await expect(demo).toBeVisible();
    await expectNoAxeViolations(page);
    await demo.getByRole('button', { name: 'Use the demo token' }).click();
    await expect(page).toHaveURL(/\/offers$/);
    await expect(page.getByRole('table', { name: 'GPU offers' }).locator('tbody tr[data-pos]').first()).toBeVisible();
    const stored = await storageEntries(page, 'both');
    expect(stored).toContain(`supply.api_token=${DEMO_TOKEN}`);
    expect(stored.some((e) => e.startsWith('supply.k0rdent_token=') && e.length > 'supply.k0rdent_token='.length)).toBe(true);
    // Signed in, settings no longer offers it.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Use the demo token' })).toHaveCount(0);
  });

  test('a refused token is reported and kept in the field', async ({ page }) => {
    await page.goto('/settings');
    const token = page.getByLabel('API token', { exact: true });
    await token.fill(WRONG_TOKEN);
    await page.getByRole('button', { name: 'Test connection', exact: true }).click();

    const message = announcements(page).filter({ hasText: '401' });
    await expect(message).toBeVisible();
    await expect(message).toContainText(/refused/i);
    await expect(token).toHaveValue(WRONG_TOKEN);
  });

  test('an unreachable API is reported, with CORS named as a cause', async ({ page }) => {
    await page.goto('/settings');
    // Nothing listens on the discard port.
    await page.getByRole('textbox', { name: 'API base URL', exact: true }).fill('http://127.0.0.1:9');
    await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Test connection', exact: true }).click();

    const message = announcements(page).filter({ hasText: /could not be reached/i });
    await expect(message).toBeVisible();
    await expect(message).toContainText('CORS');
  });

  test('sign out forgets the token', async ({ page }) => {
    await signIn(page);
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    await expect.poll(async () => (await storageEntries(page, 'both')).filter((e) => e.includes(DEMO_TOKEN))).toEqual([]);
    await page.goto('/offers');
    await expect(page).toHaveURL(/\/settings/);
  });

  test('"This browser session only" keeps the token out of localStorage', async ({ page }) => {
    await page.goto('/settings');
    await page.getByRole('radio', { name: 'This browser session only', exact: true }).check();
    await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await expect
      .poll(async () => (await storageEntries(page, 'sessionStorage')).some((e) => e.includes(DEMO_TOKEN)))
      .toBe(true);
    expect((await storageEntries(page, 'localStorage')).filter((e) => e.includes(DEMO_TOKEN))).toEqual([]);
  });

  test('has no axe-core violations', async ({ page }) => {
    await page.goto('/settings');
    await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
