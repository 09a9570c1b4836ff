import type { APIRequestContext, Page } from '@playwright/test';
import { API_URL, expect, expectNoAxeViolations, pathname, signIn, sim, storageEntries, test, type Offer } from './helpers';

// A real ed25519 key and what `ssh-keygen -lf` prints for it.
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname';
const KEY_FINGERPRINT = '256 SHA256:';
const SCRIPT = '#cloud-config\npackages:\n  - htop\n';

/** A live offer with another of the same shape (GPU, count, region, kind). */
async function offerWithTwin(request: APIRequestContext): Promise<Offer> {
  const offers = await sim.offers(request, { offer_type: 'vm' });
  const shape = (o: Offer) => [o.gpu_type, o.gpu_count, o.vendor_region].join('|');
  const now = Date.now();
  const offer = offers.find(
    (o) =>
      o.available !== false &&
      Date.parse(String(o.expires_at)) - now > 10 * 60_000 &&
      offers.filter((t) => shape(t) === shape(o)).length >= 3,
  );
  if (!offer) throw new Error('no VM offer with twins');
  return offer;
}

/** A live, available offer of `type` from the simulator. */
async function liveOffer(request: APIRequestContext, type = 'vm'): Promise<Offer> {
  const offers = await sim.offers(request, { offer_type: type });
  const now = Date.now();
  const offer = offers.find(
    (o) => o.available !== false && Date.parse(String(o.expires_at)) - now > 10 * 60_000,
  );
  if (!offer) throw new Error(`no live ${type} offer`);
  return offer;
}

const keyField = (page: Page) => page.getByLabel('SSH public key', { exact: true });
const editor = (page: Page) => page.getByLabel('Cloud-init', { exact: true });
const review = (page: Page) => page.getByRole('button', { name: 'Review order' });
const procureNow = (page: Page) => page.getByRole('button', { name: 'Procure now' });

async function openProcure(page: Page, offer: Offer): Promise<void> {
  await page.goto(`/offers/${offer.offer_id}/procure`);
  await expect(page.getByRole('heading', { name: 'Procure offer' })).toBeVisible();
  await expect(page.locator('.offer-summary')).toContainText(String(offer.vendor));
}

async function fillForm(page: Page, name = 'e2e-node'): Promise<void> {
  await keyField(page).fill(KEY);
  await editor(page).fill(SCRIPT);
  await page.getByLabel('Resource name').fill(name);
}

