// Offers filter benchmark: keystroke-to-updated-table time in real Chromium
// over about 10,000 offers (the answer to the console's own spec), for the console and for a plain JavaScript page doing
// the same filter, sort and windowed render over the same data, in the same
// run. Prints medians and their ratio; it measures, it does not pass/fail.
//
// Usage: node tests/bench/offers-filter.mjs   (after a release build: the
// simulator binary and dist/ must exist; scripts/bench.sh does all that)
//
// BENCH_DIST=<dir> serves another build; BENCH_CPUPROFILE=<file> also
// records the console's keystrokes with the V8 profiler, writes the
// .cpuprofile and prints the functions with the most self time (build with
// names kept to read them: see "Profiling" in the README).

import { writeFileSync } from 'node:fs';
import { API, UI, launchBrowser, signIn, startSimulator } from './harness.mjs';
import { getOffers } from './supply-api.mjs';

// The catalog size: the console's spec (every family, one GPU) is answered
// with about 37% of it, so this gives a table of about 10,000 offers.
const OFFERS = Number(process.env.BENCH_OFFERS ?? 27000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const QUERIES = ['h100', 'a100', 'l40s', 'rtx', 'h200', 'nebius'];

// Runs in the page: types `text` into the search field and resolves with
// the milliseconds until the keystroke's work is done, checking that the
// table did change. The console's reactive updates run as microtasks, and
// an update can queue the next one, so the clock stops after a chain of
// microtasks long enough to let every step run (and before the browser
// renders, which a task or a frame callback would wait for). A
// MutationObserver would stop at the first change instead, and would make
// the page pay for a record of each text changed in place.
const MICROTASK_STEPS = 32;
const typeAndTime = ([inputSelector, tbodySelector, text, steps]) => new Promise((resolve, reject) => {
  const input = document.querySelector(inputSelector);
  const tbody = document.querySelector(tbodySelector);
  const before = tbody.textContent;
  const start = performance.now();
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  let settled = Promise.resolve();
  for (let step = 0; step < steps; step++) settled = settled.then(() => {});
  settled.then(() => {
    const ms = performance.now() - start;
    if (tbody.textContent === before) reject(new Error(`typing ${text} left the table as it was`));
    else resolve(ms);
  });
});

async function measure(page, inputSelector, tbodySelector) {
  const times = [];
  // One warm-up pass, then the measured rounds.
  for (let round = -1; round < ROUNDS; round++) {
    for (const text of QUERIES) {
      const ms = await page.evaluate(typeAndTime, [inputSelector, tbodySelector, text, MICROTASK_STEPS]);
      if (round >= 0) times.push(ms);
      await page.waitForTimeout(30);
    }
  }
  return times;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

// The plain page: the same data, the same text filter over the same fields,
// sorted by $/GPU-hour, and only the rows in view rendered: as the console
// does at the top of its table (supply-model's RowWindow), the 17 rows that
// 640 px shows and the 8 below them.
const plainPage = (offers) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>plain</title>
<style>td{height:38px;white-space:nowrap;padding:0 6px}</style></head><body>
<input id="q" type="search" aria-label="Search"><div id="wrap" style="height:640px;overflow:auto">
<table><tbody id="rows"></tbody></table></div>
<script>
const offers = ${JSON.stringify(offers)};
const hay = offers.map(o => [o.gpu_family, o.gpu_type, o.vendor, o.region, o.vendor_region, o.contract_type, o.offer_id].filter(Boolean).join(' ').toLowerCase());
const perGpu = o => o.gpu_price_per_hour ?? Infinity;
const money = v => v == null || !isFinite(v) ? '—' : (v >= 1 ? '$' + v.toFixed(2) : '$' + v.toFixed(3));
const tbody = document.getElementById('rows');
function render(text) {
  const words = text.toLowerCase().split(/\\s+/).filter(Boolean);
  const picked = [];
  for (let i = 0; i < offers.length; i++) if (words.every(w => hay[i].includes(w))) picked.push(i);
  picked.sort((a, b) => perGpu(offers[a]) - perGpu(offers[b]) || offers[a].offer_id.localeCompare(offers[b].offer_id));
  const frag = document.createDocumentFragment();
  for (const i of picked.slice(0, 25)) {
    const o = offers[i], tr = document.createElement('tr');
    for (const v of [o.gpu_family + ' · ' + o.gpu_type, o.gpu_count, o.vendor, o.region, o.vendor_region, o.contract_type,
      money(perGpu(o)), money(o.total_price_per_hour), money(o.storage_price_per_hour), o.vcpu_count, o.memory_in_gb,
      o.boot_disk_in_gb, o.expires_at]) {
      const td = document.createElement('td'); td.textContent = v ?? '—'; tr.appendChild(td);
    }
    frag.appendChild(tr);
  }
  tbody.replaceChildren(frag);
}
document.getElementById('q').addEventListener('input', e => render(e.target.value));
render('');
</script></body></html>`;

async function startProfiler(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return cdp;
}

// Writes the profile and prints the top functions by self time.
async function stopProfiler(cdp, file) {
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const gaps = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const name = byId.get(id)?.callFrame.functionName || '(anonymous)';
    self.set(name, (self.get(name) ?? 0) + (gaps[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`profile written to ${file}; self time, top 25 of ${total.toFixed(0)} ms:`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name.slice(0, 110)}`);
}

const sim = await startSimulator(['--offers', String(OFFERS)], process.env.BENCH_DIST);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page);
  await page.goto(`${UI}/offers`);
  await page.locator('tbody tr[data-pos]').first().waitFor();
  const total = await page.evaluate(() => document.querySelector('table[aria-label="GPU offers"]').getAttribute('aria-rowcount') - 1);
  const rendered = await page.locator('tbody tr[data-pos]').count();
  const profiler = process.env.BENCH_CPUPROFILE ? await startProfiler(page) : null;
  const consoleTimes = await measure(page, '#offer-search', 'table[aria-label="GPU offers"] tbody');
  if (profiler) await stopProfiler(profiler, process.env.BENCH_CPUPROFILE);

  // The same answer the console got: its spec asks for every family, one GPU.
  const offers = await getOffers(API);
  const plain = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await plain.setContent(plainPage(offers));
  const plainTimes = await measure(plain, '#q', '#rows');

  const c = median(consoleTimes), p = median(plainTimes);
  console.log(`offers filter benchmark: ${total} offers, ${rendered} rows in the DOM, ${consoleTimes.length} keystrokes each`);
  console.log(`  console      median ${c.toFixed(1)} ms   p90 ${p90(consoleTimes).toFixed(1)} ms   (target ≤ 16 ms)`);
  console.log(`  plain JS     median ${p.toFixed(1)} ms   p90 ${p90(plainTimes).toFixed(1)} ms`);
  console.log(`  ratio        ${(c / p).toFixed(2)} × the plain page   (target ≤ 1.5)`);
} finally {
  await browser.close();
  sim.kill('SIGTERM');
}
