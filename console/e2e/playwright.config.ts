import { defineConfig } from '@playwright/test';

// Browser tests of the console against a running local stack: its URLs and tokens come from the
// environment (.local-stack/credentials.env; system-tests' LocalStackIT sets them). The browser is
// Debian's Chromium (apt-get install chromium), never a downloaded one.
export default defineConfig({
  testDir: './tests',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: process.env.PHUB_E2E_OUTPUT ?? 'test-results',
  use: {
    baseURL: process.env.CONSOLE_URL,
    launchOptions: {
      executablePath: process.env.PHUB_CHROMIUM ?? '/usr/bin/chromium',
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
