// `npm run bench:call`: INVITE → Established of the softphone (SipTelephony) against a bare sip.js UserAgent, in
// the same run, against a real Kamailio on loopback, in Debian's Chromium (Playwright, fake microphone).
//
// Starts Kamailio (test/sip-server/start.mjs, free port, stopped by PID), bundles test/sip/bench-page.ts with
// esbuild, serves it on 127.0.0.1, opens a callee page (auto-answers) and a caller page, warms both callers up with
// one call each, then alternates softphone and bare calls (--calls=N each, default 16) so drift hits both alike.
// Prints every call, then as its LAST line: {"softphoneMs": median, "bareSipJsMs": median, "ratio": soft/bare}.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../test/helpers/chromium.mjs';
import { startKamailio } from '../test/sip-server/start.mjs';

const root = join(import.meta.dirname, '..');
const callsArgument = process.argv.find((argument) => argument.startsWith('--calls='));
const CALLS = Math.max(10, Number(callsArgument?.slice('--calls='.length) ?? 16));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value) => Math.round(value * 10) / 10;

const cleanups = [];
async function cleanup() {
  for (const step of cleanups.reverse()) await step().catch((error) => console.error(`cleanup: ${error.message}`));
}

try {
  const kamailio = await startKamailio({ stopAfterSeconds: 300 });
  cleanups.push(() => kamailio.stop());
  console.error(`kamailio ${kamailio.wsUrl} (pid ${kamailio.pid})`);

  const outdir = mkdtempSync(join(tmpdir(), 'cc-bench-call-'));
  cleanups.push(async () => rmSync(outdir, { recursive: true, force: true }));
  await build({
    entryPoints: [join(root, 'test/sip/bench-page.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir,
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
  writeFileSync(join(outdir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench:call</title><script type="module" src="/bench-page.js"></script>');
  const types = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = createServer(async (request, response) => {
    const path = request.url === '/' ? '/index.html' : new URL(request.url, 'http://127.0.0.1').pathname;
    try {
      const body = await readFile(join(outdir, path.replace(/\.\.+/gu, '')));
      response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const pageUrl = `http://127.0.0.1:${server.address().port}/`;

  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs, '--autoplay-policy=no-user-gesture-required'] });
  cleanups.push(() => browser.close());
  const open = async () => {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(pageUrl);
    await page.waitForFunction(() => 'bench' in window);
    return page;
  };
  const calleePage = await open();
  const callerPage = await open();
  const callee = `callee${Date.now()}`;
  await calleePage.evaluate(([ws, user]) => window.bench.startCallee(ws, user), [kamailio.wsUrl, callee]);
  await callerPage.evaluate(([ws, agent, bare]) => window.bench.startCallers(ws, agent, bare), [kamailio.wsUrl, `agent${Date.now()}`, `bare${Date.now()}`]);

  const softphoneCall = () => callerPage.evaluate((to) => window.bench.softphoneCall(to), callee);
  const bareCall = () => callerPage.evaluate((to) => window.bench.bareCall(to), callee);
  console.log(`warm-up: softphone ${round(await softphoneCall())} ms, bare sip.js ${round(await bareCall())} ms (not counted)`);
  const softphone = [];
  const bare = [];
  for (let index = 0; index < CALLS; index += 1) {
    // Alternate which goes first, so neither always follows the other's teardown.
    if (index % 2 === 0) {
      softphone.push(await softphoneCall());
      bare.push(await bareCall());
    } else {
      bare.push(await bareCall());
      softphone.push(await softphoneCall());
    }
  }
  const line = (name, values) => `${name} INVITE→Established, ${CALLS} calls, min ${round(Math.min(...values))} median ${round(median(values))} ms: ${values.map(round).join(' ')}`;
  console.log(line('softphone (SipTelephony)', softphone));
  console.log(line('bare sip.js UserAgent   ', bare));
  const softphoneMs = round(median(softphone));
  const bareSipJsMs = round(median(bare));
  await cleanup();
  console.log(JSON.stringify({ softphoneMs, bareSipJsMs, ratio: Math.round((softphoneMs / bareSipJsMs) * 1000) / 1000 }));
} catch (error) {
  console.error(error);
  await cleanup();
  process.exit(1);
}
