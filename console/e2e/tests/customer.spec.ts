import { Browser, BrowserContext, Page, expect, test } from '@playwright/test';
import { Entra, Operator, screenshot, setting, unique } from './stack';

// The customer's admin: onboarding from a setup link to a first Entra request in its own log.
// The tests share one tenant and run in order (one worker), as one admin would go through them.
test.describe.configure({ mode: 'serial' });

const SECRET = /phub_(?!setup_)[A-Za-z0-9_-]{20,}/;

let tenant: string;
let setupUrl: string;
let secret: string;
let context: BrowserContext;
let page: Page;
const userName = `${unique('ada')}@contoso.example`;

async function openLog(p: Page, filters: Record<string, string> = {}) {
  await p.goto('/console/tenant/log');
  for (const [label, value] of Object.entries(filters)) {
    const field = p.getByLabel(label, { exact: false });
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') {
      await field.selectOption(value);
    } else {
      await field.fill(value);
    }
  }
  await p.getByRole('button', { name: /filter|apply|search/i }).click();
}

test.beforeAll(async ({ browser, request }) => {
  tenant = unique('e2e');
  const operator = new Operator(request);
  await operator.createTenant(tenant, 'Contoso E2E');
  setupUrl = await operator.setupLink(tenant);
  context = await browser.newContext();
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close();
});

test('the setup link opens the tenant setup and leaves the address bar', async () => {
  // Clicked in an email: a navigation from another site (localhost is not the site 127.0.0.1),
  // after which a SameSite=Strict cookie is not sent on a redirect, only on a same-site step.
  const elsewhere = new URL(setting('CONSOLE_URL'));
  elsewhere.hostname = 'localhost';
  await page.goto(`${elsewhere.origin}/console/static/console.css`);
  await page.setContent(`<a href="${setupUrl}">Set up provisioning for Contoso</a>`);
  await page.getByRole('link', { name: 'Set up provisioning for Contoso' }).click();
  await expect(page).toHaveURL(/\/console\/tenant\/setup/);
  expect(page.url()).not.toContain('phub_setup_');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // The Entra steps name the Tenant URL to paste.
  await page.getByRole('link', { name: /entra/i }).first().click();
  await expect(page.getByText(setting('SCIM_BASE_URL')).first()).toBeVisible();
  await screenshot(page, 'setup');
});

test('the session cookie is HttpOnly and SameSite=Strict', async () => {
  const cookies = await context.cookies();
  expect(cookies.length).toBeGreaterThan(0);
  for (const cookie of cookies) {
    expect(cookie.httpOnly, cookie.name).toBe(true);
    expect(cookie.sameSite, cookie.name).toBe('Strict');
  }
});

test('the link works once; opened again it says so and what to do', async ({ browser }) => {
  const other = await browser.newContext();
  try {
    const p = await other.newPage();
    const reply = await p.goto(setupUrl);
    expect(reply?.status()).toBe(410);
    await expect(p.locator('body')).toContainText(/already been used|used/i);
    await expect(p.locator('body')).toContainText(/new link|ask/i);
    expect(await other.cookies()).toHaveLength(0);
  } finally {
    await other.close();
  }
});

test('Generate Secret Token shows the secret once, with a copy button', async () => {
  await page.goto('/console/tenant/setup');
  await page.getByRole('button', { name: /generate secret token/i }).click();
  const found = (await page.content()).match(SECRET);
  expect(found, 'a secret on the answer page').not.toBeNull();
  secret = found![0];
  await expect(page.getByRole('button', { name: /copy/i }).first()).toBeVisible();
  await screenshot(page, 'secret-token', '#secret-token');
  // Shown once: the setup page afterwards lists the credential, never the secret.
  await page.goto('/console/tenant/setup');
  expect(await page.content()).not.toContain(secret);
});

test("Entra's first requests show in the customer's log", async ({ request }) => {
  const entra = new Entra(request, secret);
  expect(await entra.testConnection()).toBe(200);
  expect(await entra.createUser(userName)).toBe(201);
  await expect(async () => {
    await openLog(page, { User: userName });
    await expect(page.getByRole('table')).toContainText(userName);
  }).toPass({ timeout: 45_000 });
  await screenshot(page, 'log');
});

test('a failure shows its reason and recommended action, and the rate against 40 %', async ({
  request,
}) => {
  const entra = new Entra(request, secret);
  expect(await entra.createUser(userName)).toBe(409);
  await expect(async () => {
    await openLog(page, { Status: 'failure' });
    const table = page.getByRole('table');
    await expect(table).toContainText(userName);
    await expect(table).toContainText(/already/i);
  }).toPass({ timeout: 45_000 });
  await expect(page.locator('body')).toContainText(/recommended action/i);
  await expect(page.locator('body')).toContainText('40');
  await screenshot(page, 'log-failure');
});

test('the connection panel shows the last request and the first errors', async () => {
  await expect(async () => {
    await page.goto('/console/tenant/setup');
    await expect(page.locator('body')).toContainText(/last request/i);
    await expect(page.locator('body')).toContainText(/already/i);
  }).toPass({ timeout: 45_000 });
  await screenshot(page, 'connection');
});

test('CSV export of the log', async () => {
  const reply = await page.request.get('/console/tenant/log.csv');
  expect(reply.status()).toBe(200);
  expect(reply.headers()['content-type']).toContain('text/csv');
  expect(await reply.text()).toContain(userName);
});

test('every page sends a Content Security Policy and no inline script', async () => {
  for (const path of ['/console/tenant/setup', '/console/tenant/log']) {
    const reply = await page.request.get(path);
    const csp = reply.headers()['content-security-policy'];
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).not.toContain('unsafe-inline');
  }
});

test('a form posted without its CSRF token is refused and issues nothing', async () => {
  const before = (await page.request.get('/console/tenant/setup').then((r) => r.text())).match(
    /<tr/g,
  )?.length;
  const forged = await page.request.post('/console/tenant/credentials', { form: {} });
  expect([400, 403]).toContain(forged.status());
  const after = (await page.request.get('/console/tenant/setup').then((r) => r.text())).match(
    /<tr/g,
  )?.length;
  expect(after).toBe(before);
});

test('at phone width nothing overflows sideways', async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 } });
  try {
    await phone.addCookies(await context.cookies());
    const p = await phone.newPage();
    for (const path of ['/console/tenant/setup', '/console/tenant/log']) {
      await p.goto(path);
      const overflow = await p.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  } finally {
    await phone.close();
  }
});

test('logging out ends the session', async () => {
  await page.goto('/console/tenant/setup');
  await page.getByRole('button', { name: /log ?out|sign ?out/i }).click();
  const reply = await page.request.get('/console/tenant/log', { maxRedirects: 0 });
  expect(reply.status()).not.toBe(200);
});
