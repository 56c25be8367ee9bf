import { BrowserContext, Page, expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Operator, screenshot, setting, unique } from './stack';

// A customer's admin signs in with the organisation's own identity provider (played by the stack's
// local OIDC provider, with its client), as set up by the operator for that tenant only.
test.describe.configure({ mode: 'serial' });

const REQUIRED_ROLE = 'Provisioning.Admin';

let tenant: string;
let context: BrowserContext;
let page: Page;

/** Opens the address from a page on another site, as a link in an email would. */
async function openFromElsewhere(p: Page, address: string) {
  const elsewhere = new URL(setting('CONSOLE_URL'));
  elsewhere.hostname = 'localhost';
  await p.goto(`${elsewhere.origin}/console/static/console.css`);
  await p.setContent(`<a href="${address}">Provisioning log</a>`);
  await p.getByRole('link', { name: 'Provisioning log' }).click();
}

/** The identity provider's login form, as `user` with `roles`. */
async function signInAtIdp(p: Page, user: string, roles: string) {
  const issuer = setting('OIDC_ISSUER').replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  await expect(p).toHaveURL(new RegExp('^' + issuer + '/authorize\\?'));
  await p.getByLabel('User name').fill(user);
  await p.getByLabel(/roles/i).fill(roles);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

test.beforeAll(async ({ browser, request }) => {
  tenant = unique('sso');
  await new Operator(request).createTenant(tenant, 'Northwind SSO E2E');
  const clientSecret = fs
    .readFileSync(path.join(setting('PHUB_STACK_DIR'), 'oidc-client.secret'), 'utf8')
    .trim();
  const reply = await request.put(
    `${setting('ADMIN_BASE_URL')}/tenants/${tenant}/console-sign-in`,
    {
      headers: { Authorization: `Bearer ${setting('ADMIN_TOKEN')}` },
      data: {
        issuer: setting('OIDC_ISSUER'),
        clientId: 'phub-console',
        clientSecret,
        requiredClaim: { name: 'roles', values: [REQUIRED_ROLE] },
      },
    },
  );
  expect(reply.status(), await reply.text()).toBeLessThan(300);
  expect(await reply.text()).not.toContain(clientSecret);
  context = await browser.newContext();
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close();
});

test("a customer's admin signs in at the organisation's identity provider and sees its log", async () => {
  await openFromElsewhere(page, `${setting('CONSOLE_URL')}/console/tenant-sign-in/${tenant}`);
  await signInAtIdp(page, 'amy', REQUIRED_ROLE);
  await expect(page).toHaveURL(/\/console\/tenant\/log/);
  await expect(page.locator('body')).toContainText('Northwind SSO E2E');
  // The console session only; no OIDC session cookie stays behind.
  const cookies = await context.cookies();
  expect(cookies.map((c) => c.name).filter((n) => n.startsWith('q_session'))).toEqual([]);
  expect(cookies.some((c) => c.name.endsWith('phub-console') && c.sameSite === 'Strict')).toBe(true);
  await screenshot(page, 'customer-sign-in-log');
});

test('without the required role: refused, naming the claim, and no session', async ({ browser }) => {
  const other = await browser.newContext();
  try {
    const p = await other.newPage();
    // Through the sign-in page, where the admin types the tenant id.
    await p.goto('/console/sign-in');
    await p.getByLabel('Tenant id').fill(tenant);
    await p.getByRole('button', { name: 'Continue' }).click();
    const answer = p.waitForResponse(
      (r) => new URL(r.url()).pathname === `/console/tenant-sign-in/${tenant}` && r.status() !== 302,
    );
    await signInAtIdp(p, 'mallory', 'Reader');
    expect((await answer).status()).toBe(403);
    await expect(p.locator('body')).toContainText('roles');
    await expect(p.locator('body')).toContainText(REQUIRED_ROLE);
    const log = await p.goto('/console/tenant/log');
    expect(log?.status()).toBe(401);
  } finally {
    await other.close();
  }
});

test('a tenant without sign-in set up says to ask for a setup link', async ({ browser }) => {
  const other = await browser.newContext();
  try {
    const p = await other.newPage();
    const reply = await p.goto(`/console/tenant-sign-in/${unique('nosso')}`);
    expect(reply?.status()).toBe(404);
    await expect(p.locator('body')).toContainText(/setup link/i);
  } finally {
    await other.close();
  }
});
