// What the browser benches share: the simulator on loopback serving the
// built console, Chromium as the e2e suite launches it, and signing in the
// way a user does (the settings form).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'tests', 'e2e', 'package.json'));
const { chromium } = require('@playwright/test');

export const API_PORT = Number(process.env.BENCH_API_PORT ?? 28787);
export const UI_PORT = Number(process.env.BENCH_UI_PORT ?? 28080);
export const API = `http://127.0.0.1:${API_PORT}`;
export const UI = `http://127.0.0.1:${UI_PORT}`;

/** Starts the release simulator with `args` beside the ports and the console; resolves once it is ready. */
export function startSimulator(args = [], dist = join(root, 'dist')) {
  const sim = spawn(join(root, 'target', 'release', 'supply-sim'), [
    '--port', String(API_PORT), '--k0rdent-port', String(API_PORT + 1),
    '--ui-dir', dist, '--ui-port', String(UI_PORT), '--quiet', ...args,
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    sim.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    sim.stdout.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve(sim);
    });
  });
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves the simulator's demo token in settings. */
export async function signIn(page) {
  await page.goto(`${UI}/settings`);
  await page.getByLabel('API token', { exact: true }).fill('demo-token');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
}
