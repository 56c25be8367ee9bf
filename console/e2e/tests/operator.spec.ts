import { BrowserContext, Page, expect, test } from '@playwright/test';
import { Entra, Operator, phubctl, poisonCommand, screenshot, setting, unique } from './stack';

// The vendor's operator: logs in at the identity provider (the stack's LocalOidc), finds a tenant,
// rotates its credential and re-drives a dead letter. The tests share one session, in order.
test.describe.configure({ mode: 'serial' });

const SECRET = /phub_(?!setup_)[A-Za-z0-9_-]{20,}/;

let tenant: string;
let credential: { id: string; secret: string };
let successor: string;
let deadLetter: Promise<string>;
let context: BrowserContext;
let page: Page;

/** The issuer's login page: a regular expression for its address. */
function loginPage(): RegExp {
  const issuer = setting('OIDC_ISSUER').replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp('^' + issuer + '/authorize\\?');
}

/** From an operator page through the identity provider's login form, as `user` with `roles`. */
async function logIn(p: Page, user: string, roles?: string, start = '/console/operator') {
  await p.goto(start);
  await expect(p).toHaveURL(loginPage());
  await p.getByLabel('User name').fill(user);
  if (roles !== undefined) {
    await p.getByLabel(/roles/i).fill(roles);
  }
  await p.getByRole('button', { name: 'Sign in' }).click();
}

test.beforeAll(async ({ browser, request }) => {
  tenant = unique('ops');
  const operator = new Operator(request);
  await operator.createTenant(tenant, 'Fabrikam Ops E2E');
  credential = await operator.issueCredential(tenant);
  // In the background while the browser works: earlier dead letters of this stack are dismissed
  // (handled is an offset per partition, so an older one would keep this one in the backlog), then
  // the tenant gets one.
  deadLetter = phubctl('dead-letters', 'dismiss', '--all').then(() => poisonCommand(tenant));
  deadLetter.catch(() => undefined); // awaited, and reported, by the dead-letter test
  context = await browser.newContext();
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close();
});

test('an operator logs in at the identity provider and sees the tenants', async () => {
  // From a link to one tenant: after the login (one redirect URI, /console/operator) it goes on there.
  await logIn(page, 'ops-alice', undefined, `/console/operator/tenant?id=${tenant}`);
  await expect(page).toHaveURL(new RegExp(`/console/operator/tenant\\?id=${tenant}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(tenant);
  await page.getByRole('link', { name: 'Tenants', exact: true }).click();
  await expect(page).toHaveURL(/\/console\/operator$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Tenants' })).toBeVisible();
  await expect(page.getByText('Signed in as')).toContainText('ops-alice');
  await expect(page.getByRole('link', { name: tenant, exact: true })).toBeVisible();
  await screenshot(page, 'operator-tenants');
});

test('a user without the operator role gets 403', async ({ browser }) => {
  const other = await browser.newContext();
  try {
    const p = await other.newPage();
    const answer = p.waitForResponse(
      (r) => new URL(r.url()).pathname === '/console/operator' && r.status() !== 302,
    );
    await logIn(p, 'guest-bob', '');
    expect((await answer).status()).toBe(403);
    await expect(p.getByRole('heading', { level: 1 })).toContainText(/not as an operator/i);
  } finally {
    await other.close();
  }
});

test('the operator rotates a credential: the old secret is refused, the new one accepted', async () => {
  await page.getByRole('link', { name: tenant, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(tenant);
  await expect(page.getByRole('cell', { name: credential.id, exact: true })).toBeVisible();
  await screenshot(page, 'operator-tenant');
  // 0 hours: the old one stops at once, as for a leaked secret.
  await page.getByLabel('Old one valid for').fill('0');
  await page.getByRole('button', { name: `Rotate credential ${credential.id}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Successor of ${credential.id}`);
  await expect(page.getByText('shown only this once')).toBeVisible();
  await expect(page.getByText('no longer works')).toBeVisible();
  successor = (await page.locator('#secret-token').textContent())!.trim();
  expect(successor).toMatch(SECRET);
  expect(successor).not.toBe(credential.secret);
  await screenshot(page, 'operator-rotated', '.secret');

  // The gateway learns of the change from the registry within seconds.
  const oldOne = new Entra(page.request, credential.secret);
  const newOne = new Entra(page.request, successor);
  await expect.poll(() => oldOne.testConnection(), { timeout: 30_000 }).toBe(401);
  await expect.poll(() => newOne.testConnection(), { timeout: 30_000 }).toBe(200);

  // Back on the tenant's page the secret is not shown again.
  await page.getByRole('link', { name: `Back to ${tenant}` }).click();
  await expect(page.getByRole('cell', { name: credential.id, exact: true })).toBeVisible();
  expect(await page.content()).not.toContain(successor);
});

test('a dead letter is listed, shown without its body, re-driven after confirming, and gone', async () => {
  const key = await deadLetter;
  expect(key).toMatch(new RegExp(`^${tenant}/User/`));
  const row = page.locator('tbody tr', { hasText: tenant });
  // The processor sets the command aside within seconds.
  await expect(async () => {
    await page.goto('/console/operator/dead-letters');
    await expect(row).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 30_000 });
  await expect(row).toContainText('not handled');
  await screenshot(page, 'operator-dead-letters');

  const link = row.getByRole('link');
  const record = (await link.textContent())!.trim(); // "partition P, offset O"
  await link.click();
  await expect(page.getByText(key)).toBeVisible();
  await expect(page.getByText(/not shown: it may hold personal data/)).toBeVisible();
  expect(await page.content()).not.toContain('not a command'); // the body PoisonCommand sent
  await screenshot(page, 'operator-dead-letter');

  await page.getByRole('link', { name: /re-drive/i }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Re-drive');
  await page.getByRole('button', { name: 'Yes, re-drive it' }).click();
  await expect(page.getByRole('status')).toContainText('Re-driven to');
  await expect(page.getByText('handled (re-driven or dismissed)')).toBeVisible();

  // The processor sets the still unreadable command aside again, as a new record; this one is done.
  await page.goto('/console/operator/dead-letters');
  await expect(page.getByRole('link', { name: record, exact: true })).toHaveCount(0);
});

test('logging out ends the session, at the identity provider too', async () => {
  await page.goto('/console/operator');
  await page.getByRole('button', { name: 'Log out' }).click();
  // Through the identity provider's end-session endpoint and back (with its state parameter).
  await expect(page).toHaveURL(/\/console\/operator-signed-out(\?|$)/);
  await page.goto('/console/operator');
  await expect(page).toHaveURL(loginPage());
});
