import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { SEEDED_RESOURCE, expect, signInBoth, sim, test } from './helpers';

// Every fault the simulator can inject, on every page that calls an API:
// each shows a clear message, and the page works again once the fault is
// switched off. Prints a fault × page table.

interface Fault {
  name: string;
  rule: Record<string, unknown>;
  /** What the page must say; none for latency, which only delays. */
  says?: RegExp;
}

const FAULTS: Fault[] = [
  { name: 'latency 1.5 s', rule: { latency_ms: 1500 } },
  ...[401, 403, 404, 410, 422, 429, 500, 502, 503].map((status) => ({
    name: String(status),
    rule: { status },
    says: new RegExp(`\\(${status}\\)`),
  })),
  { name: 'malformed JSON', rule: { kind: 'malformed_json' }, says: /could not be read/ },
  { name: 'wrong types', rule: { kind: 'wrong_types' }, says: /could not be read/ },
  { name: 'dropped connection', rule: { kind: 'drop' }, says: /could not be reached/ },
];

interface PageUnderTest {
  name: string;
  /** The API path the page calls. */
  api: string;
  path: (offerId: string) => string;
  /** Visible once the page shows its data. */
  loaded: (page: Page) => Locator;
}

const PAGES: PageUnderTest[] = [
  { name: 'offers', api: '/get_offers', path: () => '/offers', loaded: (p) => p.getByText(/^[1-9]\d* of \d+ offers/) },
  { name: 'procure', api: '/offers/', path: (id) => `/offers/${id}/procure`, loaded: (p) => p.locator('.offer-summary') },
  { name: 'status', api: '/offers/', path: (id) => `/offers/${id}/status`, loaded: (p) => p.getByRole('status').filter({ hasText: /State: (?!loading)/ }) },
  { name: 'resources', api: '/resources', path: () => '/resources', loaded: (p) => p.getByRole('link', { name: 'train-h100-01', exact: true }) },
  { name: 'resource', api: '/resources/', path: () => `/resources/${SEEDED_RESOURCE}`, loaded: (p) => p.getByRole('heading', { level: 1, name: 'train-h100-01' }) },
  {
    name: 'k0rdent instance',
    api: '/v1/',
    path: () => '/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances/instance-a1b2c3',
    loaded: (p) => p.getByText('RUNNING').first(),
  },
];

// Rows survive a worker restart (a failed test restarts its worker): they
// are kept in a file, and the table is printed once every page has a row.
const TABLE = path.join(__dirname, 'test-results', 'faults-table.json');
type Rows = Record<string, Record<string, string>>;
const readRows = (): Rows => (existsSync(TABLE) ? JSON.parse(readFileSync(TABLE, 'utf8')) : {});
function saveRow(pageName: string, row: Record<string, string>): void {
  mkdirSync(path.dirname(TABLE), { recursive: true });
  writeFileSync(TABLE, JSON.stringify({ ...readRows(), [pageName]: row }));
}

test.afterAll(() => {
  const rows = readRows();
  if (!PAGES.every((p) => rows[p.name])) return;
  const width = Math.max(...FAULTS.map((f) => f.name.length)) + 2;
  const header = 'fault'.padEnd(width) + PAGES.map((p) => p.name.padEnd(18)).join('');
  const lines = FAULTS.map(
    (f) => f.name.padEnd(width) + PAGES.map((p) => (rows[p.name]?.[f.name] ?? '-').padEnd(18)).join(''),
  );
  console.log(`\nfaults × pages (ok: a clear message, then working again once switched off)\n${header}\n${lines.join('\n')}\n`);
});

test.describe('faults on every page', () => {
  for (const target of PAGES) {
    test(`${target.name}: every fault shows a message, and the page recovers`, async ({ page, request }) => {
      test.setTimeout(180_000);
      await signInBoth(page);
      const offers = await sim.offers(request, { compute: { type: 'vm' } });
      const path = target.path(offers[0].offer_id);
      const cells: Record<string, string> = {};
      for (const fault of FAULTS) {
        let cell = 'ok';
        try {
          await sim.setFaults(request, { ...fault.rule, path_prefix: target.api });
          await page.goto(path);
          if (fault.says) {
            await expect(page.getByRole('alert').filter({ hasText: fault.says }).first()).toBeVisible();
          } else {
            await expect(target.loaded(page)).toBeVisible();
          }
          // Switched off: retry where offered, else reload; the data shows.
          await sim.clearFaults(request);
          const retry = page.getByRole('alert').getByRole('button', { name: 'Retry' }).first();
          if (await retry.isVisible()) {
            await retry.click();
          } else {
            await page.reload();
          }
          await expect(target.loaded(page)).toBeVisible();
          await expect(page.getByRole('alert').filter({ hasText: /\(\d{3}\)|could not be/ })).toHaveCount(0);
        } catch (err) {
          cell = 'FAILED';
          expect.soft(String(err), `${fault.name} on ${target.name}`).toBe('');
        } finally {
          await sim.clearFaults(request);
        }
        cells[fault.name] = cell;
      }
      saveRow(target.name, cells);
    });
  }
});

// The release build compiles with -Zfmt-debug=shallow (split-build.mjs):
// serde writes the value it could not read with `{:?}`, which must still
// print it, so the message says what the answer held.
test('an answer of the wrong types says which value the console could not read', async ({ page, request }) => {
  await signInBoth(page);
  await sim.setFaults(request, { kind: 'wrong_types', path_prefix: '/resources' });
  try {
    await page.goto('/resources');
    await expect(
      page.getByRole('alert').filter({ hasText: /not with the data the console expects \(invalid type: string "[^"]+", expected/ }),
    ).toBeVisible();
  } finally {
    await sim.clearFaults(request);
  }
});
