import type { APIRequestContext, Page } from '@playwright/test';
import { API_URL, DEMO_TOKEN, expect, expectNoAxeViolations, signIn, sim, test } from './helpers';

// Seeded by the simulator (crates/supply-sim/src/resources.rs, `seeded`).
const LAMBDA_VM = '0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01'; // train-h100-01, with a persistent volume
const LAMBDA_OFFER = '7d3f1a52-0c4e-4b8a-9f61-2e5d8c7b9a01';
const RUNPOD_VM = '1c7a6d3f-4e52-4b9f-8d38-6f2a9bae4c12';
const STORAGE = '4fad906c-7b85-4ec0-9a6b-9c5dced17f45';
const DELETE_ROUTE = '/resources/{id}';

interface Resource {
  resource_id: string;
  name?: string | null;
  status: string;
  pricing_total_hourly?: number | null;
  access?: { external_ip?: string | null } | null;
}

const auth = { Authorization: `Bearer ${DEMO_TOKEN}` };

async function apiResource(request: APIRequestContext, id: string): Promise<Resource> {
  const res = await request.get(`${API_URL}/resources/${id}`, { headers: auth });
  expect(res.ok()).toBeTruthy();
  return res.json();
}

async function apiResources(request: APIRequestContext): Promise<Resource[]> {
  const res = await request.get(`${API_URL}/resources`, { headers: auth });
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  return Array.isArray(body) ? body : body.resources;
}

/** Deletes with force=true from outside the console (done 5 s later). */
async function forceDelete(request: APIRequestContext, id: string): Promise<void> {
  expect((await request.delete(`${API_URL}/resources/${id}?force=true`, { headers: auth })).ok()).toBeTruthy();
}

async function waitUntilDeleted(request: APIRequestContext, id: string): Promise<void> {
  await expect.poll(async () => (await apiResource(request, id)).status, { timeout: 15_000 }).toBe('deleted');
}

async function resetSim(request: APIRequestContext): Promise<void> {
  expect((await request.post(`${API_URL}/__admin/reset`)).ok()).toBeTruthy();
}

