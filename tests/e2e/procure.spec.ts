import type { APIRequestContext, Locator, Page } from '@playwright/test';
import {
  API_URL,
  DEMO_TOKEN,
  expect,
  expectNoAxeViolations,
  pathname,
  signIn,
  sim,
  storageEntries,
  test,
  type Offer,
} from './helpers';

// A real ed25519 key and what `ssh-keygen -lf` prints for it.
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc admin@hostname';
const KEY_FINGERPRINT = '256 SHA256:';
const SCRIPT = '#cloud-config\npackages:\n  - htop\n';

const AUTH = { Authorization: `Bearer ${DEMO_TOKEN}` };
const GPU_COUNTS = [1, 2, 4, 8];

/** "$1.23" at a dollar or more, "$0.045" below: the console's `format_usd`. */
const usd = (amount: number) => (Math.abs(amount) >= 1 || amount === 0 ? `$${amount.toFixed(2)}` : `$${amount.toFixed(3)}`);

/** "80 GB", "1.5 GB": the console's `format_gb`. */
const gb = (amount: number) => (Number.isInteger(amount) ? `${amount} GB` : `${amount.toFixed(1)} GB`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const isCluster = (o: Offer) =>
  Number(o.node_count ?? 1) > 1 || String(o.deployment_type ?? '').toLowerCase().includes('cluster');

/** The simulator's "now" (its clock runs ahead of the browser's once advanced). */
async function simNow(request: APIRequestContext): Promise<number> {
  const res = await request.get(`${API_URL}/__admin/clock`);
  expect(res.ok()).toBeTruthy();
  return Date.parse(String((await res.json()).now));
}

/**
 * The first listed offer, count by count over every family, that `pick`
 * accepts and that has more than ten minutes to live.
 */
async function findOffer(
  request: APIRequestContext,
  what: string,
  pick: (o: Offer) => boolean | Promise<boolean>,
  counts = GPU_COUNTS,
): Promise<Offer> {
  const now = await simNow(request);
  for (const gpu_count of counts) {
    for (const o of await sim.offers(request, { compute: { gpu_count } })) {
      if (Date.parse(String(o.expires_at)) - now > 10 * 60_000 && (await pick(o))) return o;
    }
  }
  throw new Error(`no live offer: ${what}`);
}

/** A live VM offer: a single machine, or a cluster of several. */
async function liveOffer(request: APIRequestContext, cluster = false): Promise<Offer> {
  return findOffer(
    request,
    cluster ? 'a VM cluster' : 'a single VM',
    (o) => o.type === 'vm' && isCluster(o) === cluster,
    cluster ? [2, 4, 8] : GPU_COUNTS,
  );
}

/** The spec the page asks for equivalents of `o` (procure_form::equivalent_spec), as YAML. */
function equivalentSpec(o: Offer): string {
  const perGpu = Number(o.gpu_price_per_hour ?? Number(o.total_price_per_hour) / Number(o.gpu_count));
  const cap = Math.ceil(perGpu * 1.25 * 100) / 100;
  return [
    `region: ${o.region}`,
    'compute:',
    `  gpu_type: ${o.gpu_family}`,
    `  gpu_count: ${o.gpu_count}`,
    ...(o.contract_type ? [`  contract_type: ${o.contract_type}`] : []),
    `  max_price_per_gpu_hour: ${cap}`,
    '',
  ].join('\n');
}

async function listed(request: APIRequestContext, yaml: string): Promise<Offer[]> {
  const res = await request.post(`${API_URL}/get_offers`, {
    headers: { ...AUTH, 'Content-Type': 'application/yaml' },
    data: yaml,
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  return (await res.json()).offers ?? [];
}

/** A live single-VM offer with at least three equivalents listed now. */
async function offerWithTwins(request: APIRequestContext): Promise<Offer> {
  return findOffer(request, 'a VM with equivalents', async (o) => {
    if (o.type !== 'vm' || isCluster(o)) return false;
    const twins = (await listed(request, equivalentSpec(o))).filter((t) => t.offer_id !== o.offer_id);
    return twins.length >= 3;
  });
}

/** `GET /offers/{id}` straight from the simulator. */
async function details(request: APIRequestContext, id: string): Promise<Offer> {
  const res = await request.get(`${API_URL}/offers/${id}`, { headers: AUTH });
  expect(res.ok(), await res.text()).toBeTruthy();
  return res.json();
}

/** Procures `offer` straight through the API, as someone else would. */
async function procureThroughApi(request: APIRequestContext, offer: Offer): Promise<void> {
  const res = await request.post(`${API_URL}/procure_offer`, {
    headers: AUTH,
    data: { offer_id: offer.offer_id, ssh_public_key: KEY },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
}

const keyField = (page: Page) => page.getByLabel('SSH public key', { exact: true });
const editor = (page: Page) => page.getByLabel('Cloud-init', { exact: true });
const review = (page: Page) => page.getByRole('button', { name: 'Review order' });
const procureNow = (page: Page) => page.getByRole('button', { name: 'Procure now' });
const summary = (page: Page) => page.locator('.offer-summary');
const equivalentsRegion = (page: Page) => page.getByRole('region', { name: 'Equivalent offers' });

/** The summary's value for a term, e.g. fact(page, 'Vendor'). */
function fact(page: Page, term: string): Locator {
  const exact = new RegExp(`^${escape(term)}$`);
  return summary(page).locator('dt').filter({ hasText: exact }).locator('xpath=following-sibling::dd[1]');
}

async function openProcure(page: Page, offer: Offer): Promise<void> {
  await page.goto(`/offers/${offer.offer_id}/procure`);
  await expect(page.getByRole('heading', { name: 'Procure offer' })).toBeVisible();
  await expect(summary(page)).toContainText(String(offer.vendor));
}

async function fillForm(page: Page, name = 'e2e-node'): Promise<void> {
  await keyField(page).fill(KEY);
  await editor(page).fill(SCRIPT);
  await page.getByLabel('Resource name').fill(name);
}

/** Equivalents are listed; the first is of the same family and region group. */
async function expectEquivalents(page: Page, offer: Offer): Promise<Locator> {
  const first = equivalentsRegion(page).getByRole('listitem').getByRole('link').first();
  await expect(first).toContainText(String(offer.gpu_family));
  await expect(first).toContainText(`${offer.gpu_count} × `);
  await expect(first).toContainText(` · ${offer.region} (`);
  return first;
}

test.describe('procure', () => {
  test.beforeEach(async ({ page, request }) => {
    await sim.resetStats(request);
    await signIn(page);
  });

  test('fill, check, review and land on the status page', async ({ page, request }) => {
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await expect(summary(page)).toContainText(/left/);
    await fillForm(page);
    await expect(page.locator('#ssh-public-key-check')).toContainText(`${KEY_FINGERPRINT}`);
    await expect(page.locator('#ssh-public-key-check')).toContainText('admin@hostname (ED25519)');
    await expect(page.getByText(/^33 of 65,536 bytes \(UTF-8\), #cloud-config/)).toBeVisible();

    // The cost for a chosen duration, from total_price_per_hour.
    await page.getByRole('button', { name: '24 h' }).click();
    const hourly = Number(offer.total_price_per_hour);
    await expect(page.locator('#cost-total')).toContainText(`${usd(hourly * 24)} for 24 h`);

    await review(page).click();
    const order = page.getByRole('region', { name: 'Review the order' });
    await expect(order).toContainText('e2e-node');
    await expect(order).toContainText(`${usd(hourly * 24)} for 24 h`);
    await expect(order).toContainText('33 bytes');
    await expectNoAxeViolations(page);

    const sent = page.waitForRequest((r) => r.url().endsWith('/procure_offer') && r.method() === 'POST');
    await procureNow(page).click();
    const body = (await sent).postDataJSON();
    // Exactly the published schema, plus the name that was typed.
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

  test('the offer is asked of GET /offers/{id}, once, and no catalogue is fetched', async ({ page, request }) => {
    const offer = await liveOffer(request);
    const calls: { method: string; path: string; contentType?: string; body: string }[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin !== API_URL || r.method() === 'OPTIONS') return;
      calls.push({ method: r.method(), path: url.pathname, contentType: r.headers()['content-type'], body: r.postData() ?? '' });
    });
    await openProcure(page, offer);
    await expect(fact(page, 'Status')).toHaveText('Available: it can be procured');
    await expect(review(page)).toBeEnabled();
    const lookups = calls.filter((c) => c.method === 'GET' && c.path === `/offers/${offer.offer_id}`);
    expect(lookups).toHaveLength(1);
    // What the details leave out is asked for this offer's own shape only:
    // never the whole catalogue, never JSON.
    for (const query of calls.filter((c) => c.path === '/get_offers')) {
      expect(query.contentType).toBe('application/yaml');
      expect(query.body).toMatch(new RegExp(`gpu_type: "?${escape(String(offer.gpu_type))}"?\n`));
      expect(query.body).toContain(`gpu_count: ${offer.gpu_count}`);
    }
    expect(calls.filter((c) => c.path === '/get_offers').length).toBeLessThanOrEqual(1);
    // The simulator counted the same.
    expect(await sim.requestCount(request, 'GET', '/offers/{id}')).toBe(1);
  });

  test('the summary shows the published fields', async ({ page, request }) => {
    const offer = await liveOffer(request);
    const known = await details(request, offer.offer_id);
    expect(known.status).toBe('available');
    await openProcure(page, offer);
    await expect(page.getByRole('heading', { level: 2, name: `${offer.gpu_count} × ${offer.gpu_family} · ${offer.gpu_type}` })).toBeVisible();
    await expect(fact(page, 'GPU family')).toHaveText(String(offer.gpu_family));
    await expect(fact(page, 'GPU model')).toHaveText(String(offer.gpu_type));
    await expect(fact(page, 'GPUs')).toHaveText(String(offer.gpu_count));
    await expect(fact(page, 'Vendor')).toHaveText(String(offer.vendor));
    await expect(fact(page, 'Region group')).toHaveText(String(offer.region));
    // Not in OfferDetails: taken from the listing of this very offer.
    await expect(fact(page, 'Vendor region')).toHaveText(String(offer.vendor_region));
    await expect(fact(page, 'Type')).toHaveText('VM');
    await expect(fact(page, 'Contract')).toHaveText(offer.contract_type === 'spot' ? 'Spot (interruptible)' : 'On-demand');
    await expect(fact(page, 'Price per GPU-hour')).toHaveText(usd(Number(known.gpu_price_per_hour)));
    await expect(fact(page, 'Total per hour')).toHaveText(usd(Number(known.total_price_per_hour)));
    await expect(fact(page, 'vCPUs')).toHaveText(known.vcpu_count == null ? '—' : String(known.vcpu_count));
    await expect(fact(page, 'Memory')).toHaveText(known.memory_in_gb == null ? '—' : gb(Number(known.memory_in_gb)));
    await expect(fact(page, 'Boot disk')).toHaveText(
      known.boot_disk_in_gb == null ? 'not validated by the vendor' : gb(Number(known.boot_disk_in_gb)),
    );
    await expect(fact(page, 'Valid')).toHaveText(/ left$/);
    await expect(fact(page, 'Offer')).toHaveText(offer.offer_id);
    // A single machine: no cluster facts, no cluster name.
    await expect(fact(page, 'InfiniBand')).toHaveCount(0);
    await expect(page.getByLabel('Cluster name')).toHaveCount(0);
    await expectNoAxeViolations(page);
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

  test('copy as curl: the exact order, with $SUPPLY_TOKEN and never the token', async ({ page, context, request }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const offer = await liveOffer(request);
    await openProcure(page, offer);
    await fillForm(page, 'curl-node');
    await review(page).click();
    const copy = page.getByRole('button', { name: 'Copy as curl' });
    await copy.click();
    await expect(copy).toHaveText('Copied');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    // "Copied" is said for a moment, then the button reads as before.
    await expect(copy).toHaveText('Copy as curl', { timeout: 5_000 });
    // The same command is on screen, as text.
    const shown = page.getByRole('region', { name: 'The order as curl' });
    expect(await shown.textContent()).toBe(clip);

    expect(clip.startsWith(`curl --request POST '${API_URL}/procure_offer'`)).toBe(true);
    expect(clip).toContain('--header "Authorization: Bearer $SUPPLY_TOKEN"');
    expect(clip).toContain("--header 'Content-Type: application/json'");
    expect(clip).not.toContain(DEMO_TOKEN);
    await expect(page.locator('body')).not.toContainText(DEMO_TOKEN);

    // Its body is the one the page sends.
    const quoted = clip.split('--data-binary ')[1] ?? '';
    const copiedBody = JSON.parse(quoted.replace(/^'|'$/g, '').replace(/'\\''/g, "'"));
    const sent = page.waitForRequest((r) => r.url().endsWith('/procure_offer') && r.method() === 'POST');
    await procureNow(page).click();
    expect((await sent).postDataJSON()).toEqual(copiedBody);
    expect(copiedBody).toEqual({ offer_id: offer.offer_id, ssh_public_key: KEY, cloud_init: SCRIPT, resource_name: 'curl-node' });
    await expect(page).toHaveURL(/\/status$/);
  });

  test('410: the offer expired; equivalents in one click keep the key and script', async ({ page, request }) => {
    const offer = await offerWithTwins(request);
    await openProcure(page, offer);
    await fillForm(page, 'after-expiry');
    await review(page).click();
    // Half an hour passes at the service: the offer is gone.
    await sim.advanceClock(request, 1801);
    await procureNow(page).click();
    await expect(page.getByRole('alert').filter({ hasText: 'This offer expired' })).toContainText('410 Gone');
    const first = await expectEquivalents(page, offer);
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

  test('an expired offer says so, with equivalents that keep the draft', async ({ page, request }) => {
    const offer = await offerWithTwins(request);
    await sim.advanceClock(request, 1900);
    expect((await details(request, offer.offer_id)).status).toBe('expired');
    await page.goto(`/offers/${offer.offer_id}/procure`);
    const alert = page.getByRole('alert').filter({ hasText: 'This offer expired' });
    await expect(alert).toContainText('Offers live 30 minutes');
    await expect(fact(page, 'Status')).toHaveText('Expired: offers live 30 minutes');
    await expect(fact(page, 'Valid')).toHaveText('expired');
    await expect(review(page)).toBeDisabled();
    await fillForm(page, 'from-expired');
    const first = await expectEquivalents(page, offer);
    await expectNoAxeViolations(page);
    await first.click();
    await expect(page).toHaveURL(/\/offers\/[0-9a-f-]+\/procure$/);
    expect(pathname(page)).not.toContain(offer.offer_id);
    await expect(fact(page, 'Status')).toHaveText('Available: it can be procured');
    await expect(page.getByRole('alert').filter({ hasText: 'This offer expired' })).toHaveCount(0);
    await expect(page.getByLabel('Resource name')).toHaveValue('from-expired');
    await expect(review(page)).toBeEnabled();
  });

  test('a procured offer says someone took it, with equivalents', async ({ page, request }) => {
    const offer = await offerWithTwins(request);
    await procureThroughApi(request, offer);
    expect((await details(request, offer.offer_id)).status).toBe('procured');
    await page.goto(`/offers/${offer.offer_id}/procure`);
    const alert = page.getByRole('alert').filter({ hasText: 'This offer was already procured' });
    await expect(alert).toContainText("Someone already took it: this offer can't be procured again.");
    await expect(alert.getByRole('link', { name: 'follow it on its status page' })).toHaveAttribute(
      'href',
      new RegExp(`/offers/${offer.offer_id}/status$`),
    );
    await expect(fact(page, 'Status')).toHaveText('Procured: someone already took it');
    await expect(review(page)).toBeDisabled();
    await expectEquivalents(page, offer);
    await expectNoAxeViolations(page);
  });

  test('an offer whose procurement failed says so, with equivalents', async ({ page, request }) => {
    const offer = await offerWithTwins(request);
    const res = await request.post(`${API_URL}/__admin/fail-next`, { data: { reason: 'No capacity left' } });
    expect(res.ok()).toBeTruthy();
    await procureThroughApi(request, offer);
    await sim.advanceClock(request, 30);
    await expect.poll(async () => (await details(request, offer.offer_id)).status).toBe('failed');
    await page.goto(`/offers/${offer.offer_id}/procure`);
    const alert = page.getByRole('alert').filter({ hasText: 'A previous procurement of this offer failed' });
    await expect(alert).toContainText('The offer is no longer available');
    await expect(fact(page, 'Status')).toHaveText('Failed: a previous procurement failed');
    await expect(review(page)).toBeDisabled();
    await expectEquivalents(page, offer);
    await expectNoAxeViolations(page);
  });

  test('an offer that does not exist, or is not visible to this token, says so (404)', async ({ page }) => {
    await page.goto('/offers/00000000-0000-4000-8000-000000000000/procure');
    const alert = page.getByRole('alert').filter({ hasText: 'This offer was not found' });
    await expect(alert).toContainText('not visible to this token (404)');
    await expect(alert.getByRole('link', { name: 'offers page' })).toHaveAttribute('href', /\/offers$/);
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
    const cluster = await liveOffer(request, true);
    await openProcure(page, cluster);
    await expect(page.getByLabel('Cluster name')).toBeVisible();
    await expect(fact(page, 'GPUs')).toHaveText(
      `${cluster.gpu_count} (${cluster.node_count} nodes × ${cluster.gpus_per_node} ${Number(cluster.gpus_per_node) === 1 ? 'GPU' : 'GPUs'} per node)`,
    );
    await page.getByLabel('Cluster name').fill('bad name!');
    await keyField(page).fill(KEY);
    await review(page).click();
    await expect(page.locator('#cluster-name-error')).toContainText('Use letters, digits');
    // A good name goes in the body as cluster_name.
    await page.getByLabel('Cluster name').fill('e2e-cluster');
    await review(page).click();
    const sent = page.waitForRequest((r) => r.url().endsWith('/procure_offer') && r.method() === 'POST');
    await procureNow(page).click();
    expect((await sent).postDataJSON()).toEqual({ offer_id: cluster.offer_id, ssh_public_key: KEY, cluster_name: 'e2e-cluster' });
    await expect(page).toHaveURL(/\/status$/);

    const vm = await liveOffer(request, false);
    await openProcure(page, vm);
    await expect(page.getByLabel('Resource name')).toBeVisible();
    await expect(page.getByLabel('Cluster name')).toHaveCount(0);
  });
});

// A service whose OfferDetails carries every field of the listing (the
// reference calls the two "aligned"): the page shows each as published.
test.describe('procure: every published field', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('cluster layout, spot contract, unvalidated boot disk and storage volumes', async ({ page, request }) => {
    const offer = await liveOffer(request);
    const answer = {
      ...offer,
      ...(await details(request, offer.offer_id)),
      status: 'available',
      gpu_count: 8,
      contract_type: 'spot',
      type: 'vm',
      deployment_type: 'cluster',
      node_count: 2,
      gpus_per_node: 4,
      infiniband_bandwidth_gbps: 3200,
      cluster_storage_gb: 4096,
      boot_disk_in_gb: null,
      vcpu_count: null,
      storage_price_per_hour: 0.28,
      storage_details: [
        {
          name: 'data',
          size_gb: 2000,
          type: 'filesystem',
          storage_class: 'standard',
          vendor_class: 'shared-filesystem',
          vendor_region: offer.vendor_region,
          price_per_gb_month: 0.08,
          monthly_cost: 160,
          hourly_cost: 0.2192,
          persistent: true,
        },
        { name: 'scratch', size_gb: 500, type: 'block_disk', storage_class: 'performance', hourly_cost: 0.0637, persistent: false },
      ],
    };
    await page.route(
      (url) => url.pathname === `/offers/${offer.offer_id}`,
      (route) =>
        route.request().method() === 'GET'
          ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) })
          : route.fallback(),
    );
    await page.goto(`/offers/${offer.offer_id}/procure`);
    await expect(fact(page, 'GPUs')).toHaveText('8 (2 nodes × 4 GPUs per node)');
    await expect(fact(page, 'Deployment')).toHaveText('cluster');
    await expect(fact(page, 'InfiniBand')).toHaveText('3200 Gb/s');
    await expect(fact(page, 'Cluster storage')).toHaveText('4096 GB');
    await expect(fact(page, 'Vendor region')).toHaveText(String(offer.vendor_region));
    await expect(fact(page, 'Contract')).toHaveText('Spot (interruptible)');
    await expect(fact(page, 'Type')).toHaveText('VM');
    await expect(fact(page, 'Storage per hour')).toHaveText('$0.280');
    await expect(fact(page, 'Boot disk')).toHaveText('not validated by the vendor');
    await expect(fact(page, 'vCPUs')).toHaveText('—');
    await expect(fact(page, 'Storage volumes')).toHaveText('2, listed below');
    const volumes = page.getByRole('table', { name: 'Storage volumes' });
    const data = volumes.getByRole('row', { name: /^data / });
    await expect(data).toContainText('2000 GB');
    await expect(data).toContainText('filesystem');
    await expect(data).toContainText('standard (shared-filesystem)');
    await expect(data).toContainText('persistent: survives the machine');
    await expect(data).toContainText('$0.219/h');
    const scratch = volumes.getByRole('row', { name: /^scratch / });
    await expect(scratch).toContainText('500 GB');
    await expect(scratch).toContainText('block_disk');
    await expect(scratch).toContainText('performance');
    await expect(scratch).toContainText('ephemeral: deleted with the machine');
    await expect(scratch).toContainText('$0.064/h');
    // A cluster offer: the cluster name is asked for.
    await expect(page.getByLabel('Cluster name')).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
