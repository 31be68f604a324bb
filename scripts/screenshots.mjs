// Takes the docs' pictures of the demo desk at 360 px and 1440 px, in English and Chinese:
// `npm run screenshots` (starts the demo on a free port, writes docs/images/desk-<width>-<locale>.png).
import { spawn } from 'node:child_process';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../test/helpers/chromium.mjs';

const port = Number(process.env.SCREENSHOT_PORT ?? 5321);
const server = spawn('npx', ['vite', '--config', 'vite.config.ts'], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });

async function waitForServer() {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The demo did not start on port ${port}`);
}

try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  for (const locale of ['en', 'zh-CN']) {
    for (const [width, height] of [
      [1440, 900],
      [360, 780],
    ]) {
      const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
      await page.goto(`http://127.0.0.1:${port}/?traffic=0&locale=${locale}`);
      const rows = page.locator('cc-workspace cc-conversation-list [role="option"]');
      await rows.first().waitFor();
      // A conversation with a customer who has history, identities and tickets.
      await rows.nth(1).click();
      await page.locator('cc-workspace cc-conversation [role="log"] article').first().waitFor();
      await page.waitForTimeout(600);
      const file = `docs/images/desk-${width}-${locale}.png`;
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
      await page.close();
    }
  }
  await browser.close();
} finally {
  server.kill();
}
