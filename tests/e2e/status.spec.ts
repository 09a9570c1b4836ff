import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, procureVm, signIn, sim, test } from './helpers';

const state = (page: Page) => page.getByRole('status').filter({ hasText: 'State:' });

test.describe('provisioning status', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('follows provisioning to ready and copies the SSH command', async ({ page, context, request }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const offerId = await procureVm(request);
    await page.goto(`/offers/${offerId}/status`);
    await expect(state(page)).toContainText('provisioning');
    const copy = page.getByRole('button', { name: 'Copy SSH command' });

    await sim.advanceClock(request, 120);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(state(page)).toContainText('ready');
    await expect(page).toHaveTitle(/^ready/);
    await expect(page.getByText('Polling stopped: provisioning is over.')).toBeVisible();
    await expect(page.getByRole('list').filter({ hasText: 'ready' }).first()).toBeVisible();
    await expect(copy).toBeEnabled();
    await copy.click();
    await expect(copy).toHaveText('Copied');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip).toMatch(/^ssh .*@\d+\.\d+\.\d+\.\d+$/);
    await expect(page.getByRole('link', { name: /\(primary\)|vm/ }).first()).toHaveAttribute('href', /\/resources\//);
  });

  test('a browser notification says when it ends, where allowed', async ({ page, request }) => {
    await page.addInitScript(() => {
      const shown: { title: string; body?: string }[] = [];
      (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      class FakeNotification {
        static permission = 'granted';
        static requestPermission() {
          return Promise.resolve('granted');
        }
        constructor(title: string, options?: { body?: string }) {
          shown.push({ title, body: options?.body });
        }
      }
      (window as unknown as { Notification: unknown }).Notification = FakeNotification;
    });
    const offerId = await procureVm(request);
    await page.goto(`/offers/${offerId}/status`);
    await expect(page.getByText('A browser notification will say when provisioning ends.')).toBeVisible();
    await sim.advanceClock(request, 120);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(state(page)).toContainText('ready');
    const shown = await page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications);
    expect(shown).toEqual([{ title: 'Provisioning ready', body: `Offer ${offerId}` }]);
  });

  test('a failed procurement shows its reason', async ({ page, request }) => {
    const offerId = await procureVm(request, 'fail-on-purpose');
    await page.goto(`/offers/${offerId}/status`);
    await sim.advanceClock(request, 60);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Provisioning failed' });
    await expect(alert).toBeVisible();
    await expect(alert.getByRole('link', { name: 'Choose an equivalent offer' })).toBeVisible();
  });

  test('a 5xx while polling shows a banner and recovers', async ({ page, request }) => {
    const offerId = await procureVm(request);
    await page.goto(`/offers/${offerId}/status`);
    await expect(state(page)).toContainText('provisioning');
    await sim.setFaults(request, { path_prefix: '/offers/', status: 503, times: 1 });
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const banner = page.getByRole('alert').filter({ hasText: '503' });
    await expect(banner).toBeVisible();
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(banner).toHaveCount(0);
    await expect(state(page)).toContainText('provisioning');
  });

  test('a hidden tab sends no requests, and polls at once when shown', async ({ page, request }) => {
    await page.clock.install();
    const offerId = await procureVm(request);
    await page.goto(`/offers/${offerId}/status`);
    await expect(state(page)).toContainText('provisioning');
    const polls = () => sim.requestCount(request, 'GET', '/offers/{id}/status');
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    const before = await polls();
    await page.clock.fastForward('10:00');
    expect(await polls(), 'requests while hidden for 10 minutes').toBe(before);
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { value: false, configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    await expect.poll(polls).toBe(before + 1);
  });

  test('a 429 waits as long as Retry-After says', async ({ page, request }) => {
    await page.clock.install();
    const offerId = await procureVm(request);
    await page.goto(`/offers/${offerId}/status`);
    await expect(state(page)).toContainText('provisioning');
    const polls = () => sim.requestCount(request, 'GET', '/offers/{id}/status');
    await sim.setFaults(request, { path_prefix: '/offers/', status: 429, retry_after: 40, times: 1 });
    const start = await polls();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '429' })).toContainText('Wait 40 s');
    // The refused request itself is counted.
    await expect.poll(polls).toBe(start + 1);
    const before = start + 1;
    await page.clock.fastForward(38_000);
    expect(await polls(), 'no poll before Retry-After has passed').toBe(before);
    await page.clock.fastForward(3_000);
    await expect.poll(polls).toBe(before + 1);
    await expect(page.getByRole('alert').filter({ hasText: '429' })).toHaveCount(0);
  });

  test('reload keeps the timeline', async ({ page, request }) => {
    const offerId = await procureVm(request);
    await page.goto(`/offers/${offerId}/status`);
    const timeline = page.locator('ol.timeline li');
    await expect(timeline.first()).toBeVisible();
    const before = await timeline.count();
    await page.reload();
    await expect(timeline).toHaveCount(before);
  });

  test('has no axe-core violations', async ({ page, request }) => {
    const offerId = await procureVm(request);
    await page.goto(`/offers/${offerId}/status`);
    await expect(state(page)).toContainText('provisioning');
    await expectNoAxeViolations(page);
  });
});
