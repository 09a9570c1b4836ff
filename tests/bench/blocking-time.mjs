// Main-thread blocking on a first visit, measured in real Chromium with its
// CPU slowed 4x (Lighthouse's mobile CPU) and an empty HTTP cache: the sum,
// over the tasks after the first contentful paint, of each task's time past
// 50 ms, for 5 s after the load: the first seconds of a visit, before the
// background preload of the other pages starts (src/preloading.rs, 10 s
// after the console has a token). Lighthouse's TBT estimates the same from
// an unthrottled trace; this one is the browser's own figure, and the median
// of RUNS loads per page (they move by a third between loads on a small
// machine), with the longest task beside it. The pages are Lighthouse's:
// settings signed out, offers, procure, status, resources, a resource and
// the three k0rdent pages.
//
// Usage: node tests/bench/blocking-time.mjs   (scripts/bench.sh runs it)
//   BENCH_RUNS=n       loads per page (default 5)
//   BENCH_DIST_DIR=dir another build to serve (default: dist)
//   BENCH_ONLY=/offers  only the pages whose name contains this

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, UI, launchBrowser, signIn, startSimulator } from './harness.mjs';
import { benchPages } from './supply-api.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
// The page's answers and their drawing, well inside the 10 s before the
// background preload.
const SETTLE_MS = 5000;

const sim = await startSimulator([], process.env.BENCH_DIST_DIR);
const pages = await benchPages(API);

const browser = await launchBrowser();
const traces = mkdtempSync(join(tmpdir(), 'supply-blocking-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
try {
  console.log(`main-thread blocking, 4x CPU, empty cache, median of ${RUNS} loads (ms past 50 per task, after first paint)`);
  const only = process.env.BENCH_ONLY;
  for (const [name, path, { signedOut = false } = {}] of pages.filter(([n]) => !only || n.includes(only))) {
    const blocking = [];
    const longest = [];
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
      const page = await context.newPage();
      if (!signedOut) await signIn(page);
      await page.goto('about:blank');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      const trace = join(traces, `${run}.json`);
      await browser.startTracing(page, {
        path: trace,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'loading'],
      });
      await page.goto(`${UI}${path}`, { waitUntil: 'load' });
      await page.waitForTimeout(SETTLE_MS);
      await browser.stopTracing();
      await context.close();
      const { traceEvents } = JSON.parse(readFileSync(trace, 'utf8'));
      const paint = traceEvents.find((e) => e.name === 'firstContentfulPaint');
      if (!paint) throw new Error(`${name}: no first contentful paint in the trace`);
      const tasks = traceEvents
        .filter((e) => e.name === 'RunTask' && e.dur && e.pid === paint.pid && e.ts > paint.ts)
        .map((e) => e.dur / 1000);
      blocking.push(Math.round(tasks.reduce((sum, ms) => sum + Math.max(0, ms - 50), 0)));
      longest.push(Math.round(Math.max(0, ...tasks)));
    }
    console.log(`${name.padEnd(24)} blocking ${String(median(blocking)).padStart(4)} ms  longest task ${String(median(longest)).padStart(4)} ms  (runs: ${blocking.join(' ')})`);
  }
} finally {
  await browser.close();
  sim.kill();
  rmSync(traces, { recursive: true, force: true });
}
