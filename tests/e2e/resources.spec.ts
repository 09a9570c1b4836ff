import type { APIRequestContext, Page } from '@playwright/test';
import { API_URL, DEMO_TOKEN, expect, expectNoAxeViolations, pathname, signIn, sim, test } from './helpers';

// Seeded by the simulator (crates/supply-sim/src/resources.rs, `seeded`).
const LAMBDA_VM = '0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01';
const LAMBDA_OFFER = '7d3f1a52-0c4e-4b8a-9f61-2e5d8c7b9a01';
const RUNPOD_VM = '1c7a6d3f-4e52-4b9f-8d38-6f2a9bae4c12';
const CLUSTER = '3e9c8f5b-6a74-4dbf-8f5a-8b4cbdc06e34';
const STORAGE = '4fad906c-7b85-4ec0-9a6b-9c5dced17f45';
const K0RDENT_VM = '5abea17d-8c96-4fd1-8b7c-ad6edfe28a56';
// Not in the simulator.
const MISSING = '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a';

interface Resource {
  resource_id: string;
  resource_type: string;
  name?: string | null;
  vendor: string;
  vendor_region: string;
  status: string;
  pricing_total_hourly?: number | null;
  [field: string]: unknown;
}

const auth = { Authorization: `Bearer ${DEMO_TOKEN}` };

async function apiResources(request: APIRequestContext): Promise<Resource[]> {
  const res = await request.get(`${API_URL}/resources`, { headers: auth });
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  return Array.isArray(body) ? body : body.resources;
}

async function apiResource(request: APIRequestContext, id: string): Promise<Resource> {
  const res = await request.get(`${API_URL}/resources/${id}`, { headers: auth });
  expect(res.ok()).toBeTruthy();
  return res.json();
}

