import { APIRequestContext, Page, expect } from '@playwright/test';
import * as path from 'node:path';

/** A setting of the stack under test, from credentials.env; missing is a setup error, said plainly. */
export function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: source .local-stack/credentials.env (see README.md)`);
  }
  return value;
}

/** A name no earlier run used. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** The operator's side, through the registry's admin API. */
export class Operator {
  constructor(private readonly request: APIRequestContext) {}

  private headers() {
    return { Authorization: `Bearer ${setting('ADMIN_TOKEN')}` };
  }

  async createTenant(id: string, displayName: string): Promise<void> {
    const reply = await this.request.post(`${setting('ADMIN_BASE_URL')}/tenants`, {
      headers: this.headers(),
      data: { id, displayName },
    });
    expect(reply.status(), await reply.text()).toBe(201);
  }

  /** A one-time setup link for the tenant, as an operator hands it to the customer's admin. */
  async setupLink(tenantId: string): Promise<string> {
    const reply = await this.request.post(
      `${setting('ADMIN_BASE_URL')}/tenants/${tenantId}/setup-links`,
      { headers: this.headers(), data: {} },
    );
    expect(reply.status(), await reply.text()).toBe(201);
    const url: string = (await reply.json()).url;
    expect(url).toContain('/console/setup/');
    return url;
  }
}

/** What Entra ID's provisioning service sends, with the Secret Token the customer pasted. */
export class Entra {
  constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
  ) {}

  private headers() {
    return { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/scim+json' };
  }

  /** "Test Connection": a filter on a random userName, expected to find nothing. */
  async testConnection(): Promise<number> {
    const reply = await this.request.get(
      `${setting('SCIM_BASE_URL')}/Users?filter=${encodeURIComponent(
        `userName eq "${unique('probe')}"`,
      )}`,
      { headers: this.headers() },
    );
    return reply.status();
  }

  /** Entra's create, with the attributes of its default mapping. */
  async createUser(userName: string): Promise<number> {
    const reply = await this.request.post(`${setting('SCIM_BASE_URL')}/Users`, {
      headers: this.headers(),
      data: {
        schemas: [
          'urn:ietf:params:scim:schemas:core:2.0:User',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        ],
        externalId: unique('ext'),
        userName,
        active: true,
        displayName: `E2E ${userName}`,
        emails: [{ primary: true, type: 'work', value: userName }],
        name: { formatted: `E2E ${userName}`, familyName: 'E2E', givenName: userName },
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'QA' },
      },
    });
    return reply.status();
  }
}

/**
 * A screenshot of a main page for the docs, when PHUB_SCREENSHOTS names a directory. Elements
 * matching `hide` (a secret) are painted over: no screenshot in the docs shows a token.
 */
export async function screenshot(page: Page, name: string, hide?: string): Promise<void> {
  const dir = process.env.PHUB_SCREENSHOTS;
  if (dir) {
    const mask = hide ? [page.locator(hide)] : [];
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, mask });
  }
}
