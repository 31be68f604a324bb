import { defineConfig } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper shared with web-test-runner's config.
import { chromiumArgs, chromiumPath } from './test/helpers/chromium.mjs';

/** The end-to-end tests drive the demo exactly as `npm run demo` serves it, on a port of their own. */
const port = Number(process.env.E2E_PORT ?? 5199);

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [['list'], ['json', { outputFile: process.env.PW_JSON_FILE ?? 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath as string, args: chromiumArgs as string[] },
    // A trace snapshots the page at every action (a third of the run's time on the busier tests); CI prints the
    // failure and its page snapshot, and a failing test is run again locally, where traces are kept.
    trace: process.env.CI ? 'off' : 'retain-on-failure',
  },
  webServer: {
    command: `PORT=${port} npx vite --config vite.config.ts`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
