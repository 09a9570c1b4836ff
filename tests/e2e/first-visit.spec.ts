import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page, Request } from '@playwright/test';
import { build, DEMO_TOKEN, expect, signIn, test } from './helpers';

// A first visit fetches its page's code beside the main module, not after
// it: the entry script reads the address and asks for the files the
// build's manifest lists for that page, and index.html asks for
// config.json. The main wasm is held back here, so a file fetched only once
// the main module runs would start after it arrived.
const { dist, pkg, manifest } = build;
const MAIN_WASM = /\/supply-console_bg\.wasm$/;
const HOLD_MS = 800;

/** Every request of the visit to `address`, the main wasm held back. */
async function visit(page: Page, address: string) {
  const requests: { url: string; at: number }[] = [];
  let mainArrived = Number.POSITIVE_INFINITY;
  const started = Date.now();
  page.on('request', (request: Request) => requests.push({ url: request.url(), at: Date.now() - started }));
  await page.route(MAIN_WASM, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    mainArrived = Date.now() - started;
    await route.continue();
  });
  await page.goto(address);
  return { requests, mainArrived: () => mainArrived };
}

const fetched = (requests: { url: string }[], file: string) =>
  requests.filter((r) => new URL(r.url).pathname.endsWith(`/${file}`));

for (const [address, point, heading] of [
  ['/offers', 'offers_chunk', 'GPU offers'],
  ['/resources', 'resources_chunk', 'Resources'],
  ['/k0rdent', 'k0rdent_chunk', 'k0rdent instances'],
] as const) {
  test(`${address}: its code and config.json are fetched beside the main module, each once`, async ({ page }) => {
    await signIn(page);
    await page.goto('about:blank');
    const { requests, mainArrived } = await visit(page, address);
    // The shell paints the heading at once, before the chunks are asked
    // for; the console's own page replaces the shell only after they were.
    await expect(page.locator('#boot-shell')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();

    const files = manifest.chunks[point];
    expect(files.length).toBeGreaterThan(0);
    for (const file of [...files, 'config.json']) {
      const asked = fetched(requests, file);
      expect(asked, `${file} fetched once`).toHaveLength(1);
      expect(asked[0].at, `${file} asked for before the main wasm arrived`).toBeLessThan(mainArrived());
    }
  });
}

test('signed out, a visit fetches no page code until a token is saved: settings is in the main module', async ({ page }) => {
  const { requests } = await visit(page, '/offers');
  await expect(page.locator('#boot-shell')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  expect(fetched(requests, 'config.json')).toHaveLength(1);
  // No page's code comes for a visit that cannot open one: not with the
  // pointer over a link, nor a while later.
  await page.getByRole('link', { name: 'Offers', exact: true }).hover();
  await page.waitForTimeout(2500);
  const pageCode = () => requests.filter((r) => /\/(split_\w+|chunk_\d+)\.wasm$/.test(new URL(r.url).pathname));
  expect(pageCode().map((r) => r.url)).toEqual([]);
  // A token saved on settings itself (nowhere to go back to): the page a
  // link leads to has its code fetched as the pointer comes over the link.
  await page.goto('/settings');
  await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await expect(page).toHaveURL(/\/settings$/);
  await page.getByRole('link', { name: 'Offers', exact: true }).hover();
  await expect
    .poll(() => manifest.chunks.offers_chunk.filter((file) => fetched(requests, file).length === 0))
    .toEqual([]);
});

test('signed in, the code of every page comes in the background once the visit has settled, untouched', async ({ page }) => {
  test.slow(); // the background preload waits 10 s, then takes a page per idle moment
  await signIn(page);
  await page.goto('about:blank');
  const { requests } = await visit(page, '/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  const missing = () =>
    manifest.routes
      .flatMap(([, point]) => manifest.chunks[point])
      .filter((file) => fetched(requests, file).length === 0);
  // Nothing yet in the visit's first seconds: they are the page's own.
  await page.waitForTimeout(3000);
  expect(missing().length).toBeGreaterThan(0);
  await expect.poll(missing, { timeout: 40_000 }).toEqual([]);
});

// Split points no route names: code fetched when a feature first needs it
// (ON_DEMAND in scripts/tools/split-build.mjs).
const ON_DEMAND = ['compare_chunk', 'spec_editor_chunk', 'yaml_chunk'];

test('the manifest names a file for every lazy page and part fetched on demand, and the build has each file', () => {
  const points = new Set([...manifest.routes.map(([, point]) => point), ...ON_DEMAND]);
  expect([...points].sort()).toEqual(Object.keys(manifest.chunks).sort());
  // No page's first visit fetches a part's own module.
  for (const [, point] of manifest.routes) {
    for (const part of ON_DEMAND) expect(manifest.chunks[point]).not.toContain(`split_${part}.wasm`);
  }
  const built = readdirSync(path.join(dist, pkg));
  for (const files of Object.values(manifest.chunks)) {
    for (const file of files) expect(built).toContain(file);
  }
});

/** Holds the main wasm back until the returned function is called. */
async function holdMainWasm(page: Page) {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(MAIN_WASM, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

const RESOURCES_LEAD = /^Everything procured with this token and what it costs by the hour\./;

test('the header, the page heading and its lead paint from index.html before the wasm arrives, and give way to the console', async ({ page }) => {
  await signIn(page);
  await page.goto('about:blank');
  const release = await holdMainWasm(page);
  await page.goto('/resources', { waitUntil: 'domcontentloaded' });
  const banner = page.getByRole('banner');
  await expect(banner).toHaveCount(1);
  await expect(banner.getByRole('link', { name: 'Resources', exact: true })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Loading the console…' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Resources', level: 1 })).toBeVisible();
  await expect(page.getByText(RESOURCES_LEAD)).toBeVisible();
  // Nothing of the console yet: the shell painted all of it.
  await expect(page.getByRole('button', { name: 'Refresh' })).toHaveCount(0);

  release();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeVisible();
  // One header, one main, one heading and one lead: the shell is gone, the
  // console's own are there, with the same words.
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Resources', level: 1 })).toHaveCount(1);
  await expect(page.getByText(RESOURCES_LEAD)).toHaveCount(1);
  await expect(page.getByText('Loading the console…')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Resources', exact: true })).toHaveAttribute('aria-current', 'page');
});

// The console draws its header in one task and its page in the next
// (src/lib.rs, Console). Whatever a frame could show between any two
// changes of the page (read after each batch of DOM changes, and before
// each frame) is one header and one page, the shell's or the console's:
// never both, nor a header alone over an empty page.
test('the console takes over from the shell at once: one header and one page at every step', async ({ page }) => {
  await signIn(page);
  await page.goto('about:blank');
  await page.addInitScript(() => {
    const states: string[] = [];
    (window as unknown as { shellStates: string[] }).shellStates = states;
    const shown = (selector: string) =>
      [...document.querySelectorAll(selector)].filter((e) => e.getClientRects().length > 0).length;
    const look = () => states.push(`${shown('header.site-header')} ${shown('main')} ${shown('main h1')}`);
    new MutationObserver(look).observe(document, { childList: true, subtree: true, attributes: true });
    const everyFrame = () => {
      look();
      requestAnimationFrame(everyFrame);
    };
    requestAnimationFrame(everyFrame);
  });
  await page.goto('/resources');
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeVisible();
  const states = await page.evaluate(() => (window as unknown as { shellStates: string[] }).shellStates);
  // From the shell's heading on (boot.js writes it), every state has one
  // header and one main (the console's page may come a microtask after its
  // main, as it did when the console was drawn in one task).
  const from = states.indexOf('1 1 1');
  expect(from).toBeGreaterThanOrEqual(0);
  expect(states.length - from).toBeGreaterThan(2);
  expect(new Set(states.slice(from).map((state) => state.split(' ').slice(0, 2).join(' ')))).toEqual(new Set(['1 1']));
});

test('the shell writes a heading from the address, decoded, as text', async ({ page }) => {
  await signIn(page);
  await page.goto('about:blank');
  await holdMainWasm(page);
  await page.goto('/k0rdent/regions/us-texas-1/projects/%3Cb%3Ep%20x/instances', { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('heading', { name: 'Instances of <b>p x', level: 1 })).toBeVisible();
  await expect(page.locator('#boot-shell b')).toHaveCount(0);
  await expect(page.getByText(/^The compute instances of one k0rdent project/)).toBeVisible();
});

test('signed out, the shell paints settings, where the visit ends', async ({ page }) => {
  await holdMainWasm(page);
  await page.goto('/offers', { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'GPU offers' })).toHaveCount(0);
  await expect(page.getByText(/^The addresses and tokens of the Supply Service/)).toBeVisible();
});