const usd = (n: number) => (Math.abs(n) >= 1 || n === 0 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`);
const deletes = (request: APIRequestContext) => sim.requestCount(request, 'DELETE', DELETE_ROUTE);
const dialog = (page: Page) => page.getByRole('dialog');
const confirmInput = (page: Page) => dialog(page).getByLabel(/To confirm, type/);
const deleteButton = (page: Page) => dialog(page).getByRole('button', { name: 'Delete resource' });
const meter = (page: Page) => page.locator('.spend-meter__figure');

/** DELETE requests the page itself makes (not the network stack's resends). */
function consoleDeletes(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'DELETE') sent.push(r.url());
  });
  return sent;
}

async function openResource(page: Page, id: string, name: string): Promise<void> {
  await page.goto(`/resources/${id}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

async function openDialog(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Delete…' }).click();
  await expect(dialog(page)).toBeVisible();
}

test.describe('deleting a resource', () => {
  test.beforeEach(async ({ page, request }) => {
    await resetSim(request);
    await signIn(page);
  });
  test.afterEach(async ({ request }) => {
    await resetSim(request);
  });

  test('the confirmation names what ends and survives, and the page follows deleting to deleted', async ({ page, request }) => {
    test.setTimeout(60_000);
    const vm = await apiResource(request, LAMBDA_VM);
    const volume = await apiResource(request, STORAGE);
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    await sim.resetStats(request);
    const sent = consoleDeletes(page);
    await openDialog(page);

    const box = dialog(page);
    await expect(box.getByRole('heading', { name: 'Delete train-h100-01?' })).toBeVisible();
    const ends = box.locator('.plan--ends');
    await expect(ends).toContainText('train-h100-01');
    await expect(ends).toContainText(vm.access!.external_ip!);
    await expect(ends).toContainText(`${usd(vm.pricing_total_hourly!)}/h stops`);
    const survives = box.locator('.plan--survives');
    await expect(survives).toContainText(volume.name!);
    await expect(survives).toContainText(`${usd(volume.pricing_total_hourly!)}/h`);
    await expect(box.locator('.plan-total')).toContainText(`${usd(volume.pricing_total_hourly!)}/h`);
    await expectNoAxeViolations(page);

    // The wrong name keeps it disabled; the name or the id's first 8 enable it.
    await expect(deleteButton(page)).toBeDisabled();
    await confirmInput(page).fill('train-h100-0');
    await expect(deleteButton(page)).toBeDisabled();
    await confirmInput(page).fill(LAMBDA_VM.slice(0, 8));
    await expect(deleteButton(page)).toBeEnabled();
    await confirmInput(page).fill('train-h100-01');
    await deleteButton(page).click();

    await expect(dialog(page)).toBeHidden();
    const news = page.locator('#deletion-status');
    await expect(news.getByRole('heading', { name: 'Deleting' })).toBeVisible();
    await expect(news).toBeFocused();
    expect(await deletes(request)).toBe(1);
    await expect(page.locator('.card.is-ended')).toHaveCount(2);
    await expect(page.getByRole('button', { name: 'Delete…' })).toBeDisabled();
    // The cost so far is frozen.
    const cost = page.locator('dd.accrued');
    await expect(cost).toContainText('frozen at the deletion');
    const frozen = await cost.textContent();
    await page.waitForTimeout(1500);
    await expect(cost).toHaveText(frozen!);

    // Hurried from elsewhere (force), so it ends in 5 s without moving the
    // simulator's clock, which later specs read against the browser's.
    await forceDelete(request, LAMBDA_VM);
    await expect(news.getByRole('heading', { name: 'Deleted' })).toBeVisible({ timeout: 25_000 });
    await expect(news).toContainText('It cost $');
    await expect(news).toContainText(volume.name!);
    // The console's one DELETE, and the forced one sent from outside.
    expect(await deletes(request)).toBe(2);
    expect(sent, 'DELETE requests the console made').toHaveLength(1);
  });

  test('cancel and Escape send nothing and give focus back', async ({ page, request }) => {
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    await sim.resetStats(request);
    await openDialog(page);
    await confirmInput(page).fill('train-h100-01');
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toBeHidden();
    await expect(page.getByRole('button', { name: 'Delete…' })).toBeFocused();

    await page.keyboard.press('Enter');
    await expect(dialog(page)).toBeVisible();
    // What was typed before is gone: a new confirmation each time.
    await expect(confirmInput(page)).toHaveValue('');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog(page)).toBeHidden();
    expect(await deletes(request)).toBe(0);
    expect((await apiResource(request, LAMBDA_VM)).status).not.toMatch(/delet/);
  });

  test('a double click and Enter send one request', async ({ page, request }) => {
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    await sim.setFaults(request, { method: 'DELETE', path_prefix: '/resources/', latency_ms: 800 });
    await sim.resetStats(request);
    await openDialog(page);
    await confirmInput(page).fill('train-h100-01');
    await deleteButton(page).dblclick();
    await confirmInput(page).press('Enter').catch(() => undefined);
    await expect(page.locator('#deletion-status').getByRole('heading', { name: 'Deleting' })).toBeVisible();
    expect(await deletes(request)).toBe(1);
  });

  test('409 says it was already deleted and shows its state', async ({ page, request }) => {
    test.setTimeout(45_000);
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    // Deleted elsewhere while this page was open.
    await forceDelete(request, LAMBDA_VM);
    await waitUntilDeleted(request, LAMBDA_VM);
    await openDialog(page);
    await confirmInput(page).fill('train-h100-01');
    await deleteButton(page).click();
    await expect(page.getByRole('status').filter({ hasText: 'already deleted (409)' })).toBeVisible();
    await expect(page.locator('#deletion-status').getByRole('heading', { name: 'Deleted' })).toBeVisible();
  });

  test('a dropped connection is checked, never sent twice', async ({ page, request }) => {
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    const sent = consoleDeletes(page);
    // The delete goes through; its answer is lost. Two rules: Chromium
    // itself resends once a request whose reused connection closed with
    // no answer, and that resend must be lost too.
    await sim.setFaults(request, { kind: 'drop_after', method: 'DELETE', path_prefix: '/resources/', times: 2 });
    await openDialog(page);
    await confirmInput(page).fill('train-h100-01');
    await deleteButton(page).click();
    await expect(page.getByRole('status').filter({ hasText: 'the delete went through' })).toBeVisible();
    await expect(page.locator('#deletion-status').getByRole('heading', { name: 'Deleting' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await page.waitForTimeout(2500);
    expect(sent, 'DELETE requests the console made').toHaveLength(1);
  });

  test('a connection dropped before the service saw it offers Retry and force', async ({ page, request }) => {
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    const sent = consoleDeletes(page);
    await sim.setFaults(request, { kind: 'drop', method: 'DELETE', path_prefix: '/resources/', times: 2 });
    await openDialog(page);
    await confirmInput(page).fill('train-h100-01');
    await deleteButton(page).click();
    await expect(dialog(page).getByRole('status')).toContainText('nothing was deleted');
    await expect(dialog(page).getByRole('alert')).toBeVisible();
    await expect(dialog(page).getByLabel(/Force the delete/)).toBeVisible();
    expect((await apiResource(request, LAMBDA_VM)).status).not.toMatch(/delet/);
    expect(sent, 'no second DELETE before the user asks').toHaveLength(1);
    await dialog(page).getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(page.locator('#deletion-status').getByRole('heading', { name: 'Deleting' })).toBeVisible();
    expect(sent).toHaveLength(2);
  });

  test('a 503 keeps the resource as it was, with the error and Retry', async ({ page, request }) => {
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    await sim.setFaults(request, { status: 503, method: 'DELETE', path_prefix: '/resources/', times: 1 });
    await sim.resetStats(request);
    await openDialog(page);
    await confirmInput(page).fill('train-h100-01');
    await deleteButton(page).click();
    const alert = dialog(page).getByRole('alert');
    await expect(alert).toContainText('(503)');
    await expect(confirmInput(page)).toHaveValue('train-h100-01');
    await expect(page.locator('#deletion-status .notice--deleting')).toHaveCount(0);
    await expect(dialog(page).getByLabel(/Force the delete/)).toBeVisible();
    await expectNoAxeViolations(page);
    await dialog(page).getByLabel(/Force the delete/).check();
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect(page.locator('#deletion-status').getByRole('heading', { name: 'Deleting' })).toBeVisible();
    expect(await deletes(request)).toBe(2);
  });

  test('a deep link to a deleted resource says so, when, and what it cost', async ({ page, request }) => {
    test.setTimeout(45_000);
    await forceDelete(request, LAMBDA_VM);
    await waitUntilDeleted(request, LAMBDA_VM);
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    const news = page.locator('#deletion-status');
    await expect(news.getByRole('heading', { name: 'Deleted' })).toBeVisible();
    await expect(news.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
    await expect(news).toContainText(/It cost \$\d+\.\d{4} in all/);
    await expect(page.getByRole('button', { name: 'Delete…' })).toBeDisabled();
    await expectNoAxeViolations(page);
  });
});

test.describe('deleting several', () => {
  test.beforeEach(async ({ page, request }) => {
    await resetSim(request);
    await signIn(page);
  });
  test.afterEach(async ({ request }) => {
    await resetSim(request);
  });

  test('bulk delete from the list: one confirmation, parallel requests, one failure shown', async ({ page, request }) => {
    const [vm, runpod] = [await apiResource(request, LAMBDA_VM), await apiResource(request, RUNPOD_VM)];
    await page.goto('/resources');
    await page.getByRole('checkbox', { name: `Select ${vm.name}`, exact: true }).check();
    await page.getByRole('checkbox', { name: `Select ${runpod.name}`, exact: true }).check();
    await sim.setFaults(request, { status: 503, method: 'DELETE', path_prefix: `/resources/${RUNPOD_VM}`, times: 1 });
    await sim.resetStats(request);
    await page.getByRole('button', { name: 'Delete selected (2)…' }).click();
    const box = dialog(page);
    await expect(box.getByRole('heading', { name: 'Delete 2 resources?' })).toBeVisible();
    await expect(box.locator('.bulk-stops')).toHaveText(`${usd(vm.pricing_total_hourly! + runpod.pricing_total_hourly!)}/h`);
    await expectNoAxeViolations(page);
    const go = box.getByRole('button', { name: 'Delete 2 resources' });
    await expect(go).toBeDisabled();
    await box.getByLabel(/To confirm, type/).fill('delete 2');
    await go.click();
    const rows = box.getByRole('table', { name: 'Resources to delete' }).locator('tbody tr');
    await expect(rows.filter({ hasText: vm.name! })).toContainText('Deletion started');
    await expect(rows.filter({ hasText: runpod.name! })).toContainText('Failed: The API is unavailable (503)');
    expect(await deletes(request)).toBe(2);
    // Retry sends only the one that failed.
    await box.getByRole('button', { name: 'Retry the 1 that failed' }).click();
    await expect(rows.filter({ hasText: runpod.name! })).toContainText('Deletion started');
    expect(await deletes(request)).toBe(3);
    await box.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('table', { name: 'Resources' }).locator('tbody tr', { hasText: runpod.name! })).toContainText('deleting');
  });

  test('the spend meter follows a delete', async ({ page, request }) => {
    const live = (await apiResources(request)).filter((r) => !/^delet/.test(r.status));
    const total = live.reduce((sum, r) => sum + (r.pricing_total_hourly ?? 0), 0);
    await page.goto('/resources');
    await expect(meter(page)).toHaveText(`${usd(total)}/h`);
    const vm = await apiResource(request, LAMBDA_VM);
    await openResource(page, LAMBDA_VM, 'train-h100-01');
    await openDialog(page);
    await confirmInput(page).fill('train-h100-01');
    await deleteButton(page).click();
    await expect(meter(page)).toHaveText(`${usd(total - vm.pricing_total_hourly!)}/h`);
    await expect(page.locator('.spend-meter')).toContainText('1 deleting');
    await page.locator('.spend-meter').click();
    await expect(page).toHaveURL(/\/resources$/);
  });

  test("an order's status page lists its resources and can delete them", async ({ page, request }) => {
    await page.goto(`/offers/${LAMBDA_OFFER}/status`);
    const table = page.getByRole('table', { name: "This order's resources" });
    await expect(table.locator('tbody tr')).toHaveCount(2);
    await table.getByRole('checkbox', { name: 'Select train-h100-01', exact: true }).check();
    await page.getByRole('button', { name: 'Delete selected (1)…' }).click();
    await dialog(page).getByLabel(/To confirm, type/).fill('delete 1');
    await dialog(page).getByRole('button', { name: 'Delete 1 resource' }).click();
    await expect(dialog(page).locator('tbody tr')).toContainText('Deletion started');
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    const vmRow = table.locator('tbody tr', { has: page.getByRole('link', { name: 'train-h100-01', exact: true }) });
    await expect(vmRow).toContainText('deleting');
    await expectNoAxeViolations(page);
  });
});
