// Lighthouse (desktop preset, the npm package driving the system Chromium)
// on the release console served by the simulator: performance,
// accessibility and best-practices scores with FCP, TBT and TTI for the
// offers, procure, status and resource pages. Signed in first, in the same
// browser profile, so each page shows its data rather than settings.
//
// Usage: node tests/bench/lighthouse.mjs   (scripts/bench.sh runs it)

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { getOffers, procure } from './supply-api.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'tests', 'e2e', 'package.json'));
const { chromium } = require('@playwright/test');

const API_PORT = Number(process.env.BENCH_API_PORT ?? 28787);
const UI_PORT = Number(process.env.BENCH_UI_PORT ?? 28080);
const DEBUG_PORT = Number(process.env.BENCH_DEBUG_PORT ?? 29222);
const API = `http://127.0.0.1:${API_PORT}`;
const UI = `http://127.0.0.1:${UI_PORT}`;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc bench';
// A resource the simulator seeds.
const RESOURCE = '0b6f5c2e-3d41-4a8e-9c27-5e1f8a9d3b01';

const sim = spawn(join(root, 'target', 'release', 'supply-sim'), [
  '--port', String(API_PORT), '--k0rdent-port', String(API_PORT + 1),
  '--ui-dir', join(root, 'dist'), '--ui-port', String(UI_PORT), '--quiet',
], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  sim.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  sim.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve());
});

const offers = await getOffers(API, { compute: { type: 'vm' } });
const [toProcure, procured] = offers;
await procure(API, procured.offer_id, KEY);

const pages = [
  ['/offers', `${UI}/offers`],
  ['/offers/:id/procure', `${UI}/offers/${toProcure.offer_id}/procure`],
  ['/offers/:id/status', `${UI}/offers/${procured.offer_id}/status`],
  ['/resources/:id', `${UI}/resources/${RESOURCE}`],
];

const profile = mkdtempSync(join(tmpdir(), 'supply-lighthouse-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [`--remote-debugging-port=${DEBUG_PORT}`, '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync'],
});
const rows = [];
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(`${UI}/settings`);
  await page.getByLabel('API token', { exact: true }).fill('demo-token');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForFunction(() => localStorage.getItem('supply.api_token') === 'demo-token');

  for (const [name, url] of pages) {
    const result = await lighthouse(
      url,
      {
        port: DEBUG_PORT,
        output: 'json',
        logLevel: 'error',
        // Keep the token the settings page stored.
        disableStorageReset: true,
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      },
      desktopConfig,
    );
    const { categories, audits } = result.lhr;
    const score = (id) => Math.round((categories[id]?.score ?? 0) * 100);
    const ms = (id) => `${Math.round(audits[id]?.numericValue ?? NaN)} ms`;
    rows.push({
      page: name,
      performance: score('performance'),
      accessibility: score('accessibility'),
      'best-practices': score('best-practices'),
      FCP: ms('first-contentful-paint'),
      TBT: ms('total-blocking-time'),
      TTI: ms('interactive'),
      LCP: ms('largest-contentful-paint'),
      CLS: (audits['cumulative-layout-shift']?.numericValue ?? NaN).toFixed(3),
    });
    const failing = Object.values(audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
      .map((a) => a.id);
    if (failing.length) rows.at(-1).failing = failing.join(' ');
  }
} finally {
  await browser.close();
  sim.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
}

console.log('Lighthouse, desktop preset (targets: performance >= 95, accessibility 100, best practices 100)');
const columns = ['page', 'performance', 'accessibility', 'best-practices', 'FCP', 'TBT', 'TTI', 'LCP', 'CLS'];
const width = (c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length));
console.log(columns.map((c) => c.padEnd(width(c))).join('  '));
for (const row of rows) {
  console.log(columns.map((c) => String(row[c]).padEnd(width(c))).join('  '));
  if (row.failing) console.log(`  failing audits: ${row.failing}`);
}
