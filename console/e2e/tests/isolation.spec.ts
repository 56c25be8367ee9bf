import { BrowserContext, expect, test } from '@playwright/test';
import { Entra, Operator, setting, unique } from './stack';

// Two customers, each with its own session: nothing of tenant B is reachable from A's session by
// any page, parameter or path, and without a session no customer page answers.
test.describe.configure({ mode: 'serial' });

const SECRET = /phub_(?!setup_)[A-Za-z0-9_-]{20,}/;

async function onboard(
  context: BrowserContext,
  operator: Operator,
  request: import('@playwright/test').APIRequestContext,
  tenant: string,
  userName: string,
) {
  await operator.createTenant(tenant, `Tenant ${tenant}`);
  const page = await context.newPage();
  await page.goto(await operator.setupLink(tenant));
  await page.getByRole('button', { name: /generate secret token/i }).click();
  const secret = (await page.content()).match(SECRET)![0];
  expect(await new Entra(request, secret).createUser(userName)).toBe(201);
  return page;
}

test("tenant A's session never shows tenant B", async ({ browser, request }) => {
  const operator = new Operator(request);
  const a = unique('iso-a');
  const b = unique('iso-b');
  const userA = `${unique('alice')}@a.example`;
  const userB = `${unique('bob')}@b.example`;
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  try {
    const pageA = await onboard(contextA, operator, request, a, userA);
    const pageB = await onboard(contextB, operator, request, b, userB);
    // B's own log has its user (so the data exists and is audited) ...
    await expect(async () => {
      await pageB.goto('/console/tenant/log');
      await expect(pageB.locator('body')).toContainText(userB);
    }).toPass({ timeout: 45_000 });
    // ... and A's session, asked in every way for B, answers only A or refuses.
    const probes = [
      `/console/tenant/log?tenant=${b}`,
      `/console/tenant/log?tenantId=${b}&target=${encodeURIComponent(userB)}`,
      `/console/tenant/log?user=${encodeURIComponent(userB)}&tenant=${b}`,
      `/console/tenant/log.csv?tenant=${b}`,
      `/console/tenant/log.csv?tenantId=${b}`,
      `/console/tenant/setup?tenant=${b}`,
      `/console/tenant/${b}/log`,
      `/console/tenants/${b}/log`,
      `/console/tenant/log/../../tenants/${b}`,
      `/console/api/tenants/${b}/summary`,
    ];
    for (const path of probes) {
      const reply = await pageA.request.get(path);
      // A filter's own value comes back in its input field and in the CSV link; what must never
      // come back is anything of B's outside those echoes (a row, a count, a name).
      const body = (await reply.text()).replace(/(value|href)="[^"]*"/g, '');
      expect(body, path).not.toContain(userB);
      expect(body, path).not.toContain(b);
    }
    // A's page still shows A's own user: the session works, it is only scoped.
    await expect(async () => {
      await pageA.goto('/console/tenant/log');
      await expect(pageA.locator('body')).toContainText(userA);
    }).toPass({ timeout: 45_000 });
    // Without a session, no customer page answers with data.
    const anonymous = await browser.newContext();
    try {
      for (const path of ['/console/tenant/setup', '/console/tenant/log', '/console/tenant/log.csv']) {
        const reply = await anonymous.request.get(`${setting('CONSOLE_URL')}${path}`, {
          maxRedirects: 0,
        });
        expect(reply.status(), path).not.toBe(200);
      }
    } finally {
      await anonymous.close();
    }
  } finally {
    await contextA.close();
    await contextB.close();
  }
});
