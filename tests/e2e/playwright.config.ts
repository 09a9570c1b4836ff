import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { API_PORT, K0RDENT_PORT, UI_PORT, UI_URL } from './ports';

// The simulator serves the release build of the console (dist/) on the UI
// port and both APIs on theirs. Test ports differ from scripts/run.sh's so a
// running demo does not get in the way. scripts/test.sh builds both first.
const root = path.resolve(__dirname, '..', '..');
const simBin = process.env.E2E_SIM_BIN ?? path.join(root, 'target', 'release', 'supply-sim');
const distDir = process.env.E2E_DIST_DIR ?? path.join(root, 'dist');
// Unset: the simulator's own default pace.
const timeScale = process.env.E2E_TIME_SCALE;

const simArgs = [
  '--ui-dir', distDir,
  '--ui-port', String(UI_PORT),
  '--port', String(API_PORT),
  '--k0rdent-port', String(K0RDENT_PORT),
  // No per-request log lines in the test output.
  '--quiet',
  ...(timeScale ? ['--time-scale', timeScale] : []),
];
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// Debian's Chromium; the flags keep it off the (closed) network at start-up.
// Playwright adds --headless itself.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // 2 cores: one browser at a time; tests also share the simulator's faults.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: UI_URL,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: [simBin, ...simArgs].map(quote).join(' '),
    url: `${UI_URL}/`,
    // A leftover server would carry faults and counters from another run.
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
