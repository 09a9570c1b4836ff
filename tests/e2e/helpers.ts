import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { addCounts, ContractWatch, summary, watchFaults, type ContractMode } from './contract';
import { API_URL, K0RDENT_URL } from './ports';

export { expect };
export { API_URL, K0RDENT_URL, UI_URL } from './ports';

/** The simulator's demo bearer token (it prints it at start-up). */
export const DEMO_TOKEN = process.env.E2E_TOKEN ?? 'demo-token';
/** A token the simulator refuses. */
export const WRONG_TOKEN = 'wrong-token-e2e';
/** The simulator's k0rdent token (`--k0rdent-token`'s default). */
export const K0RDENT_TOKEN = process.env.E2E_K0RDENT_TOKEN ?? 'k0rdent-demo-token';

// Strings that must never show up in a URL the browser requests: a token in
// a URL ends up in logs, history and Referer headers.
const SECRETS = [DEMO_TOKEN, WRONG_TOKEN, K0RDENT_TOKEN];

/**
 * `test` with a guard applied to every test: the simulator's faults are
 * cleared first; afterwards the test fails if the page threw an uncaught
 * error (a wasm panic shows up as one), if any request carried a token in
 * its URL, or if a Supply call of the console broke the contract
 * (tests/contract/supply-openapi.yaml; see contract.ts): a request, or an
 * answer no fault decided. `test.use({ contract: 'requests' })` checks
 * requests only, 'off' nothing.
 */
export const test = base.extend<
  { browserGuard: void; contract: ContractMode; contractWatch: ContractWatch },
  { contractSummary: void }
