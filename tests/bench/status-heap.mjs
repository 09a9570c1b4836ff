// JS heap of the status page after 1,000 polls against after the first,
// in real Chromium with a fake clock: each 15 s step makes the page poll the
// simulator once over HTTP. The offer is never procured, so its status
// never becomes final and polling never stops. Heap is read over the
// DevTools protocol after a forced garbage collection. Target: growth under
// 1 MB.
//
// Usage: node tests/bench/status-heap.mjs [polls]   (scripts/bench.sh runs it)

import { API, UI, launchBrowser, signIn, startSimulator } from './harness.mjs';
import { getOffers } from './supply-api.mjs';

const POLLS = Number(process.argv[2] ?? 1000);

const sim = await startSimulator(['--time-scale', '0']);

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

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.clock.install();
  await signIn(page);

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
