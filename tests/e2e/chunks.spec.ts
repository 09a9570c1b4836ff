import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page, Route } from '@playwright/test';
import { DEMO_TOKEN, build, expect, expectNoAxeViolations, onlyFilesOf, signIn, sim, startStaticHost, test } from './helpers';

// A lazy page's code is a wasm chunk in the build directory: `split_*` for
// a page, `chunk_*` for code pages share. When one cannot be fetched (a
// dropped connection, or a redeploy that replaced the build directory) the
// console must say so and keep working, never abort. The files held back
// are those one page needs; settings, in the main module, still opens.
const OFFERS_CODE = onlyFilesOf('offers_chunk');
const RESOURCES_CODE = onlyFilesOf('resources_chunk');

const failChunks = (how: '404' | 'abort') => async (route: Route) => {
  if (how === 'abort') await route.abort('connectionreset');
  else await route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' });
};

async function expectChunkFailure(page: Page, reason: RegExp) {
  const alert = page.getByRole('alert').filter({ hasText: 'This page could not be loaded' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(reason);
  await expect(alert.getByRole('button', { name: 'Reload' })).toBeVisible();
  return alert;
}

test.describe('a page whose code does not arrive', () => {
  for (const how of ['404', 'abort'] as const) {
    test(`at start (${how}): a clear message, the rest of the console works, Try again loads it`, async ({ page }) => {
      await signIn(page);
      await page.route(OFFERS_CODE, failChunks(how));
      await page.goto('/offers');
      const alert = await expectChunkFailure(page, /connection may have dropped/);
      await expectNoAxeViolations(page);

      // The shell and the pages whose code arrived still answer.
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
      await page.getByRole('link', { name: 'Offers', exact: true }).click();
      await expectChunkFailure(page, /connection may have dropped/);

      // The connection is back: the next try fetches again.
      await page.unroute(OFFERS_CODE);
      await page.getByRole('button', { name: 'Try again' }).click();
      await expect(page.getByRole('heading', { name: 'GPU offers' })).toBeVisible();
      await expect(alert).toHaveCount(0);
    });

    test(`on navigation (${how}): the page says so, and the pages already there keep working`, async ({ page }) => {
      await signIn(page);
      await page.route(RESOURCES_CODE, failChunks(how));
      await page.goto('/settings');
      // A while on settings first: a preload that fails does so quietly.
      await page.waitForTimeout(1500);
      await page.getByRole('link', { name: 'Resources', exact: true }).click();
      await expectChunkFailure(page, /connection may have dropped/);
      await expect(page.getByRole('link', { name: 'Resources', exact: true })).toHaveAttribute('aria-current', 'page');

      await page.unroute(RESOURCES_CODE);
      await page.getByRole('button', { name: 'Try again' }).click();
      await expect(page.getByRole('heading', { name: 'Resources', level: 1 })).toBeVisible();
      // A page loaded once stays loaded.
      await page.getByRole('link', { name: 'Offers', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'GPU offers' })).toBeVisible();
      await page.getByRole('link', { name: 'Resources', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Resources', level: 1 })).toBeVisible();
    });
  }
});

// A copy of the release build on a plain static host, so a test can deploy
// a second build over it while a page is open.
test.describe('a redeploy while a tab is open', () => {
  const PORT = Number(process.env.E2E_REDEPLOY_PORT ?? 18091);
  const HOST = `http://127.0.0.1:${PORT}`;
  const source = process.env.E2E_DIST_DIR ?? path.resolve(__dirname, '..', '..', 'dist');
  let site: string;
  let server: ChildProcess;

  /** Replaces the served build with "another" one: its files under a new
   *  build directory, index.html naming it, the old directory gone. */
  function deploySecondBuild(): string {
    const old = readdirSync(site).find((f) => /^pkg-[0-9a-f]{16}$/.test(f));
    if (!old) throw new Error('no build directory in the served copy');
    const next = `pkg-${'f'.repeat(12)}${old.slice(-4) === 'ffff' ? '0000' : 'ffff'}`;
    renameSync(path.join(site, old), path.join(site, next));
    for (const page of ['index.html', '404.html']) {
      const file = path.join(site, page);
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll(old, next));
    }
    return next;
  }

  test.beforeEach(async () => {
    site = mkdtempSync(path.join(tmpdir(), 'redeploy-'));
    cpSync(source, site, { recursive: true });
    server = await startStaticHost(site, '/', PORT);
  });

  test.afterEach(() => {
    server?.kill();
    rmSync(site, { recursive: true, force: true });
  });

  test('pages already loaded keep working, the console offers the new version, and drafts survive it', async ({ page }) => {
    await signIn(page, DEMO_TOKEN, HOST);
    await page.goto(`${HOST}/offers`);
    await expect(page.getByRole('heading', { name: 'GPU offers' })).toBeVisible();
    // A draft order in progress, opened by address: the first navigation
    // inside the console is the one after the redeploy.
    const procureAt = await page.getByRole('table', { name: 'GPU offers' }).locator('tbody tr[data-pos]').first()
      .getByRole('link', { name: /^Procure / }).getAttribute('href');
    if (!procureAt) throw new Error('no procure link');
    // The files this page load fetches.
    const arrived = new Set<string>();
    page.on('requestfinished', (r) => arrived.add(new URL(r.url()).pathname.split('/').pop() ?? ''));
    await page.goto(`${HOST}${procureAt}`);
    await expect(page.getByRole('heading', { name: 'Procure offer' })).toBeVisible();
    await page.getByLabel('Resource name').fill('draft-across-deploys');
    // The resources page's code arrives as the pointer comes over its link
    // (the preload on intent), before the redeploy.
    await page.getByRole('link', { name: 'Resources', exact: true }).hover();
    await expect
      .poll(() => build.manifest.chunks.resources_chunk.filter((file) => !arrived.has(file)))
      .toEqual([]);

    const next = deploySecondBuild();
    await page.getByRole('link', { name: 'Resources', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Resources', level: 1 })).toBeVisible();
    const notice = page.getByRole('status').filter({ hasText: 'A new version of the console has been deployed' });
    await expect(notice).toBeVisible();
    await expectNoAxeViolations(page);

    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(r.url()));
    await notice.getByRole('button', { name: 'Reload to use it' }).click();
    await expect(page).toHaveURL(`${HOST}/resources`);
    await expect(page.getByRole('heading', { name: 'Resources', level: 1 })).toBeVisible();
    expect(fetched.some((url) => url.includes(`/${next}/`))).toBe(true);
    await expect(notice).toHaveCount(0);

    // The new version has the draft.
    await page.goto(`${HOST}${procureAt}`);
    await expect(page.getByLabel('Resource name')).toHaveValue('draft-across-deploys');
  });

  test('a page whose code went with the old build says the console was updated, and Reload opens it', async ({ page }) => {
    await signIn(page, DEMO_TOKEN, HOST);
    // The preload does not get through before the redeploy.
    await page.route(RESOURCES_CODE, failChunks('abort'));
    await page.goto(`${HOST}/settings`);
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await page.waitForTimeout(1500);
    deploySecondBuild();
    await page.unroute(RESOURCES_CODE);

    await page.getByRole('link', { name: 'Resources', exact: true }).click();
    const alert = await expectChunkFailure(page, /console has been updated since this tab was opened/);
    await expect(alert.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await expectNoAxeViolations(page);
    await alert.getByRole('button', { name: 'Reload' }).click();
    await expect(page).toHaveURL(`${HOST}/resources`);
    await expect(page.getByRole('heading', { name: 'Resources', level: 1 })).toBeVisible();
  });
});

/** A URL predicate for the files only `point` needs: what it shares with
 *  pages (or with other parts fetched on demand) comes with them. */
function filesOnlyOf(point: string): (url: URL) => boolean {
  const others = new Set(
    Object.entries(build.manifest.chunks).flatMap(([other, files]) => (other === point ? [] : files)),
  );
  const own = new Set((build.manifest.chunks[point] ?? []).filter((f) => !others.has(f)));
  return (url: URL) => url.pathname.includes(`/${build.pkg}/`) && own.has(url.pathname.split('/').pop() ?? '');
}

// The YAML parser is a chunk of its own (src/state/yaml_reader.rs), fetched
// when something needs reading as YAML.
const YAML_ONLY = filesOnlyOf('yaml_chunk');

test.describe('the YAML parser, fetched when something needs it', () => {
  test('offers and procure open without it; the spec editor and a #cloud-config say so, and read once it arrives', async ({ page, request }) => {
    expect(build.manifest.chunks.yaml_chunk).toContain('split_yaml_chunk.wasm');
    for (const point of ['offers_chunk', 'procure_chunk']) expect(build.manifest.chunks[point]).not.toContain('split_yaml_chunk.wasm');
    await signIn(page);
    await page.route(YAML_ONLY, failChunks('abort'));
    await page.goto('/offers');
    await expect(page.getByRole('table', { name: 'GPU offers' }).locator('tbody tr[data-pos]').first()).toBeVisible();
    await page.getByText('Spec (YAML) sent to the service').click();
    const spec = page.getByLabel('Offer spec');
    await spec.fill('compute:\n  gpu_type: [H100\n');
    const problems = page.getByRole('list', { name: 'Spec problems' });
    await expect(problems).toContainText('The YAML parser could not be fetched');
    await expectNoAxeViolations(page);
    // Back online: the next edit fetches it, and the text is read.
    await page.unroute(YAML_ONLY);
    await spec.fill('compute:\n  gpu_type: [H100 \n');
    await expect(problems.getByRole('button')).toContainText(/^Line \d+, column \d+: YAML error/);
    await expect(problems).not.toContainText('could not be fetched');

    const [offer] = await sim.offers(request, { compute: { type: 'vm' } });
    await page.route(YAML_ONLY, failChunks('abort'));
    await page.goto(`/offers/${offer.offer_id}/procure`);
    const script = page.getByLabel('Cloud-init', { exact: true });
    const checks = page.getByRole('list', { name: 'Cloud-init checks' });
    // A script needs no parser: checked at once.
    await script.fill('echo hi\n');
    await expect(checks).toContainText('The first line must be #cloud-config');
    await script.fill('#cloud-config\nruncmd: [unclosed\n');
    await expect(checks).toContainText('The YAML check could not be loaded');
    await expectNoAxeViolations(page);
    await page.unroute(YAML_ONLY);
    await script.fill('#cloud-config\nruncmd: [unclosed \n');
    await expect(checks).toContainText(/Error: line \d+, column \d+: YAML error/);
    await expect(checks).not.toContainText('could not be loaded');
  });

  test('a link that carries a whole spec waits for the parser, and asks for that spec only', async ({ page, request }) => {
    await signIn(page);
    // The parser arrives late: nothing may be asked before it has read the link.
    await page.route(YAML_ONLY, async (route) => {
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue();
    });
    await sim.resetStats(request);
    const bodies: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/get_offers') && r.method() === 'POST') bodies.push(r.postData() ?? '');
    });
    const yaml = 'compute:\n  gpu_count: 2\nstorage:\n  - type: "filesystem"\n    size: "2TB"\n    persistent: true\n';
    await page.goto(`/offers?spec=${encodeURIComponent(yaml)}`);
    await expect(page.getByRole('table', { name: 'GPU offers' }).locator('tbody tr[data-pos]').first()).toBeVisible();
    await expect(page.getByLabel('GPUs', { exact: true })).toHaveValue('2');
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body).toContain('gpu_count: 2');
      expect(body).toMatch(/storage:\n  - type: "filesystem"\n    size: "2TB"/);
    }
  });
});

