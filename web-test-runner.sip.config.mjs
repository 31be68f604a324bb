// SIP browser tests (test/sip/**) against a real Kamailio, in Debian's Chromium with a fake microphone.
// Run: bash test/sip-server/run-isolated.sh npx web-test-runner --config web-test-runner.sip.config.mjs
// (run-isolated.sh puts everything in a network namespace with only loopback when allowed; see docs/telephony-sip.md).
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromiumArgs, chromiumPath } from './test/helpers/chromium.mjs';
import { countReporter } from './test/helpers/count-reporter.mjs';
import { sipServerPlugin } from './test/sip-server/wtr-plugin.mjs';

const sipServer = sipServerPlugin();

export default {
  files: ['test/sip/**/*.test.ts'],
  nodeResolve: true,
  // The files share one Kamailio and restart it: one page at a time.
  concurrency: 1,
  browserStartTimeout: 60000,
  testsFinishTimeout: 300000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), sipServer],
  testFramework: { config: { timeout: 30000 } },
  testRunnerHtml: (testFramework) => `<!doctype html><html><head><script>
    window.__CC_SIP__ = ${JSON.stringify(sipServer.pageConfig)};
  </script></head><body><script type="module" src="${testFramework}"></script></body></html>`,
  reporters: [defaultReporter(), countReporter(process.env.WTR_COUNTS_FILE)],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        // The fake-media and loopback flags come from chromium.mjs; remote audio must play without a click.
        args: [...chromiumArgs, '--autoplay-policy=no-user-gesture-required'],
      },
    }),
  ],
};
