import { APIRequestContext, Page, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

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

  /** A SCIM credential for the tenant, issued through the admin API. */
  async issueCredential(tenantId: string): Promise<{ id: string; secret: string }> {
    const reply = await this.request.post(
      `${setting('ADMIN_BASE_URL')}/tenants/${tenantId}/credentials`,
      { headers: this.headers(), data: {} },
    );
    expect(reply.status(), await reply.text()).toBe(201);
    const { id, secret } = await reply.json();
    return { id, secret };
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

/** The repository's root (this file is console/e2e/tests/stack.ts). */
const ROOT = path.resolve(__dirname, '..', '..', '..');

/** deploy/local/phubctl against the stack (its URLs, tokens and broker login); answers its output. */
export async function phubctl(...args: string[]): Promise<string> {
  const { stdout } = await run(path.join(ROOT, 'deploy', 'local', 'phubctl'), args, {
    env: { ...process.env, PHUB_STACK_DIR: setting('PHUB_STACK_DIR') },
  });
  return stdout;
}

/**
 * A dead letter for the tenant: an unreadable command put on scim.commands.v1 with the gateway's
 * broker login (testkit's PoisonCommand), which the processor sets aside on scim.commands.dlq.v1.
 * Answers the record's key.
 */
export async function poisonCommand(tenantId: string): Promise<string> {
  const classes = path.join(ROOT, 'testkit', 'target', 'classes');
  const deps = fs
    .readFileSync(path.join(classes, 'io', 'provisioninghub', 'testkit', 'runtime.classpath'), 'utf8')
    .trim();
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const { stdout } = await run(java, [
    '-cp',
    `${classes}:${deps}`,
    'io.provisioninghub.testkit.PoisonCommand',
    setting('PHUB_STACK_DIR'),
    tenantId,
  ]);
  return stdout.trim();
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