test.describe('parts of /offers fetched when first shown', () => {
  test('the spec editor and the comparison are not in the first visit; held back, each says so and the page works', async ({ page }) => {
    for (const point of ['spec_editor_chunk', 'compare_chunk']) {
      expect(build.manifest.chunks[point]).toContain(`split_${point}.wasm`);
      expect(build.manifest.chunks.offers_chunk).not.toContain(`split_${point}.wasm`);
    }
    const held = [filesOnlyOf('spec_editor_chunk'), filesOnlyOf('compare_chunk')];
    await signIn(page);
    for (const files of held) await page.route(files, failChunks('abort'));
    await page.goto('/offers');
    const rows = page.getByRole('table', { name: 'GPU offers' }).locator('tbody tr[data-pos]');
    await expect(rows.first()).toBeVisible();

    await page.getByText('Spec (YAML) sent to the service').click();
    await expect(page.getByRole('alert').filter({ hasText: 'The spec editor could not be loaded' })).toBeVisible();
    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await expect(page.getByRole('alert').filter({ hasText: 'The comparison could not be loaded' })).toBeVisible();
    await expectNoAxeViolations(page);
    // The rest of the page still answers.
    await page.getByLabel('Search offers').fill('zzz-no-such-offer');
    await expect(rows).toHaveCount(0);

    // Back online: shown again, each part arrives.
    for (const files of held) await page.unroute(files);
    await page.getByLabel('Search offers').fill('');
    await rows.nth(0).getByRole('checkbox').uncheck();
    await rows.nth(0).getByRole('checkbox').check();
    await expect(page.getByRole('region', { name: 'Compare offers' })).toBeVisible();
  });
});
