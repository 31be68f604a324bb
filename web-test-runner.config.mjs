// Unit and component tests in a real Chromium (Debian's /usr/bin/chromium through Playwright).
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromiumArgs, chromiumPath } from './test/helpers/chromium.mjs';
import { countReporter } from './test/helpers/count-reporter.mjs';
import { startServer, temporaryFolder } from './test/server/helpers.mjs';

/**
 * The reference server (demo/server) for the browser tests that talk to a real backend: started on a free
 * loopback port with a fresh database before the tests, stopped by PID after them (and by itself after 20 min).
 */
function referenceServer() {
  let server;
  let folder;
  return {
    name: 'cc-reference-server',
    async serverStart() {
      folder = temporaryFolder();
      server = await startServer({ db: `${folder.path}/desk.sqlite`, args: ['--reset', '--offers', '4', '--quiet'], stopAfter: 1200 });
    },
    async serverStop() {
      await server?.stop();
      folder?.remove();
    },
    get baseUrl() {
      return server?.baseUrl ?? null;
    },
  };
}
const server = referenceServer();

export default {
  files: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  browserStartTimeout: 60000,
  testsFinishTimeout: 180000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), server],
  testFramework: { config: { timeout: 20000 } },
  // "ResizeObserver loop completed with undelivered notifications" is a benign browser report (the virtualizer
  // resizes inside an observer callback); it is not a page error, so it must not fail the test that saw it.
  testRunnerHtml: (testFramework) => `<!doctype html><html><head><script>
    window.__CC_SERVER__ = ${JSON.stringify(server.baseUrl)};
    window.addEventListener('error', (event) => {
      if (String(event.message).includes('ResizeObserver loop')) event.stopImmediatePropagation();
    }, true);
  </script></head><body><script type="module" src="${testFramework}"></script></body></html>`,
  reporters: [defaultReporter(), countReporter(process.env.WTR_COUNTS_FILE)],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: chromiumPath, headless: true, args: chromiumArgs },
    }),
  ],
};
