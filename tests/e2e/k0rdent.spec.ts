import type { APIRequestContext, Page } from '@playwright/test';
import {
  API_URL,
  DEMO_TOKEN,
  K0RDENT_TOKEN,
  K0RDENT_URL,
  WRONG_TOKEN,
  expect,
  expectNoAxeViolations,
  onAuthorizedRequest,
  pathname,
  signInBoth,
  sim,
  storageEntries,
  test,
} from './helpers';

const REGION = 'us-texas-1';
const PROJECT = 'project-x9y8z7';
const instancePath = (id: string) => `/k0rdent/regions/${REGION}/projects/${PROJECT}/instances/${id}`;
/** How the simulator counts k0rdent instance requests (GET /__admin/stats). */
const INSTANCE_ROUTE = '/v1/regions/{region}/projects/{project}/compute/instances/{id}';
const k0rdentRequests = (request: APIRequestContext) => sim.requestCount(request, 'GET', INSTANCE_ROUTE);

/** A fresh simulated world: `instance-d4e5f6` is PROVISIONING again. */
async function resetSim(request: APIRequestContext): Promise<void> {
  const res = await request.post(`${API_URL}/__admin/reset`);
  expect(res.ok(), await res.text()).toBeTruthy();
}

const lifecycle = (page: Page) => page.getByRole('status').filter({ hasText: 'Lifecycle:' });
const fact = (page: Page, term: string) =>
  page.locator('dl.facts dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

test.describe('k0rdent instances', () => {
  test.beforeEach(async ({ page, request }) => {
    await resetSim(request);
    await signInBoth(page);
  });

  test('an instance shows every field of the API answer', async ({ page }) => {
    await page.goto(instancePath('instance-a1b2c3'));
    await expect(page.getByRole('heading', { level: 1, name: 'Inference gateway' })).toBeVisible();
    await expect(lifecycle(page)).toContainText('RUNNING');
    await expect(lifecycle(page)).toContainText('Instance is running');
    await expect(page.getByText('Polling stopped: the lifecycle is final.')).toBeVisible();

    await expect(fact(page, 'Display name')).toHaveText('Inference gateway');
    await expect(fact(page, 'ID')).toContainText('instance-a1b2c3');
    await expect(fact(page, 'UID')).toHaveText('5b1f7e2a-91c4-4d3e-a6b8-0f2c9d4e7a13');
    await expect(fact(page, 'Description')).toHaveText('Serves the staging inference endpoint');
    const labels = page.getByRole('list', { name: 'Labels' }).getByRole('listitem');
    await expect(labels).toHaveText(['env: staging', 'managed-by: supply-service', 'team: ml-platform']);
    await expect(fact(page, 'Instance type').locator('.uri-name')).toHaveText('g1-xlarge');
    await expect(fact(page, 'Hostname')).toContainText('instance-a1b2c3.us1-a.c.project-x9y8z7.internal');
    await expect(page.getByRole('list', { name: 'GPUs' })).toHaveText('nvidia-l40s-48gb × 2');
    await expect(fact(page, 'Created').locator('time')).toHaveText('6 d 0 h ago');
    await expect(fact(page, 'Updated').locator('time')).toHaveText(/ago$/);
    await expect(fact(page, 'Self link')).toContainText(
      '/v1/regions/us-texas-1/projects/project-x9y8z7/compute/instances/instance-a1b2c3',
    );

    const disks = page.getByRole('table', { name: 'Disks' }).locator('tbody tr');
    await expect(disks).toHaveCount(2);
    await expect(disks.nth(0).locator('td')).toHaveText(['200 GB', 'SCSI', 'yes', 'PERSISTENT', 'READ_ONLY', 'ubuntu-24.04-20260202-3']);
    await expect(disks.nth(1).locator('td')).toHaveText(['3840 GB', 'NVME', 'no', 'SCRATCH', 'READ_WRITE', '—']);

    const nics = page.getByRole('table', { name: 'Network interfaces' }).locator('tbody tr');
    await expect(nics.locator('td')).toHaveText(['network-g7h8i9', 'subnet-us1-a-private', '10.20.0.21', 'fd00:20::15', '120']);

    const keys = page.getByRole('table', { name: 'SSH keys' }).locator('tbody tr');
    await expect(keys).toHaveCount(2);
    await expect(keys.nth(0).locator('td')).toHaveText([
      'admin',
      'ED25519',
      'SHA256:t/3uXmYqZ1iXVj3/6PgiQzryTWjctbujPJyY6v7gi4A',
      'admin@hostname',
    ]);
    await expect(keys.nth(1).locator('td').nth(0)).toHaveText('guest');
    await expect(keys.nth(1).locator('td').nth(2)).toHaveText(/^SHA256:[A-Za-z0-9+/]{43}$/);

    // Cloud-init user data is folded until asked for, and shown as text.
    const userData = page.locator('details.metadata-value', { hasText: 'user-data' });
    await expect(userData.locator('pre')).toBeHidden();
    await userData.locator('summary').click();
    await expect(userData.locator('pre')).toBeVisible();
    await expect(userData.locator('pre')).toContainText('#cloud-config');
    await expect(userData.locator('pre')).toContainText('nvidia-smi -L');
  });

  test('the open-instance form refuses a bad id before any request', async ({ page, request }) => {
    const sent: string[] = [];
    // The page lists the projects; no instance may be asked for.
    page.on('request', (req) => {
      if (req.url().startsWith(K0RDENT_URL) && req.url().includes('/compute/instances')) sent.push(req.url());
    });
    await page.goto('/k0rdent');
    await expect(page.getByRole('heading', { level: 1, name: 'k0rdent instances' })).toBeVisible();
    const before = await k0rdentRequests(request);

    await page.getByRole('textbox', { name: 'Region' }).fill(REGION);
    await page.getByRole('textbox', { name: 'Project' }).fill(PROJECT);
    const id = page.getByRole('textbox', { name: 'Instance id' });
    for (const [bad, why] of [
      ['Instance_1', /starts with a lowercase letter/],
      ['instance_1', /'_' is not allowed/],
      ['instance-', /not a hyphen/],
      ['a'.repeat(64), /at most 63 characters/],
      ['', /Enter an instance id/],
    ] as const) {
      await id.fill(bad);
      await page.getByRole('button', { name: 'Open instance' }).click();
      await expect(id).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#k0rdent-instance-id-error')).toHaveText(why);
      expect(pathname(page)).toBe('/k0rdent');
    }

    // An address with a bad id is refused the same way.
    await page.goto(instancePath('Bad_Id'));
    await expect(page.getByRole('alert').filter({ hasText: 'does not name a k0rdent instance' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('Nothing was sent');

    expect(sent, 'requests to the k0rdent API').toEqual([]);
    expect(await k0rdentRequests(request)).toBe(before);

    // A good id opens the instance.
    await page.goto('/k0rdent');
    await page.getByRole('textbox', { name: 'Instance id' }).fill('instance-g7h8i9');
    await page.getByRole('textbox', { name: 'Region' }).fill(REGION);
    await page.getByRole('textbox', { name: 'Project' }).fill(PROJECT);
    await page.getByRole('button', { name: 'Open instance' }).click();
    await expect.poll(() => pathname(page)).toBe(instancePath('instance-g7h8i9'));
    await expect(lifecycle(page)).toContainText('SUSPENDED');
    expect(await k0rdentRequests(request)).toBe(before + 1);
  });

  test('a wrong k0rdent token gives a clear 401', async ({ page }) => {
    await signInBoth(page, WRONG_TOKEN);
    await page.goto(instancePath('instance-a1b2c3'));
    const alert = page.getByRole('alert').filter({ hasText: '401' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('k0rdent API: Token refused (401)');
    await expect(alert).toContainText(/refused the token/);
    await expect(alert.getByRole('link', { name: 'Open settings' })).toBeVisible();
    await expect(page.getByText('The k0rdent API has its own token')).toBeVisible();

    // Settings tests the k0rdent token on its own.
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Test k0rdent connection' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'k0rdent API: Token refused (401)' })).toBeVisible();
    await page.getByLabel('k0rdent token', { exact: true }).fill(K0RDENT_TOKEN);
    await page.getByRole('button', { name: 'Test k0rdent connection' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'accepted the k0rdent token' })).toBeVisible();
  });

  test('each token goes only to its own API', async ({ page }) => {
    const seen: { url: string; auth: string }[] = [];
    onAuthorizedRequest(page, (url, auth) => seen.push({ url, auth }));
    await page.goto(instancePath('instance-a1b2c3'));
    await expect(lifecycle(page)).toContainText('RUNNING');
    await page.goto('/offers');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect.poll(() => seen.some((s) => s.url.startsWith(API_URL))).toBe(true);
    for (const { url, auth } of seen) {
      if (url.startsWith(K0RDENT_URL)) expect(auth, url).toBe(`Bearer ${K0RDENT_TOKEN}`);
      else expect(auth, url).toBe(`Bearer ${DEMO_TOKEN}`);
    }
    expect(seen.some((s) => s.url.startsWith(K0RDENT_URL))).toBe(true);
  });

  test('a provisioning instance is polled until RUNNING, then polling stops', async ({ page, request }) => {
    await page.clock.install();
    await page.goto(instancePath('instance-d4e5f6'));
    await expect(lifecycle(page)).toContainText('PROVISIONING');
    await expect(page.getByText('Checking every 15 s until the lifecycle is final.')).toBeVisible();
    const first = await k0rdentRequests(request);

    // Still provisioning: the next poll comes 15 s later, not before.
    await page.clock.fastForward(14_000);
    expect(await k0rdentRequests(request)).toBe(first);
    await page.clock.fastForward(2_000);
    await expect.poll(() => k0rdentRequests(request)).toBe(first + 1);
    await expect(lifecycle(page)).toContainText('PROVISIONING');

    // The simulator boots it 60 s after its start.
    await sim.advanceClock(request, 60);
    await page.clock.fastForward(16_000);
    await expect(lifecycle(page)).toContainText('RUNNING');
    await expect(page.getByText('Polling stopped: the lifecycle is final.')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Network interfaces' })).toContainText('10.20.0.14');
    const last = await k0rdentRequests(request);
    await page.clock.fastForward('05:00');
    expect(await k0rdentRequests(request), 'no poll after a final state').toBe(last);
  });

  test('a 5xx while polling shows a banner, and Retry recovers', async ({ page, request }) => {
    await page.goto(instancePath('instance-m3n4o5'));
    await expect(lifecycle(page)).toContainText('STOPPING');
    await sim.setFaults(request, { path_prefix: '/v1/', status: 503, times: 1 });
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const banner = page.getByRole('alert').filter({ hasText: '503' });
    await expect(banner).toContainText('k0rdent API');
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(banner).toHaveCount(0);
    await expect(lifecycle(page)).toContainText('STOPPING');
  });

  test('sign out forgets the k0rdent token too', async ({ page }) => {
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect
      .poll(async () => (await storageEntries(page, 'both')).filter((e) => e.includes(K0RDENT_TOKEN) || e.includes(DEMO_TOKEN)))
      .toEqual([]);
    await expect(page.getByLabel('k0rdent token', { exact: true })).toHaveValue('');
  });

  test('"This browser session only" keeps the k0rdent token out of localStorage', async ({ page }) => {
    await page.goto('/settings');
    await page.getByRole('radio', { name: 'This browser session only', exact: true }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(async () => (await storageEntries(page, 'sessionStorage')).some((e) => e.includes(K0RDENT_TOKEN)))
      .toBe(true);
    expect((await storageEntries(page, 'localStorage')).filter((e) => e.includes(K0RDENT_TOKEN))).toEqual([]);
    // It is still used after a reload.
    await page.goto(instancePath('instance-a1b2c3'));
    await expect(lifecycle(page)).toContainText('RUNNING');
  });

  test('the header links to the k0rdent page', async ({ page }) => {
    await page.goto('/offers');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'k0rdent', exact: true }).click();
    await expect.poll(() => pathname(page)).toBe('/k0rdent');
    await expect(page.getByRole('heading', { level: 1, name: 'k0rdent instances' })).toBeVisible();
  });

  test('the instance page has no axe-core violations', async ({ page }) => {
    await page.goto(instancePath('instance-j0k1l2'));
    await expect(lifecycle(page)).toContainText('REPAIRING');
    await page.locator('details.metadata-value summary').first().click();
    await page.getByText('Open another instance').click();
    await expectNoAxeViolations(page);
    await page.goto(instancePath('instance-d4e5f6'));
    await expect(lifecycle(page)).toContainText('PROVISIONING');
    await expectNoAxeViolations(page);
  });

  test('the open-instance form has no axe-core violations, errors shown too', async ({ page }) => {
    await page.goto('/k0rdent');
    await expect(page.getByRole('heading', { level: 1, name: 'k0rdent instances' })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Open instance' }).click();
    await expect(page.locator('#k0rdent-instance-id-error')).not.toBeEmpty();
    await expectNoAxeViolations(page);
  });

  test('the settings page with the k0rdent section has no axe-core violations', async ({ page }) => {
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Test k0rdent connection' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'accepted the k0rdent token' })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
