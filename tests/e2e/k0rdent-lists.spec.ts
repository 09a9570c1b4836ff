import type { APIRequestContext, Page } from '@playwright/test';
import {
  API_URL,
  K0RDENT_TOKEN,
  K0RDENT_URL,
  expect,
  expectNoAxeViolations,
  pathname,
  signInBoth,
  sim,
  test,
} from './helpers';

const REGION = 'us-texas-1';
const PROJECT = 'project-x9y8z7';
const LIST = `/k0rdent/regions/${REGION}/projects/${PROJECT}/instances`;
/** The simulator's Texas project: 8 named instances, then worker-01…worker-20. */
const TEXAS_INSTANCES = 28;
const LIST_ROUTE = '/v1/regions/{region}/projects/{project}/compute/instances';

async function resetSim(request: APIRequestContext): Promise<void> {
  const res = await request.post(`${API_URL}/__admin/reset`);
  expect(res.ok(), await res.text()).toBeTruthy();
}

const rows = (page: Page) => page.getByRole('table', { name: 'Instances' }).locator('tbody tr');
const search = (page: Page) => new URL(page.url()).searchParams;
const lifecycle = (page: Page) => page.getByRole('status').filter({ hasText: 'Lifecycle:' });

test.describe('k0rdent projects and pages of instances', () => {
  test.beforeEach(async ({ page, request }) => {
    await resetSim(request);
    await signInBoth(page);
  });

  test('projects → instances → instance, and paging kept in the URL', async ({ page, request }) => {
    await page.goto('/k0rdent');
    const projects = page.getByRole('table', { name: 'Projects' });
    await expect(projects.locator('tbody tr')).toHaveCount(12);
    await expect(projects).toContainText('ML platform');

    // The projects come in pages too.
    await page.getByLabel('Projects per page').selectOption('10');
    await expect(projects.locator('tbody tr')).toHaveCount(10);
    await page.getByRole('button', { name: 'Next projects' }).click();
    await expect(projects.locator('tbody tr')).toHaveCount(2);
    await expect(projects).toContainText('Team 10');
    await page.getByRole('button', { name: 'Previous projects' }).click();
    await expect(projects.locator('tbody tr')).toHaveCount(10);

    // No region yet: the rows say so; a region makes them links.
    const region = page.getByRole('combobox', { name: 'Region to list instances in' });
    await region.fill('');
    await expect(projects.locator('tbody tr').first()).toContainText('Enter a region above');
    await region.fill(REGION);
    const row = projects.locator('tbody tr', { hasText: 'ML platform' });
    await row.getByRole('link', { name: `Instances in ${REGION}` }).click();
    await expect.poll(() => pathname(page)).toBe(LIST);
    await expect(page.getByRole('heading', { level: 1, name: `Instances of ${PROJECT}` })).toBeVisible();
    await expect(rows(page)).toHaveCount(TEXAS_INSTANCES);
    await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();

    // Ten a page: three pages, by nextPageToken.
    await page.getByLabel('Instances per page').selectOption('10');
    await expect.poll(() => search(page).get('pageSize')).toBe('10');
    await expect(rows(page)).toHaveCount(10);
    await expect(page.getByText('Page 1:')).toBeVisible();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => search(page).get('pageToken')).toBeTruthy();
    await expect(rows(page)).toHaveCount(10);
    await expect(rows(page).first()).toContainText('worker-03');
    const second = page.url();

    // A reload, or the same link elsewhere, comes back to the same page.
    await page.reload();
    await expect(page.getByText('Page 2:')).toBeVisible();
    await expect(rows(page).first()).toContainText('worker-03');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(rows(page)).toHaveCount(8);
    await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => page.url()).toBe(second);
    await expect(rows(page).first()).toContainText('worker-03');
    await page.goBack();
    await expect(rows(page)).toHaveCount(8);
    await page.goForward();
    await expect(rows(page).first()).toContainText('worker-03');

    // A row leads to its instance, which leads back to the list.
    await rows(page).filter({ hasText: 'worker-05' }).getByRole('link', { name: 'Worker 05' }).click();
    await expect.poll(() => pathname(page)).toBe(`${LIST}/worker-05`);
    await expect(page.getByRole('heading', { level: 1, name: 'Worker 05' })).toBeVisible();
    await expect(lifecycle(page)).toContainText(/RUNNING|SUSPENDED|TERMINATED/);
    await page.getByRole('link', { name: 'All instances of this project' }).click();
    await expect.poll(() => pathname(page)).toBe(LIST);

    // The region used is offered next time.
    await page.goto('/k0rdent');
    await expect(page.locator('#k0rdent-region-choices option').first()).toHaveAttribute('value', REGION);
    expect(await sim.requestCount(request, 'GET', LIST_ROUTE)).toBeGreaterThanOrEqual(5);
  });

  test('the lifecycle and text filters and the sort narrow the page, in the URL', async ({ page }) => {
    await page.goto(LIST);
    await expect(rows(page)).toHaveCount(TEXAS_INSTANCES);
    const lifecycleFilter = page.getByLabel('Lifecycle', { exact: true });
    for (const state of ['PROVISIONING', 'STAGING', 'STOPPING', 'SUSPENDING', 'REPAIRING']) {
      await lifecycleFilter.selectOption(state);
      await expect.poll(() => search(page).get('lifecycle')).toBe(state);
      await expect(rows(page)).toHaveCount(1);
      await expect(rows(page).locator('.badge')).toHaveText(state);
    }
    await lifecycleFilter.selectOption('RUNNING');
    const running = rows(page);
    const count = await running.count();
    expect(count).toBeGreaterThan(3);
    for (const badge of await running.locator('.badge').allTextContents()) expect(badge).toBe('RUNNING');

    // Text narrows further; the filters survive a reload.
    await page.getByLabel('Search this page').fill('worker');
    await expect.poll(() => search(page).get('q')).toBe('worker');
    await page.reload();
    await expect(page.getByLabel('Search this page')).toHaveValue('worker');
    await expect(lifecycleFilter).toHaveValue('RUNNING');
    const workers = await rows(page).count();
    expect(workers).toBeLessThan(count);
    for (const text of await rows(page).allTextContents()) expect(text).toContain('worker-');
    await page.getByLabel('Search this page').fill('no such instance');
    await expect(page.getByText('No instance on this page matches these filters.')).toBeVisible();

    // Sort by GPUs, most first.
    await page.getByLabel('Search this page').fill('');
    await lifecycleFilter.selectOption('');
    await page.getByRole('button', { name: 'GPUs' }).click();
    await page.getByRole('button', { name: 'GPUs' }).click();
    await expect.poll(() => search(page).get('sort')).toBe('-gpus');
    const gpus = (await rows(page).locator('td.num').evaluateAll((cells) => cells.filter((_, i) => i % 2 === 0).map((c) => Number(c.textContent))));
    expect(gpus).toEqual([...gpus].sort((a, b) => b - a));
    await expect(page.getByRole('columnheader', { name: 'GPUs' })).toHaveAttribute('aria-sort', 'descending');
  });

  test('an instance in motion polls; a settled one does not', async ({ page }) => {
    await page.goto(`${LIST}/instance-p6q7r8`);
    await expect(lifecycle(page)).toContainText('STAGING');
    await expect(page.getByText('Checking every 15 s until the lifecycle is final.')).toBeVisible();
    await page.goto(`${LIST}/instance-g7h8i9`);
    await expect(lifecycle(page)).toContainText('SUSPENDED');
    await expect(page.getByText('Polling stopped: the lifecycle is final.')).toBeVisible();
    await page.goto(`${LIST}/instance-v2w3x4`);
    await expect(lifecycle(page)).toContainText('TERMINATED');
    await expect(page.getByText('Polling stopped: the lifecycle is final.')).toBeVisible();
  });

  test('errors: the docs envelope shows its requestId with a copy button; a bad page token and an unknown region say so', async ({
    page,
    context,
    request,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await sim.setK0rdentErrors(request, 'docs');
    await page.goto(`${LIST}?pageSize=10&prev=&pageToken=bogus-token`);
    const alert = page.getByRole('alert').filter({ hasText: '400' });
    await expect(alert).toContainText('k0rdent API: Bad request (400)');
    await expect(alert).toContainText('Invalid page token');
    await expect(alert).toContainText(/Request ID .*req_sim1-\d+-[0-9a-f]{12}/);
    const id = (await alert.locator('.error-panel__request-id code').textContent()) ?? '';
    await alert.getByRole('button', { name: 'Copy request ID' }).click();
    await expect(alert.getByRole('button', { name: 'Copy request ID' })).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Go to the first page' }).click();
    await expect(rows(page)).toHaveCount(10);
    await expect(page.getByRole('alert')).toHaveCount(0);

    await page.goto(`/k0rdent/regions/mars-1/projects/${PROJECT}/instances`);
    const missing = page.getByRole('alert').filter({ hasText: '404' });
    await expect(missing).toContainText('Region mars-1 not found');
    await expect(missing).toContainText('Request ID');
    await expect(page.getByText('The region or the project in this address does not exist')).toBeVisible();

    // The spec's envelope: the message, and no request id to show.
    await sim.setK0rdentErrors(request, 'spec');
    await page.goto(`/k0rdent/regions/${REGION}/projects/project-nope/instances`);
    const spec = page.getByRole('alert').filter({ hasText: '404' });
    await expect(spec).toContainText('Project project-nope not found');
    await expect(spec.locator('.error-panel__request-id')).toHaveCount(0);

    // A malformed address is refused before any request.
    await page.goto('/k0rdent/regions/us%20texas/projects/p/instances');
    await expect(page.getByRole('alert')).toContainText('does not name a k0rdent project');
  });

  test('a k0rdent JWT: its expiry shown, a warning 2 minutes before, then "expired" and back after a new token', async ({
    page,
    request,
  }) => {
    const issued = await sim.issueToken(request, 'k0rdent', 600);
    const leaks: string[] = [];
    const secrets = [issued.access_token];
    page.on('request', (req) => {
      if (secrets.some((s) => req.url().includes(s))) leaks.push(req.url());
    });
    // The browser's clock at the simulator's, so both agree on exp.
    await page.clock.install({ time: (issued.exp - 600) * 1000 });
    await signInBoth(page, issued.access_token);
    await page.goto('/settings');
    await expect(page.locator('#k0rdent-token-expiry')).toContainText(/This token expires in (10 min|9 min \d+ s)/);
    await expect(page.locator('#api-token-expiry')).toHaveCount(0);
    await expect(page.locator('.token-chip')).toContainText('k0rdent token expires in');

    await page.goto(`${LIST}/instance-a1b2c3`);
    await expect(lifecycle(page)).toContainText('RUNNING');
    await expect(page.getByText('The k0rdent token expires in less than 2 minutes.')).toHaveCount(0);

    // 8.5 min later: the warning.
    await page.clock.fastForward(510_000);
    const warning = page.getByRole('status').filter({ hasText: 'The k0rdent token expires in less than 2 minutes.' });
    await expect(warning).toBeVisible();
    await expectNoAxeViolations(page);

    // Past exp: the header says so (display only; nothing was asked).
    await page.clock.fastForward(100_000);
    await expect(page.getByRole('status').filter({ hasText: 'The k0rdent token has expired.' })).toBeVisible();

    // A token that the simulator, too, sees expire (its clock is not
    // moved, so later tests keep their times): a 401 says expired, not refused.
    const short = await sim.issueToken(request, 'k0rdent', 3);
    secrets.push(short.access_token);
    await page.goto('/settings');
    await page.getByLabel('k0rdent token', { exact: true }).fill(short.access_token);
    await expect(page.locator('#k0rdent-token-expiry')).toContainText(/This token (expired|expires in \d s)/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.goto(`${LIST}/instance-a1b2c3`);
    await page.waitForTimeout(4_000);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '401' });
    await expect(alert).toContainText('k0rdent API: Token expired (401)');
    await expect(alert).toContainText('expired at');
    await expect(alert).not.toContainText('refused');

    // Settings brings the user back once a new token is saved.
    await alert.getByRole('link', { name: 'Open settings' }).click();
    await expect.poll(() => pathname(page)).toBe('/settings');
    await page.getByLabel('k0rdent token', { exact: true }).fill(K0RDENT_TOKEN);
    await expect(page.locator('#k0rdent-token-expiry')).toHaveCount(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => pathname(page)).toBe(`${LIST}/instance-a1b2c3`);
    await expect(lifecycle(page)).toContainText('RUNNING');
    await expect(page.locator('.token-warning')).toHaveCount(0);
    expect(leaks, 'requests that carry the JWT in the URL').toEqual([]);
  });

  test('a malformed JWT is an opaque token, never an error', async ({ page }) => {
    await page.goto('/settings');
    await page.getByLabel('k0rdent token', { exact: true }).fill('eyJhbGciOiJIUzI1NiJ9.not-base64!.sig');
    await expect(page.locator('#k0rdent-token-expiry')).toHaveCount(0);
    await page.getByRole('button', { name: 'Test k0rdent connection' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Token refused (401)' })).toBeVisible();
  });

  test('the new pages have no axe-core violations', async ({ page }) => {
    await page.goto('/k0rdent');
    await expect(page.getByRole('table', { name: 'Projects' }).locator('tbody tr')).toHaveCount(12);
    await expectNoAxeViolations(page);
    await page.goto(`${LIST}?pageSize=10&lifecycle=RUNNING&sort=-created`);
    await expect(rows(page).first()).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto(`${LIST}?q=nothing-matches`);
    await expect(page.getByText('No instance on this page matches these filters.')).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto('/k0rdent/regions/us%20texas/projects/p/instances');
    await expect(page.getByRole('alert')).toBeVisible();
    await expectNoAxeViolations(page);
    expect(K0RDENT_URL).toBeTruthy();
  });
});