>({
  contract: ['all', { option: true }],
  contractWatch: async ({ contract }, use) => {
    await use(new ContractWatch(contract));
  },
  // The test's fault switches are followed, so that answers a fault
  // decided are not held to the contract.
  request: async ({ request, contractWatch }, use) => {
    await use(watchFaults(request, contractWatch));
  },
  // "contract: offers.spec.ts: 412 requests, 398 answers validated, …"
  contractSummary: [
    async ({}, use) => {
      await use();
      for (const line of summary()) console.log(line);
    },
    { scope: 'worker', auto: true },
  ],
  browserGuard: [
    async ({ page, context, request, contractWatch }, use, testInfo) => {
      await sim.clearFaults(request);
      contractWatch.attach(context);

      const pageErrors: string[] = [];
      const consoleErrors: string[] = [];
      const leaks: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(err.stack ?? `${err.name}: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') consoleErrors.push(msg.text());
      });
      context.on('request', (req) => {
        const url = req.url();
        if (SECRETS.some((s) => url.includes(s) || url.includes(encodeURIComponent(s)))) {
          leaks.push(`${req.method()} ${url}`);
        }
      });

      await use();

      await contractWatch.settle();
      addCounts(testInfo.file, contractWatch.counts);
      // Console errors are not failures by themselves (a refused fetch logs
      // one) but help explain one.
      if (consoleErrors.length) {
        await testInfo.attach('browser console errors', { body: consoleErrors.join('\n'), contentType: 'text/plain' });
      }
      // Soft: report every kind that happened.
      expect.soft(pageErrors, 'uncaught errors in the page (a wasm panic shows up here)').toEqual([]);
      expect.soft(leaks, 'requests that carry a token in the URL').toEqual([]);
      expect
        .soft(contractWatch.violations, 'Supply calls that break the contract (tests/contract/supply-openapi.yaml)')
        .toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * Sign in through the settings page: fill "API token", click "Save". On the
 * test console unless `origin` names another host of it.
 */
export async function signIn(page: Page, token: string = DEMO_TOKEN, origin = ''): Promise<void> {
  await page.goto(`${origin}/settings`);
  await page.getByLabel('API token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // Saved means stored: in localStorage or sessionStorage, by the user's choice.
  await expect.poll(async () => (await storageEntries(page, 'both')).some((e) => e.includes(token))).toBe(true);
}

/**
 * Both tokens through the settings page, saved with one "Save"; kept for
 * this browser session only when `sessionOnly`.
 */
export async function signInBoth(
  page: Page,
  k0rdentToken: string = K0RDENT_TOKEN,
  sessionOnly = false,
  origin = '',
): Promise<void> {
  await page.goto(`${origin}/settings`);
  await page.getByLabel('API token', { exact: true }).fill(DEMO_TOKEN);
  await page.getByLabel('k0rdent token', { exact: true }).fill(k0rdentToken);
  if (sessionOnly) await page.getByLabel('This browser session only').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect
    .poll(async () => (await storageEntries(page, 'both')).some((e) => e === `supply.k0rdent_token=${k0rdentToken}`))
    .toBe(true);
}

/** Starts a server process; resolves once it prints `ready`, fails if it exits first. */
export function startServer(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`${path.basename(command)} exited with ${code}`)));
    child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve(child));
  });
}

/**
 * A plain static host (static-server.mjs) serving `dist` under `prefix`,
 * its config.json naming the test simulator's APIs.
 */
export function startStaticHost(dist: string, prefix: string, port: number): Promise<ChildProcess> {
  return startServer('node', [path.join(__dirname, 'static-server.mjs'), dist, prefix, String(port), API_URL, K0RDENT_URL]);
}

/** Keys and values of the page's Web Storage, as "key=value" strings. */
export async function storageEntries(
  page: Page,
  which: 'localStorage' | 'sessionStorage' | 'both',
): Promise<string[]> {
  return page.evaluate((which) => {
    const areas = which === 'both' ? [localStorage, sessionStorage] : [which === 'localStorage' ? localStorage : sessionStorage];
    const out: string[] = [];
    for (const area of areas) {
      for (let i = 0; i < area.length; i++) {
        const key = area.key(i) ?? '';
        out.push(`${key}=${area.getItem(key) ?? ''}`);
      }
    }
    return out;
  }, which);
}

/**
 * Calls `seen` with the URL and Authorization header of every request the
 * page sends with one. The headers are read after the request event, so a
 * request still in flight when the test ends (a background preload) cannot
 * be read: that one is let go, where an awaited read failed the finished
 * test. One that cannot be read while the page is open is reported as
 * such, so a check of where tokens go still sees it.
 */
export function onAuthorizedRequest(page: Page, seen: (url: string, authorization: string) => void): void {
  page.on('request', (request) => {
    request.allHeaders().then(
      (headers) => {
        if (headers.authorization) seen(request.url(), headers.authorization);
      },
      () => {
        if (!page.isClosed()) seen(request.url(), '(headers could not be read)');
      },
    );
  });
}

/** The pathname of the page's current URL. */
export function pathname(page: Page): string {
  return new URL(page.url()).pathname;
}

/** Elements that announce results: role status or alert. */
export function announcements(page: Page) {
  return page.getByRole('status').or(page.getByRole('alert'));
}

/** Fails listing every axe-core violation: rule, impact, help, elements. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const report = results.violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    element ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  ${v.id} [${v.impact ?? 'n/a'}] ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n\n');
  expect(results.violations.length, `axe-core found accessibility violations on ${page.url()}:\n${report}`).toBe(0);
}

/** A simulated GPU offer, with the published field names; every field but offer_id may be missing. */
export interface Offer {
  offer_id: string;
  gpu_type?: string;
  gpu_family?: string;
  gpu_count?: number;
  vendor?: string;
  region?: string;
  vendor_region?: string;
  gpu_price_per_hour?: number;
  total_price_per_hour?: number;
  [field: string]: unknown;
}

async function ensureOk(what: string, res: APIResponse): Promise<APIResponse> {
  if (!res.ok()) {
    throw new Error(`${what}: HTTP ${res.status()} ${await res.text()}`);
  }
  return res;
}

/** The simulator's admin API (on the API port) and a direct API client. */
export const sim = {
  /**
   * Replaces the simulator's fault rules with one rule or a list, e.g.
   * { path_prefix: '/get_offers', status: 503, times: 1 }.
   */
  async setFaults(request: APIRequestContext, faults: Record<string, unknown> | Record<string, unknown>[]): Promise<void> {
    await ensureOk('POST /__admin/faults', await request.post(`${API_URL}/__admin/faults`, { data: faults }));
  },

  async clearFaults(request: APIRequestContext): Promise<void> {
    await ensureOk('DELETE /__admin/faults', await request.delete(`${API_URL}/__admin/faults`));
  },

  async stats(request: APIRequestContext): Promise<unknown> {
    return (await ensureOk('GET /__admin/stats', await request.get(`${API_URL}/__admin/stats`))).json();
  },

  async resetStats(request: APIRequestContext): Promise<void> {
    await ensureOk('POST /__admin/reset-stats', await request.post(`${API_URL}/__admin/reset-stats`));
  },

  /** Moves the simulator's clock forward (offers expire, provisioning advances). */
  async advanceClock(request: APIRequestContext, seconds: number): Promise<void> {
    await ensureOk(
      'POST /__admin/clock',
      await request.post(`${API_URL}/__admin/clock`, { data: { advance_secs: seconds } }),
    );
  },

  /** How many `METHOD route` requests the simulator has counted (by_route). */
  async requestCount(request: APIRequestContext, method: string, route: string): Promise<number> {
    const stats = (await sim.stats(request)) as { by_route?: Record<string, number> };
    if (!stats || typeof stats.by_route !== 'object') {
      throw new Error(`/__admin/stats has no by_route: ${JSON.stringify(stats)}`);
    }
    return stats.by_route[`${method.toUpperCase()} ${route}`] ?? 0;
  },

  /**
   * A JWT-shaped token the simulator accepts for `api` until its `exp`
   * (`lifetime` seconds from the simulator's now, on its clock).
   */
  async issueToken(
    request: APIRequestContext,
    api: 'k0rdent' | 'supply',
    lifetime: number,
  ): Promise<{ access_token: string; exp: number; expires_in: number }> {
    const res = await ensureOk(
      'POST /__admin/tokens',
      await request.post(`${API_URL}/__admin/tokens`, { data: { api, lifetime_secs: lifetime } }),
    );
    return res.json();
  },

  /** The k0rdent API's error body: the spec's envelope or the docs site's (with requestId). */
  async setK0rdentErrors(request: APIRequestContext, envelope: 'spec' | 'docs'): Promise<void> {
    await ensureOk(
      'POST /__admin/k0rdent-errors',
      await request.post(`${API_URL}/__admin/k0rdent-errors`, { data: { envelope } }),
    );
  },

  /** The GPU families the simulator offers (`GET /available_gpus`). */
  async families(request: APIRequestContext): Promise<string[]> {
    const res = await ensureOk(
      'GET /available_gpus',
      await request.get(`${API_URL}/available_gpus`, { headers: { Authorization: `Bearer ${DEMO_TOKEN}` } }),
    );
    return Object.keys((await res.json()) as Record<string, string[]>);
  },

  /**
   * The offers for a spec, fetched directly with the demo token, as the
   * console asks: YAML (JSON is YAML), every family and one GPU unless the
   * spec says otherwise.
   */
  async offers(request: APIRequestContext, spec: Record<string, unknown> = {}): Promise<Offer[]> {
    return (await sim.answer(request, spec)).offers;
  },

  /** The whole `get_offers` answer for a spec (see `offers`). */
  async answer(
    request: APIRequestContext,
    spec: Record<string, unknown> = {},
  ): Promise<{ offers: Offer[]; total_count: number; filters_applied: unknown }> {
    const compute: Record<string, unknown> = { gpu_count: 1, ...((spec.compute as Record<string, unknown>) ?? {}) };
    if (compute.gpu_type === undefined) compute.gpu_type = (await sim.families(request)).join(' | ');
    const res = await ensureOk(
      'POST /get_offers',
      await request.post(`${API_URL}/get_offers`, {
        headers: { Authorization: `Bearer ${DEMO_TOKEN}`, 'Content-Type': 'application/yaml' },
        data: JSON.stringify({ ...spec, compute }),
      }),
    );
    return res.json();
  },
};

/** A resource the simulator seeds (a lambda VM with linked storage). */
export const SEEDED_RESOURCE = '0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01';

/** One path of every page that calls an API, with live ids from the simulator. */
export async function pageTour(request: APIRequestContext, instance = 'instance-a1b2c3'): Promise<string[]> {
  const offers = await sim.offers(request);
  return [
    '/offers',
    `/offers/${offers[0].offer_id}/procure`,
    `/offers/${offers[0].offer_id}/status`,
    '/resources',
    `/resources/${SEEDED_RESOURCE}`,
    '/k0rdent',
    `/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances/${instance}`,
  ];
}

/** The release build the suite serves, and the split build's manifest:
 *  the wasm files each lazy page's split point needs. */
export const build = (() => {
  const dist = process.env.E2E_DIST_DIR ?? path.resolve(__dirname, '..', '..', 'dist');
  const pkg = readdirSync(dist).find((f) => /^pkg-[0-9a-f]{16}$/.test(f)) ?? 'pkg-missing';
  const manifest: { chunks: Record<string, string[]>; routes: [string, string][] } = JSON.parse(
    readFileSync(path.join(dist, pkg, 'manifest.json'), 'utf8'),
  );
  return { dist, pkg, manifest };
})();

/** A URL predicate for the wasm files `point` needs, so a test can keep
 *  one page's code from arriving while settings (in the main module) and
 *  the pages that need none of those files still open. */
export function onlyFilesOf(point: string): (url: URL) => boolean {
  const own = new Set(build.manifest.chunks[point] ?? []);
  return (url: URL) => url.pathname.includes(`/${build.pkg}/`) && own.has(url.pathname.split('/').pop() ?? '');
}

const VM_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc e2e@test';

/** Procures a live VM offer straight through the API; returns its id. */
export async function procureVm(request: APIRequestContext, resourceName = 'e2e-status'): Promise<string> {
  const offers = await sim.offers(request, { compute: { type: 'vm' } });
  const offer = offers.find((o) => o.available !== false);
  if (!offer) throw new Error('no available VM offer');
  const res = await request.post(`${API_URL}/procure_offer`, {
    headers: { Authorization: `Bearer ${DEMO_TOKEN}` },
    data: { offer_id: offer.offer_id, ssh_public_key: VM_KEY, resource_name: resourceName },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  return offer.offer_id;
}