const usd = (n: number) => (Math.abs(n) >= 1 || n === 0 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`);

/** The `<dd>` next to a `<dt>` in the resource's facts. */
const fact = (page: Page, term: string) =>
  page.locator('dl.facts > dt', { hasText: new RegExp(`^${term}$`) }).first().locator('xpath=following-sibling::dd[1]');

const table = (page: Page) => page.getByRole('table', { name: 'Resources' });
const bodyRows = (page: Page) => table(page).locator('tbody tr');

test.describe('resource detail', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('renders every field of the resource', async ({ page, request }) => {
    await page.goto(`/resources/${LAMBDA_VM}`);
    await expect(page.getByRole('heading', { level: 1, name: 'train-h100-01' })).toBeVisible();
    const api = await apiResource(request, LAMBDA_VM);

    await expect(fact(page, 'Name')).toHaveText('train-h100-01');
    await expect(fact(page, 'Resource ID')).toContainText(LAMBDA_VM);
    await expect(fact(page, 'Type')).toHaveText('vm');
    await expect(fact(page, 'Vendor')).toHaveText('lambda');
    await expect(fact(page, 'Region')).toHaveText('us-east-1');
    await expect(fact(page, 'Status').locator('.badge')).toHaveText('running');
    await expect(fact(page, 'Status')).toContainText(api.status_message as string);
    await expect(fact(page, 'Created')).toContainText(api.created_at as string);
    await expect(fact(page, 'Valid from')).toContainText(api.valid_from as string);
    await expect(fact(page, 'Valid to')).toContainText('no end date');
    await expect(fact(page, 'Price')).toHaveText('$2.49/hour');

    // The cost accrues live, by the second.
    const cost = fact(page, 'Cost so far');
    await expect(cost).toHaveText(/^\$\d+\.\d{4}$/);
    const first = await cost.innerText();
    await expect(cost).not.toHaveText(first, { timeout: 5_000 });
    const hours = (Date.now() - Date.parse(api.valid_from as string)) / 3_600_000;
    expect(Number((await cost.innerText()).slice(1))).toBeCloseTo(2.49 * hours, 0);

    await expect(page.locator('time.last-synced')).toHaveText(/^synced (just now|\d+ s ago)$/);

    // Access, each with its copy button.
    await expect(fact(page, 'External IP')).toContainText('203.0.113.10');
    await expect(fact(page, 'Internal IP')).toContainText('10.0.1.10');
    await expect(fact(page, 'SSH port')).toHaveText('22');
    await expect(fact(page, 'SSH command')).toContainText('ssh root@203.0.113.10');
    for (const what of ['external IP', 'internal IP', 'SSH command']) {
      await expect(page.getByRole('button', { name: `Copy ${what}`, exact: true })).toBeEnabled();
    }

    // The connection bundle.
    const bundle = page.getByRole('region', { name: 'Connection bundle' });
    await expect(bundle.locator('pre').nth(0)).toHaveText('ssh root@203.0.113.10');
    await expect(bundle.locator('pre').nth(1)).toHaveText(
      'Host train-h100-01\n    HostName 203.0.113.10\n    User root\n',
    );
    await expect(bundle.getByRole('link', { name: /Open in VS Code/ })).toHaveAttribute(
      'href',
      'vscode://vscode-remote/ssh-remote+root%40203.0.113.10/',
    );
    await expect(bundle.locator('pre').nth(2)).toHaveText('ssh-keygen -R 203.0.113.10');

    // Linked storage, offer history, spec.
    const linked = page.getByRole('table', { name: 'Linked resources' });
    await expect(linked.getByRole('link', { name: 'train-h100-01-data' })).toHaveAttribute('href', `/resources/${STORAGE}`);
    await expect(linked).toContainText('attached_storage');
    await expect(linked).toContainText('still linked');
    const history = page.getByRole('table', { name: 'Offer history' });
    await expect(history.getByRole('link', { name: LAMBDA_OFFER })).toHaveAttribute('href', `/offers/${LAMBDA_OFFER}/status`);
    await expect(history).toContainText('primary');
    const spec = page.getByRole('table', { name: 'Spec' });
    await expect(spec.getByRole('row', { name: /gpu_type/ })).toContainText('nvidia-h100-sxm5-80gb');
    await expect(spec.getByRole('row', { name: /gpu_count/ })).toContainText('1');

    // The raw answer, whole, as text.
    await page.getByText('Show the JSON of the last answer').click();
    const raw = page.getByRole('region', { name: 'Raw JSON', exact: true });
    await expect(raw).toBeVisible();
    const shown = JSON.parse(await raw.innerText());
    expect(Object.keys(shown).sort()).toEqual(Object.keys(api).sort());
    expect(shown.resource_id).toBe(LAMBDA_VM);

    // A linked resource opens its own detail.
    await linked.getByRole('link', { name: 'train-h100-01-data' }).click();
    await expect(page).toHaveURL(new RegExp(`/resources/${STORAGE}$`));
    await expect(page.getByRole('heading', { level: 1, name: 'train-h100-01-data' })).toBeVisible();
    await expect(fact(page, 'Type')).toHaveText('storage');
  });

  test('the bundle honours a custom SSH port', async ({ page }) => {
    await page.goto(`/resources/${RUNPOD_VM}`);
    const bundle = page.getByRole('region', { name: 'Connection bundle' });
    await expect(bundle.locator('pre').nth(0)).toHaveText('ssh -p 22022 ubuntu@198.51.100.23');
    await expect(bundle.locator('pre').nth(1)).toContainText('Port 22022');
    await expect(bundle.locator('pre').nth(2)).toHaveText("ssh-keygen -R '[198.51.100.23]:22022'");
    await expect(bundle.getByRole('link', { name: /Open in VS Code/ })).toHaveAttribute('href', /%3A22022\/$/);
    await expect(fact(page, 'SSH port')).toHaveText('22022');
  });

  test('a reserved resource counts down to valid_to', async ({ page, request }) => {
    const api = await apiResource(request, CLUSTER);
    const days = Math.floor((Date.parse(api.valid_to as string) - Date.now()) / 86_400_000);
    await page.goto(`/resources/${CLUSTER}`);
    await expect(fact(page, 'Valid to')).toContainText(api.valid_to as string);
    await expect(fact(page, 'Valid to')).toContainText(new RegExp(`ends in (${days}|${days - 1}) d`));
  });

  test('a k0rdent resource links to its instance page', async ({ page }) => {
    await page.goto(`/resources/${K0RDENT_VM}`);
    await expect(fact(page, 'k0rdent instance').getByRole('link')).toHaveAttribute(
      'href',
      '/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances/instance-d4e5f6',
    );
    await page.goto(`/resources/${LAMBDA_VM}`);
    await expect(fact(page, 'Name')).toHaveText('train-h100-01');
    await expect(page.locator('dl.facts > dt', { hasText: 'k0rdent instance' })).toHaveCount(0);
  });

  test('force refresh bypasses the cooldown and moves last_synced_at', async ({ page, request }) => {
    await page.goto(`/resources/${RUNPOD_VM}`);
    const synced = page.locator('time.last-synced');
    await expect(synced).toHaveAttribute('datetime', /\d{4}-/);
    const before = await synced.getAttribute('datetime');
    await expect(page.getByText('only when its copy is older than 30 s')).toBeVisible();
    // Inside the cooldown a plain read would not re-sync; a forced one does.
    await sim.advanceClock(request, 5);
    const forced = page.waitForRequest((r) => r.url().includes(`/resources/${RUNPOD_VM}?force_refresh=true`));
    await page.getByRole('button', { name: 'Force refresh' }).click();
    await forced;
    await expect(synced).not.toHaveAttribute('datetime', before as string);
    const after = await synced.getAttribute('datetime');
    expect(Date.parse(after as string)).toBeGreaterThan(Date.parse(before as string));
  });

  test('refreshes every 30 s while visible, never while hidden', async ({ page }) => {
    await page.clock.install();
    const reads: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'GET' && r.url().startsWith(`${API_URL}/resources/${LAMBDA_VM}`)) reads.push(r.url());
    });
    await page.goto(`/resources/${LAMBDA_VM}`);
    await expect(fact(page, 'Name')).toHaveText('train-h100-01');
    await expect.poll(() => reads.length).toBe(1);
    await page.clock.fastForward(31_000);
    await expect.poll(() => reads.length).toBe(2);
    expect(reads[1]).not.toContain('force_refresh');

    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    await expect(page.getByText('Automatic refresh is paused while this tab is hidden.')).toBeVisible();
    await page.clock.fastForward('05:00');
    expect(reads.length, 'requests while hidden for 5 minutes').toBe(2);
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { value: false, configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    await expect.poll(() => reads.length).toBe(3);
  });

  test('"Copy link" copies the page address, without a token', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/resources/${LAMBDA_VM}`);
    const copy = page.getByRole('button', { name: 'Copy link', exact: true });
    await copy.click();
    await expect(copy).toHaveText('Copied');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip).toBe(page.url());
    expect(new URL(clip).pathname).toBe(`/resources/${LAMBDA_VM}`);
    expect(clip).not.toContain(DEMO_TOKEN);
  });

  test('a deep link survives a reload', async ({ page }) => {
    await page.goto(`/resources/${RUNPOD_VM}`);
    await expect(page.getByRole('heading', { level: 1, name: 'notebook-4090' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'notebook-4090' })).toBeVisible();
    expect(pathname(page)).toBe(`/resources/${RUNPOD_VM}`);
  });

  test('an unknown resource says it does not exist or is not visible', async ({ page }) => {
    await page.goto(`/resources/${MISSING}`);
    const alert = page.getByRole('alert').filter({ hasText: '404' });
    await expect(alert).toContainText('does not exist, or it is not visible to this token');
    await expect(alert.getByRole('link', { name: 'See your resources' })).toHaveAttribute('href', '/resources');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Resource');
  });

  test('has no axe-core violations', async ({ page }) => {
    await page.goto(`/resources/${LAMBDA_VM}`);
    await expect(fact(page, 'Name')).toHaveText('train-h100-01');
    await page.getByText('Show the JSON of the last answer').click();
    await expectNoAxeViolations(page);
  });
});

