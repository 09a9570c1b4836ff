import { DEMO_TOKEN, SEEDED_RESOURCE, WRONG_TOKEN, expect, expectNoAxeViolations, signIn, test } from './helpers';

// Named profiles, each with its own base URLs and tokens, switched from the
// header; the active one's name is always in view.
test.describe('profiles', () => {
  test('add a profile, use its own token, switch back, open a shared link, remove it', async ({ page, context }) => {
    await signIn(page);
    const switcher = page.getByLabel('Profile', { exact: true });
    await expect(switcher).toHaveValue('Default');

    // A second profile with a token the API refuses.
    await page.getByLabel('New profile name').fill('Staging');
    await page.getByRole('button', { name: 'Add profile' }).click();
    await expect(switcher).toHaveValue('Staging');
    await expect(page.getByLabel('API token', { exact: true })).toHaveValue('');
    await expect(page.getByText('These settings belong to the profile Staging')).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByLabel('API token', { exact: true }).fill(WRONG_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.goto('/resources');
    await expect(page.getByRole('alert').first()).toContainText('Token refused (401)');
    await expect(switcher).toHaveValue('Staging');

    // Back to Default from the header: the same page, now with its token.
    await switcher.selectOption('Default');
    await expect(switcher).toHaveValue('Default');
    await expect(page.getByRole('heading', { name: 'Resources', level: 1 })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.locator('tbody tr').first()).toBeVisible();

    // A shared link opens under the active profile.
    const colleague = await context.newPage();
    await colleague.goto(`/resources/${SEEDED_RESOURCE}`);
    await expect(colleague.getByRole('heading', { level: 1, name: 'train-h100-01' })).toBeVisible();
    await expect(colleague.getByLabel('Profile', { exact: true })).toHaveValue('Default');
    await colleague.close();

    // Each profile kept its own token.
    const tokens = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.endsWith('api_token')));
    expect(tokens).toEqual(
      expect.arrayContaining([
        ['supply.api_token', DEMO_TOKEN],
        ['supply.profile.Staging.api_token', WRONG_TOKEN],
      ]),
    );

    // Remove Staging.
    await switcher.selectOption('Staging');
    await expect(switcher).toHaveValue('Staging');
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Remove the profile “Staging”' }).click();
    await expect(switcher).toHaveValue('Default');
    await expect(switcher.locator('option')).toHaveCount(1);
    await expectNoAxeViolations(page);
  });

  test('profile names are checked', async ({ page }) => {
    await signIn(page);
    await page.getByLabel('New profile name').fill('default');
    await page.getByRole('button', { name: 'Add profile' }).click();
    await expect(page.locator('#new-profile-error')).toContainText('exists already');
    await expect(page.getByLabel('New profile name')).toHaveAttribute('aria-invalid', 'true');
  });
});
