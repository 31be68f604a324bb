import { expect, test, type Browser, type Page } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper shared with the SIP browser tests.
import { freePort, startKamailio } from '../sip-server/start.mjs';

/**
 * The demo's SIP mode (`?sip=<ws url>&sipUser=<user>`): the desk registers on a real Kamailio started here (127.0.0.1,
 * stopped by PID) instead of running the phone simulator, and two demo desks call each other through it.
 */
interface Kamailio {
  readonly wsUrl: string;
  log(): string;
  stop(): Promise<void>;
}

let kamailio: Kamailio;

test.beforeAll(async () => {
  kamailio = (await startKamailio({ stopAfterSeconds: 300 })) as Kamailio;
});

test.afterAll(async () => {
  await kamailio?.stop();
});

/** A demo desk in a browser context of its own (its own storage, so each desk leads its own tabs). */
async function openSipDesk(browser: Browser, baseURL: string, user: string, server = kamailio, password?: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  // Vite's dev client reloads the page when a source file changes; its socket gets a silent stand-in. The SIP
  // WebSocket (another port) is left alone.
  const devServer = new URL(baseURL).host;
  await page.routeWebSocket((url) => url.host === devServer && url.pathname === '/' && url.searchParams.has('token'), () => undefined);
  const account = `sip=${encodeURIComponent(server.wsUrl)}&sipUser=${encodeURIComponent(user)}${password === undefined ? '' : `&sipPassword=${encodeURIComponent(password)}`}`;
  await page.goto(`/?traffic=0&locale=en&${account}`);
  return { page, errors };
}

test('with ?sip= the demo registers on the SIP server, without the simulator, and calls another desk', async ({ browser, baseURL }) => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const agent = await openSipDesk(browser, baseURL ?? '', `agent${suffix}`);
  const caller = await openSipDesk(browser, baseURL ?? '', `caller${suffix}`);
  const agentPhone = agent.page.locator('cc-workspace [part="phone"] cc-softphone');
  const callerPhone = caller.page.locator('cc-workspace [part="phone"] cc-softphone');

  await expect(agentPhone.locator('.registration')).toHaveText('Phone ready');
  await expect(callerPhone.locator('.registration')).toHaveText('Phone ready');
  await expect(agent.page.locator('#phone-simulator')).toBeHidden();
  expect(kamailio.log()).toContain('REQ REGISTER sip:127.0.0.1');

  // The caller's desk dials the agent's SIP address; the agent's desk rings and answers.
  await callerPhone.getByRole('button', { name: 'New call' }).click();
  await callerPhone.getByLabel('Number').fill(`sip:agent${suffix}@127.0.0.1`);
  await callerPhone.getByLabel('Number').press('Enter');
  const ringing = agentPhone.locator('[part="ringing"]');
  await expect(ringing.locator('.caller-name')).toHaveText(`caller${suffix}`);
  await ringing.getByRole('button', { name: 'Answer' }).click();
  await expect(agentPhone.locator('[part="call"]')).toHaveAttribute('data-state', 'active');
  await expect(callerPhone.locator('[part="call"]')).toHaveAttribute('data-state', 'active');

  // The caller hangs up; the agent's desk ends the call and opens the wrap-up.
  await callerPhone.locator('[part="call"]').getByRole('button', { name: 'Hang up' }).click();
  await expect(agentPhone.locator('[part="call"]')).toHaveCount(0);
  await expect(agentPhone.locator('[part="wrap-up"]')).toBeVisible();

  expect(agent.errors, 'uncaught errors in the agent page').toEqual([]);
  expect(caller.errors, 'uncaught errors in the caller page').toEqual([]);
  await agent.page.context().close();
  await caller.page.context().close();
});

test('?sip= without ?sipUser= says so on the page, and the desk runs without a phone', async ({ page, baseURL }) => {
  const devServer = new URL(baseURL ?? '').host;
  await page.routeWebSocket((url) => url.host === devServer && url.pathname === '/' && url.searchParams.has('token'), () => undefined);
  await page.goto(`/?traffic=0&locale=en&sip=${encodeURIComponent(kamailio.wsUrl)}`);
  await expect(page.locator('#seed-error')).toHaveText('The SIP phone needs ?sipUser= as well as ?sip=, so the desk runs without a phone.');
  await expect(page.locator('cc-workspace').getByRole('status').filter({ hasText: 'Online' }).first()).toBeVisible();
  await expect(page.locator('cc-workspace [part="phone"]')).toHaveCount(0);
  await expect(page.locator('#phone-simulator')).toBeHidden();
});

test('?sipPassword= registers on a server with digest auth; a wrong one shows the phone offline', async ({ browser, baseURL }) => {
  // The users of test/sip-server/kamailio.cfg's auth mode; a port of its own even when SIP_WS_PORT names the other's.
  const withAuth = (await startKamailio({ auth: true, wsPort: await freePort(), stopAfterSeconds: 120 })) as Kamailio;
  try {
    const right = await openSipDesk(browser, baseURL ?? '', 'authagent', withAuth, 'agent-secret');
    await expect(right.page.locator('cc-workspace [part="phone"] cc-softphone .registration')).toHaveText('Phone ready');
    await right.page.context().close();
    const wrong = await openSipDesk(browser, baseURL ?? '', 'authagent', withAuth, 'not-the-secret');
    const phone = wrong.page.locator('cc-workspace [part="phone"] cc-softphone');
    await expect(phone.locator('.registration')).toHaveText('Phone offline');
    await expect(phone.locator('[part="banner"]')).toContainText('The phone is offline');
    expect(right.errors.concat(wrong.errors), 'uncaught errors in the pages').toEqual([]);
    await wrong.page.context().close();
  } finally {
    await withAuth.stop();
  }
});
