// Status polling figures in real Chromium with a fake browser clock kept in
// step with the simulator's: requests sent while the tab is hidden for 10
// minutes (expected 0), and requests from load to `ready` against the
// simulator's schedule (a VM is ready 30 s after procurement; polling every
// 15 s, that is 3 requests: at 0, 15 and 30 s).
//
// Usage: node tests/bench/status-polls.mjs   (scripts/bench.sh runs it)

import { API, UI, launchBrowser, signIn, startSimulator } from './harness.mjs';
import { getOffers, procure as procureOffer } from './supply-api.mjs';

const AUTH = { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' };
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeaD1heScpzmiypsUSb0T3lkmg2d/onGkPviaZ2Rtgc bench';

// Simulated time moves only when this script says so.
const sim = await startSimulator(['--time-scale', '0']);

const post = (path, body) => fetch(`${API}${path}`, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
const polls = async () => {
  const stats = await (await fetch(`${API}/__admin/stats`)).json();
  return stats.by_route?.['GET /offers/{id}/status'] ?? 0;
};
async function procure() {
  const [offer] = await getOffers(API, { compute: { type: 'vm' } });
  await procureOffer(API, offer.offer_id, KEY);
  return offer.offer_id;
}
const hide = (page, hidden) => page.evaluate((hidden) => {
  Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}, hidden);

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.clock.install();
  await signIn(page);

  // Hidden for 10 minutes.
  const hiddenOffer = await procure();
  await page.goto(`${UI}/offers/${hiddenOffer}/status`);
  await page.getByText('State:').waitFor();
  await hide(page, true);
  const beforeHidden = await polls();
  await page.clock.fastForward('10:00');
  const whileHidden = (await polls()) - beforeHidden;

  // Load to ready, one simulated second per browser second.
  const offerId = await procure();
  const start = await polls();
  await page.goto(`${UI}/offers/${offerId}/status`);
  await hide(page, false);
  let seconds = 0;
  while (!(await page.title()).startsWith('ready') && seconds < 300) {
    await page.clock.fastForward(1000);
    await post('/__admin/clock', { advance_secs: 1 });
    seconds += 1;
  }
  const toReady = (await polls()) - start;
  console.log('status polling figures');
  console.log(`  requests while hidden for 10 minutes   ${whileHidden}   (expected 0)`);
  console.log(`  requests from load to ready            ${toReady}   (schedule: ready at +30 s, 15 s polls: 3) after ${seconds} s`);
} finally {
  await browser.close();
  sim.kill('SIGTERM');
}
