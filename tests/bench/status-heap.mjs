// JS heap of the status page after 1,000 polls against after the first,
// in real Chromium with a fake clock: each 15 s step makes the page poll the
// simulator once over HTTP. The offer is never procured, so its status
// never becomes final and polling never stops. Heap is read over the
// DevTools protocol after a forced garbage collection. Target: growth under
// 1 MB.
//
// Usage: node tests/bench/status-heap.mjs [polls]   (scripts/bench.sh runs it)

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getOffers } from './supply-api.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'tests', 'e2e', 'package.json'));
const { chromium } = require('@playwright/test');

const POLLS = Number(process.argv[2] ?? 1000);
const API_PORT = Number(process.env.BENCH_API_PORT ?? 28787);
const UI_PORT = Number(process.env.BENCH_UI_PORT ?? 28080);
const API = `http://127.0.0.1:${API_PORT}`;
const UI = `http://127.0.0.1:${UI_PORT}`;

const sim = spawn(join(root, 'target', 'release', 'supply-sim'), [
  '--port', String(API_PORT), '--k0rdent-port', String(API_PORT + 1),
  '--ui-dir', join(root, 'dist'), '--ui-port', String(UI_PORT), '--quiet',
  '--time-scale', '0',
], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  sim.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  sim.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve());
});

const polls = async () => {
  const stats = await (await fetch(`${API}/__admin/stats`)).json();
  return stats.by_route?.['GET /offers/{id}/status'] ?? 0;
};
// The next poll is planned only once the page has read the last answer:
// until the count moves, nudge the fake clock on in small steps.
async function waitForPolls(count, page) {
  for (let tries = 0; tries < 400; tries++) {
    if ((await polls()) >= count) return;
    await new Promise((r) => setTimeout(r, 5));
    if (page && tries % 4 === 3) await page.clock.fastForward(250);
  }
  throw new Error(`the page stopped polling before ${count} requests`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.clock.install();
  await page.goto(`${UI}/settings`);
  await page.getByLabel('API token', { exact: true }).fill('demo-token');
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  const offers = await getOffers(API);
  const offerId = offers[0].offer_id;
  const start = await polls();
  await page.goto(`${UI}/offers/${offerId}/status`);
  await page.getByText('State:').waitFor();
  await waitForPolls(start + 1);

  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const first = await heap();
  const began = Date.now();
  for (let n = 2; n <= POLLS; n++) {
    await page.clock.fastForward(15_000);
    await waitForPolls(start + n, page);
  }
  // Let the last answer render before measuring.
  await page.getByText('State:').waitFor();
  const last = await heap();
  const sent = (await polls()) - start;
  const mb = (bytes) => (bytes / 1_048_576).toFixed(2);
  console.log('status page memory');
  console.log(`  polls sent                     ${sent} in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  console.log(`  JS heap after the first poll   ${mb(first)} MB`);
  console.log(`  JS heap after poll ${sent}       ${mb(last)} MB`);
  console.log(`  growth                         ${((last - first) / 1024).toFixed(0)} KB   (target: under 1,024 KB)`);
} finally {
  await browser.close();
  sim.kill('SIGTERM');
}