test.describe('procure', () => {
  test.beforeEach(async ({ page, request }) => {
    await sim.resetStats(request);
    await signIn(page);
  });

  test('fill, check, review and land on the status page', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await expect(page.locator('.offer-summary')).toContainText(/left/);
    await fillForm(page);
    await expect(page.locator('#ssh-public-key-check')).toContainText(`${KEY_FINGERPRINT}`);
    await expect(page.locator('#ssh-public-key-check')).toContainText('admin@hostname (ED25519)');
    await expect(page.getByText(/^33 of 65,536 bytes \(UTF-8\), #cloud-config/)).toBeVisible();

    // The cost for a chosen duration.
    await page.getByRole('button', { name: '24 h' }).click();
    const hourly = Number(offer.pricing_hourly);
    await expect(page.locator('#cost-total')).toContainText(`$${(hourly * 24).toFixed(2)} for 24 h`);

    await review(page).click();
    const summary = page.getByRole('region', { name: 'Review the order' });
    await expect(summary).toContainText('e2e-node');
    await expect(summary).toContainText(`$${(hourly * 24).toFixed(2)} for 24 h`);
    await expect(summary).toContainText('33 bytes');
    await expectNoAxeViolations(page);

    const sent = page.waitForRequest((r) => r.url().endsWith('/procure_offer') && r.method() === 'POST');
    await procureNow(page).click();
    const body = (await sent).postDataJSON();
    expect(body).toEqual({
      offer_id: offer.offer_id,
      ssh_public_key: KEY,
      cloud_init: SCRIPT,
      resource_name: 'e2e-node',
    });
    await expect(page).toHaveURL(new RegExp(`/offers/${offer.offer_id}/status$`));
    await expect(page.getByRole('heading', { name: 'Provisioning status' })).toBeVisible();
    // The draft is cleared after success.
    expect((await storageEntries(page, 'localStorage')).some((e) => e.startsWith('supply.procure.draft'))).toBe(false);
  });

  test('the key and the script are checked in the browser before anything is sent', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await keyField(page).fill('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7');
    await expect(page.locator('#ssh-public-key-check')).toContainText(/cut off|ends too early|base64/);
    await keyField(page).fill('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----');
    await expect(page.locator('#ssh-public-key-check')).toContainText('private key');

    await editor(page).fill('#cloud-config\npackges:\n  - htop\nruncmd: [unclosed\n');
    const checks = page.getByRole('list', { name: 'Cloud-init checks' });
    await expect(checks).toContainText('Did you mean “packages”?');
    await expect(checks).toContainText(/Error: line \d+, column \d+: YAML error/);
    await review(page).click();
    // Nothing was sent; the first problem has focus.
    await expect(keyField(page)).toBeFocused();
    await expect(page.locator('#ssh-public-key-error')).toContainText('private key');
    await expect(page.locator('#cloud-init-error')).toContainText('Fix the 1 cloud-init error');
    await expect(page.getByRole('region', { name: 'Review the order' })).toHaveCount(0);

    // A header that is neither #cloud-config nor #!.
    await editor(page).fill('packages: [htop]\n');
    await expect(checks).toContainText('The first line must be #cloud-config');

    // Over 64 KB: the meter says so and the order is blocked.
    await keyField(page).fill(KEY);
    await editor(page).fill(`#!/bin/bash\n# ${'x'.repeat(66_000)}\n`);
    await expect(page.locator('#cloud-init-meter-text')).toContainText('66,015 of 65,536 bytes');
    await expect(checks).toContainText('over the 64 KB limit');
    await review(page).click();
    await expect(editor(page)).toBeFocused();
    expect(await sim.requestCount(request, 'POST', '/procure_offer')).toBe(0);
    await expectNoAxeViolations(page);
  });

  test('the editor: templates, Tab, line numbers, jump to a problem, files', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await page.getByLabel('Template').selectOption('Docker');
    await page.getByRole('button', { name: 'Insert template' }).click();
    await expect(editor(page)).toHaveValue(/^#cloud-config\npackages:\n  - docker.io\nruncmd:\n  - \[systemctl, enable, --now, docker\]\n$/);
    await page.getByLabel('Template').selectOption('Install packages');
    await page.getByRole('button', { name: 'Insert template' }).click();
    await expect(editor(page)).toHaveValue(/packages:\n  - docker.io\n  - htop\n  - tmux\n  - git\n/);
    await expect(page.getByRole('list', { name: 'Cloud-init checks' }).locator('li')).toHaveCount(0);
    await expect(page.locator('.editor__gutter')).toHaveText(/^1\n2\n3\n4\n5\n6\n7\n8\n9\n10$/);

    // Tab indents; Escape then Tab leaves.
    await editor(page).fill('#cloud-config\nruncmd:\n- x\n');
    await editor(page).press('Control+End');
    await editor(page).press('ArrowUp');
    await editor(page).press('Tab');
    await expect(editor(page)).toHaveValue('#cloud-config\nruncmd:\n  - x\n');
    await editor(page).press('Escape');
    await editor(page).press('Tab');
    await expect(editor(page)).not.toBeFocused();

    // A problem's line and column move the caret there.
    await editor(page).fill('#cloud-config\nfoo: 1\nbogus_key: 2\n');
    await page.getByRole('button', { name: /line 3, column 1: Unknown top-level key/ }).click();
    await expect(editor(page)).toBeFocused();
    expect(await editor(page).evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe('#cloud-config\nfoo: 1\n'.length);

    // Load a script and a key from files.
    await page.getByLabel('Load from a file').setInputFiles({
      name: 'init.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from('#cloud-config\nwrite_files: []\n'),
    });
    await expect(editor(page)).toHaveValue('#cloud-config\nwrite_files: []\n');
    await page.getByLabel('Load .pub file').setInputFiles({
      name: 'id_ed25519.pub',
      mimeType: 'text/plain',
      buffer: Buffer.from(`${KEY}\n`),
    });
    await expect(keyField(page)).toHaveValue(KEY);
    await expect(page.locator('#ssh-public-key-check')).toContainText('SHA256:');

    // Drag and drop a file onto the editor.
    const drop = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['#!/bin/bash\necho dropped\n'], 'setup.sh', { type: 'text/x-sh' }));
      return data;
    });
    await editor(page).dispatchEvent('drop', { dataTransfer: drop });
    await expect(editor(page)).toHaveValue('#!/bin/bash\necho dropped\n');
  });

  test('keys kept on the device, with a default for the next order', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await keyField(page).fill(KEY);
    await page.getByLabel('Name', { exact: true }).fill('laptop');
    await page.getByRole('button', { name: 'Save key on this device' }).click();
    await expect(page.getByText('Saved “laptop” on this device.')).toBeVisible();
    // A new order starts with the default key.
    await keyField(page).fill('');
    await page.evaluate(() => localStorage.removeItem('supply.procure.draft'));
    await page.reload();
    await expect(keyField(page)).toHaveValue(KEY);
    await keyField(page).fill('');
    await expect(page.getByLabel('Saved keys').locator('option').nth(1)).toHaveText(/^laptop \(default\)/);
    await page.getByLabel('Saved keys').selectOption({ index: 1 });
    await expect(keyField(page)).toHaveValue(KEY);
  });

  test('a reload keeps the draft', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await fillForm(page, 'kept-after-reload');
    await page.getByLabel('Hours').fill('3.5');
    await page.reload();
    await expect(keyField(page)).toHaveValue(KEY);
    await expect(editor(page)).toHaveValue(SCRIPT);
    await expect(page.getByLabel('Resource name')).toHaveValue('kept-after-reload');
    await expect(page.getByLabel('Hours')).toHaveValue('3.5');
  });

  test('a double click sends one request', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await sim.setFaults(request, { path_prefix: '/procure_offer', latency_ms: 600 });
    await openProcure(page, offer);
    await fillForm(page);
    await review(page).click();
    await procureNow(page).dblclick();
    await expect(page).toHaveURL(new RegExp(`/offers/${offer.offer_id}/status$`));
    expect(await sim.requestCount(request, 'POST', '/procure_offer')).toBe(1);
  });

  test('410: the offer expired; equivalents in one click keep the key and script', async ({ page, request }) => {
    const offer = await offerWithTwin(request);
    await openProcure(page, offer);
    await fillForm(page, 'after-expiry');
    await review(page).click();
    // Half an hour passes at the service: the offer is gone.
    await sim.advanceClock(request, 1801);
    await procureNow(page).click();
    await expect(page.getByRole('alert').filter({ hasText: 'This offer expired' })).toBeVisible();
    const equivalents = page.getByRole('region', { name: 'Equivalent offers' });
    const first = equivalents.getByRole('listitem').getByRole('link').first();
    await expect(first).toContainText(String(offer.gpu_type));
    await expect(first).toContainText(String(offer.vendor_region));
    await expectNoAxeViolations(page);
    await first.click();
    await expect(page).toHaveURL(/\/offers\/[0-9a-f-]+\/procure$/);
    expect(pathname(page)).not.toContain(offer.offer_id);
    await expect(page.getByRole('alert').filter({ hasText: 'This offer expired' })).toHaveCount(0);
    await expect(keyField(page)).toHaveValue(KEY);
    await expect(editor(page)).toHaveValue(SCRIPT);
    await expect(page.getByLabel('Resource name')).toHaveValue('after-expiry');
    await review(page).click();
    await procureNow(page).click();
    await expect(page).toHaveURL(/\/status$/);
  });

  test('a shared link to an offer that is gone says so', async ({ page }) => {
    await page.goto('/offers/00000000-0000-4000-8000-000000000000/procure');
    await expect(page.getByRole('alert').filter({ hasText: 'This offer is no longer listed' })).toBeVisible();
    await expect(review(page)).toBeDisabled();
    await expectNoAxeViolations(page);
  });

  test('422: each message lands on its field', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await fillForm(page);
    await sim.setFaults(request, { path_prefix: '/procure_offer', status: 422, times: 1 });
    await review(page).click();
    await procureNow(page).click();
    await expect(page.locator('#ssh-public-key-error')).toHaveText('Injected validation error');
    await expect(keyField(page)).toHaveAttribute('aria-invalid', 'true');
    await expect(keyField(page)).toBeFocused();
    await expect(editor(page)).toHaveValue(SCRIPT);
    // Editing the field clears the message.
    await keyField(page).fill(KEY);
    await expect(page.locator('#ssh-public-key-error')).toHaveText('');
  });

  test('401: to settings and back with the form intact', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await fillForm(page, 'after-sign-in');
    await sim.setFaults(request, { path_prefix: '/procure_offer', status: 401, times: 1 });
    await review(page).click();
    await procureNow(page).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Token refused (401)' });
    await expect(alert).toBeVisible();
    await alert.getByRole('link', { name: 'Open settings' }).click();
    await expect(page).toHaveURL(/\/settings\?next=/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/offers/${offer.offer_id}/procure$`));
    await expect(keyField(page)).toHaveValue(KEY);
    await expect(editor(page)).toHaveValue(SCRIPT);
    await expect(page.getByLabel('Resource name')).toHaveValue('after-sign-in');
  });

  test('a network failure keeps everything and retries', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await fillForm(page);
    // No count: the browser itself retries a dropped request once.
    await sim.setFaults(request, { path_prefix: '/procure_offer', kind: 'drop' });
    await review(page).click();
    await procureNow(page).click();
    const alert = page.getByRole('alert').filter({ hasText: 'could not be reached' });
    await expect(alert).toBeVisible();
    await expect(keyField(page)).toHaveValue(KEY);
    await sim.clearFaults(request);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect(page).toHaveURL(/\/status$/);
  });

  test('an order the service answers with failed shows why and keeps the form', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await fillForm(page);
    const res = await request.post(`${API_URL}/__admin/fail-next`, {
      data: { reason: 'Quota exceeded for H100 in this region', immediately: true },
    });
    expect(res.ok()).toBeTruthy();
    await review(page).click();
    await procureNow(page).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The order failed' })).toContainText(
      '“Quota exceeded for H100 in this region”',
    );
    expect(pathname(page)).toContain('/procure');
    await expect(keyField(page)).toHaveValue(KEY);
    await expect(editor(page)).toHaveValue(SCRIPT);
  });

  test('cluster offers ask for a cluster name; others do not', async ({ page, request }) => {
    const cluster = await liveOffer(request, 'cluster');
    await openProcure(page, cluster);
    await expect(page.getByLabel('Cluster name')).toBeVisible();
    await page.getByLabel('Cluster name').fill('bad name!');
    await keyField(page).fill(KEY);
    await review(page).click();
    await expect(page.locator('#cluster-name-error')).toContainText("Use letters, digits");
    const vm = await liveOffer(request, 'vm');
    await openProcure(page, vm);
    await expect(page.getByLabel('Cluster name')).toHaveCount(0);
  });
});
