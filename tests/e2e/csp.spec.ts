import { API_URL, K0RDENT_URL, expect, pageTour, signIn, test } from './helpers';

// The console as served with its content security policy: no inline
// script, wasm compiled under 'wasm-unsafe-eval', requests only to its own
// origin and the two APIs, never framed; and no violation on any page.

test.describe('content security policy', () => {
  test('index.html is served with the policy and holds no inline script', async ({ request }) => {
    const res = await request.get('/offers');
    const policy = res.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).toContain(`connect-src 'self' ${API_URL} ${K0RDENT_URL}`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\bsrc=/);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
  });

  test('every page works under it with no violation reported', async ({ page, request }) => {
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => {
        seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const reports: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) reports.push(m.text());
    });
    await signIn(page);
    const tour = [...(await pageTour(request, 'instance-d4e5f6')), '/settings'];
    for (const path of tour) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      if (path === '/offers') {
        // The virtual table sizes its spacers while scrolling.
        await page.locator('.table-wrap--scroll').evaluate((el) => el.scrollBy(0, 2000));
        await page.waitForTimeout(200);
      }
      const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      expect(violations, `violations on ${path}`).toEqual([]);
    }
    expect(reports).toEqual([]);
  });
});