test.describe('shared links', () => {
  test('opened without a token, go through settings and back', async ({ page }) => {
    const shared = `/resources/${LAMBDA_VM}`;
    await page.goto(shared);
    await expect(page).toHaveURL(/\/settings\?next=/);
    expect(new URL(page.url()).searchParams.get('next')).toBe(shared);
    await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => pathname(page)).toBe(shared);
    await expect(page.getByRole('heading', { level: 1, name: 'train-h100-01' })).toBeVisible();
  });

  test('a filtered list link keeps its filters through settings', async ({ page }) => {
    await page.goto('/resources?vendor=lambda&sort=price&dir=asc');
    await expect(page).toHaveURL(/\/settings\?next=/);
    await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page).toHaveURL(/\/resources\?vendor=lambda&sort=price&dir=asc$/);
    await expect(page.getByLabel('Vendor')).toHaveValue('lambda');
  });
});

test.describe('resources list', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('lists every resource with the total hourly spend', async ({ page, request }) => {
    const all = await apiResources(request);
    await page.goto('/resources');
    await expect(bodyRows(page)).toHaveCount(all.length);
    const total = all.reduce((sum, r) => sum + (r.pricing_total_hourly ?? 0), 0);
    await expect(page.locator('.total-hourly')).toHaveText(`${usd(total)}/hour`);
    await expect(page.getByText(`${all.length} of ${all.length} resources · ${usd(total)}/hour in total`)).toBeVisible();
    // Newest first by default.
    await expect(table(page).getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'descending');
    await bodyRows(page).getByRole('link', { name: 'notebook-4090' }).click();
    await expect(page).toHaveURL(new RegExp(`/resources/${RUNPOD_VM}$`));
  });

  test('filters narrow the list, the total follows, and both live in the URL', async ({ page, request }) => {
    const all = await apiResources(request);
    const lambda = all.filter((r) => r.vendor === 'lambda');
    await page.goto('/resources');
    await expect(bodyRows(page)).toHaveCount(all.length);
    await page.getByLabel('Vendor').selectOption('lambda');
    await expect(page).toHaveURL(/vendor=lambda/);
    await expect(bodyRows(page)).toHaveCount(lambda.length);
    const total = lambda.reduce((sum, r) => sum + (r.pricing_total_hourly ?? 0), 0);
    await expect(page.locator('.total-hourly')).toHaveText(`${usd(total)}/hour`);

    // Other specs may have procured more lambda machines by now, each with
    // its storage: count from the API's answer, not from the seed.
    const lambdaStorage = lambda.filter((r) => r.resource_type === 'storage');
    await page.getByLabel('Type').selectOption('storage');
    await expect(page).toHaveURL(/type=storage/);
    await expect(bodyRows(page)).toHaveCount(lambdaStorage.length);
    await expect(bodyRows(page).filter({ hasText: 'train-h100-01-data' })).toHaveCount(1);

    // Back undoes the last filter; Clear removes all.
    await page.goBack();
    await expect(bodyRows(page)).toHaveCount(lambda.length);
    await expect(page.getByLabel('Type')).toHaveValue('');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(bodyRows(page)).toHaveCount(all.length);
    expect(pathname(page)).toBe('/resources');

    const running = all.filter((r) => r.status === 'running');
    await page.getByLabel('Status').selectOption('running');
    await expect(bodyRows(page)).toHaveCount(running.length);
    for (const row of await bodyRows(page).all()) {
      await expect(row.locator('.badge')).toHaveText('running');
    }
  });

  test('sorts by any column both ways, from the URL too', async ({ page, request }) => {
    const all = await apiResources(request);
    await page.goto('/resources');
    const header = table(page).getByRole('columnheader', { name: '$/hour' });
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    await expect(page).toHaveURL(/sort=price&dir=asc/);
    const prices = async () =>
      (await bodyRows(page).locator('td:nth-child(6)').allInnerTexts()).map((t) => (t === '—' ? Infinity : Number(t.replace(/[$,]/g, ''))));
    const ascending = await prices();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    const descending = (await prices()).filter(Number.isFinite);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));

    await page.goto('/resources?sort=name&dir=asc');
    await expect(table(page).getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
    const names = await bodyRows(page).locator('td:nth-child(1)').allInnerTexts();
    const lower = names.map((n) => n.toLowerCase());
    expect(lower).toEqual([...lower].sort());
    expect(names.length).toBe(all.length);
  });

  test('has no axe-core violations', async ({ page }) => {
    await page.goto('/resources');
    await expect(bodyRows(page).first()).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
